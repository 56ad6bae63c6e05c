// A create whose token arrives already expired (a server clock behind, a stale answer): refused with
// invalid_response by client.issue() itself, never handed out, and the token it made (which exists on the
// server and counts against the tenant's limit) reported by id, or revoked on request.
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HuaweiCloudEmulator, startEmulator } from "../src/emulator/index.js";
import type { OrphanedToken } from "../src/index.js";
import { clientFor, detail, failure } from "./helpers.js";

const MINUTE = 60_000;
/** Behind the server clock by more than a token's lifetime, within APIG's 15-minute signature tolerance. */
const SKEW_BEHIND: { route: string; kind: "clock-skew"; skewMs: number } = { route: "createBearerToken", kind: "clock-skew", skewMs: -10 * MINUTE };

let emu: HuaweiCloudEmulator;
beforeAll(async () => {
  // One-minute tokens: a server clock 10 minutes behind makes them expire 9 minutes before they arrive.
  emu = await startEmulator({ tokenLifetimeMs: MINUTE });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  emu.server.faults.clear();
  emu.tokens.tokenLifetimeMs = MINUTE;
});

const createsRun = (tenantId: string) => emu.server.requests.filter((r) => r.route === "createBearerToken" && r.handled && r.path.includes(tenantId)).length;

describe("a token expired on arrival", () => {
  it("server clock behind: invalid_response, the created token reported by id (not revoked), the create not repeated", async () => {
    const where = emu.addTenant();
    emu.server.faults.inject(SKEW_BEHIND);
    const error = await failure(() => clientFor(emu).issue(where));
    expect(createsRun(where.tenantId)).toBe(1);
    const stored = emu.listTokens(where.identityStoreId, where.tenantId);
    expect(stored).toHaveLength(1);
    const made = stored[0]!;
    expect(made.expirationTime).toBeLessThan(Date.now());

    expect(error.code).toBe("invalid_response");
    expect(error.provider).toBe("huaweicloud");
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/already expired/);
    expect(error.message).toContain(made.tokenId);
    expect(error.details?.["expiredOnArrival"]).toBe(true);
    expect(error.details?.["expiresAt"]).toBe(new Date(made.expirationTime).toISOString());
    expect(error.details?.["requestSent"]).toBe(true);
    expect(error.details?.["orphanCheck"]).toBe("found");
    expect(detail<OrphanedToken[]>(error, "orphanedTokens")).toEqual([{ id: made.tokenId, createdAt: new Date(made.creationTime).toISOString(), expiresAt: new Date(made.expirationTime).toISOString() }]);
    expect(error.details?.["revokedOrphans"]).toEqual([]);
    expect(error.hint).toContain(`tokenmint revoke huaweicloud ${made.tokenId}`);
    expect(error.hint).toMatch(/clock/);
    // The value was received but is never shown: not in the message, the JSON, or inspect().
    for (const text of [error.message, error.hint ?? "", JSON.stringify(error), inspect(error, { depth: 10 })]) expect(text).not.toContain(made.value);

    // The report is enough to clean up.
    await clientFor(emu).revoke({ ...where, tokenId: made.tokenId });
    expect(emu.listTokens(where.identityStoreId, where.tenantId)).toEqual([]);
  });

  it("revokeOrphans: the expired token is deleted and the error says so", async () => {
    const where = emu.addTenant();
    emu.server.faults.inject(SKEW_BEHIND);
    const error = await failure(() => clientFor(emu, "management", { revokeOrphans: true }).issue(where));
    expect(error.code).toBe("invalid_response");
    const [orphan] = detail<OrphanedToken[]>(error, "orphanedTokens");
    expect(error.details?.["revokedOrphans"]).toEqual([orphan!.id]);
    expect(error.message).toContain("it was revoked");
    expect(emu.listTokens(where.identityStoreId, where.tenantId)).toEqual([]);
  });

  it("the emulator's 'expired on arrival' body fault: refused, reported by the id in the answer", async () => {
    const where = emu.addTenant();
    const now = Date.now();
    const body = { token_id: "expired-token-id", token: "eyJ.expired-token-value.sig", creation_time: now - 2 * 86_400_000, expiration_time: now - 86_400_000 };
    emu.server.faults.inject({ route: "createBearerToken", kind: "body", body });
    const error = await failure(() => clientFor(emu).issue(where));
    expect(error.code).toBe("invalid_response");
    expect(detail<OrphanedToken[]>(error, "orphanedTokens").map((o) => o.id)).toEqual(["expired-token-id"]);
    expect(error.details?.["expiresAt"]).toBe(new Date(body.expiration_time).toISOString());
    expect(JSON.stringify(error)).not.toContain(body.token);
  });

  it("a later orphan check never takes the reported token for its own", async () => {
    const where = emu.addTenant();
    // Without a list before the create, tokens made within windowMs of the attempt count as its own:
    // the expired one (created, by the skewed server clock, 10 minutes ago) is within 60 minutes.
    const client = clientFor(emu, "management", { listBeforeCreate: false, orphanCheck: { settleMs: 1500, intervalMs: 100, timeoutMs: 5000, windowMs: 60 * MINUTE } });
    emu.server.faults.inject(SKEW_BEHIND);
    const error = await failure(() => client.issue(where));
    expect(error.code).toBe("invalid_response");
    const [reported] = detail<OrphanedToken[]>(error, "orphanedTokens");

    emu.server.faults.inject({ route: "createBearerToken", kind: "reset-after" });
    const ambiguous = await failure(() => client.issue(where));
    expect(ambiguous.code).toBe("network");
    const orphans = detail<OrphanedToken[]>(ambiguous, "orphanedTokens").map((o) => o.id);
    expect(orphans).toHaveLength(1);
    expect(orphans).not.toContain(reported!.id);
    expect(emu.listTokens(where.identityStoreId, where.tenantId).map((t) => t.tokenId).sort()).toEqual([reported!.id, orphans[0]!].sort());
  });

  it("a short-lived token (5 s) that has not expired is returned", async () => {
    const where = emu.addTenant();
    emu.tokens.tokenLifetimeMs = 5_000;
    const token = await clientFor(emu).issue(where);
    expect(token.expiresAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it("a token with its lifetime ahead is returned as before", async () => {
    const where = emu.addTenant();
    const token = await clientFor(emu).issue(where);
    expect(token.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    expect(emu.listTokens(where.identityStoreId, where.tenantId).map((t) => t.tokenId)).toEqual([token.id]);
  });
});
