// Injected faults: an ambiguous create is never repeated, and the token it made is found and reported
// (or revoked on request); list and delete retry; a 404 repeating an ambiguous delete is success.
import type { Fault } from "@tokenmint/core/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HuaweiCloudEmulator, startEmulator } from "../src/emulator/index.js";
import type { OrphanedToken } from "../src/index.js";
import { clientFor, detail, failure } from "./helpers.js";

let emu: HuaweiCloudEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  emu.server.faults.clear();
});

// Counted per tenant: a delayed request of an earlier test may be logged during a later one.
const creates = (tenantId: string) => emu.server.requests.filter((r) => r.route === "createBearerToken" && r.path.includes(tenantId));
/** Create requests received for a tenant. */
const createsSent = (tenantId: string) => creates(tenantId).length;
/** Handler runs of the create route for a tenant (its side effect: a token). */
const createsRun = (tenantId: string) => creates(tenantId).filter((r) => r.handled).length;

describe("ambiguous create failures", () => {
  it("a reset after the token was made: reported with the orphan's id and creation time, not revoked, not repeated", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu);
    const [sent, run] = [createsSent(where.tenantId), createsRun(where.tenantId)];
    emu.server.faults.inject({ route: "createBearerToken", kind: "reset-after" });
    const error = await failure(() => client.issue(where));
    expect(createsSent(where.tenantId) - sent).toBe(1);
    expect(createsRun(where.tenantId) - run).toBe(1);
    const stored = emu.listTokens(where.identityStoreId, where.tenantId);
    expect(stored).toHaveLength(1);
    expect(error.code).toBe("network");
    expect(error.details?.["requestSent"]).toBe(true);
    expect(error.details?.["orphanCheck"]).toBe("found");
    const orphans = detail<OrphanedToken[]>(error, "orphanedTokens");
    expect(orphans).toEqual([{ id: stored[0]!.tokenId, createdAt: new Date(stored[0]!.creationTime).toISOString(), expiresAt: new Date(stored[0]!.expirationTime).toISOString() }]);
    expect(error.details?.["revokedOrphans"]).toEqual([]);
    expect(error.message).toContain(stored[0]!.tokenId);
    expect(error.hint).toContain(`tokenmint revoke huaweicloud ${stored[0]!.tokenId}`);
    expect(error.hint).toContain("revokeOrphans");
    // An unrevoked orphan exists: creating again would spend another token.
    expect(error.retryable).toBe(false);
    expect(error.cause).toBeDefined();
  });

  it("revokeOrphans: the orphan is deleted and the error says so", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu, "management", { revokeOrphans: true });
    emu.server.faults.inject({ route: "createBearerToken", kind: "reset-after" });
    const error = await failure(() => client.issue(where));
    const orphans = detail<OrphanedToken[]>(error, "orphanedTokens");
    expect(orphans).toHaveLength(1);
    expect(error.details?.["revokedOrphans"]).toEqual([orphans[0]!.id]);
    expect(emu.listTokens(where.identityStoreId, where.tenantId)).toEqual([]);
    expect(error.hint).toContain("revoked");
    expect(error.retryable).toBe(true);
  });

  it("the per-call revokeOrphans overrides the client's", async () => {
    const where = emu.addTenant();
    emu.server.faults.inject({ route: "createBearerToken", kind: "reset-after" });
    const error = await failure(() => clientFor(emu).issue({ ...where, revokeOrphans: true }));
    expect(detail<string[]>(error, "revokedOrphans").length).toBe(1);
    expect(emu.listTokens(where.identityStoreId, where.tenantId)).toEqual([]);
  });

  it("a timeout while the server is still working: the late token is found by listing again", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu, "management", { attemptTimeoutMs: 150 });
    const run = createsRun(where.tenantId);
    // The handler (and so the create) runs only after 500 ms, long after the client gave up.
    emu.server.faults.inject({ route: "createBearerToken", kind: "latency", delayMs: 500 });
    const error = await failure(() => client.issue(where));
    expect(error.code).toBe("timeout");
    expect(error.details?.["orphanCheck"]).toBe("found");
    const stored = emu.listTokens(where.identityStoreId, where.tenantId);
    expect(detail<OrphanedToken[]>(error, "orphanedTokens").map((o) => o.id)).toEqual([stored[0]!.tokenId]);
    expect(createsRun(where.tenantId) - run).toBe(1);
  });

  it("without a list before the create, the creation-time window finds the orphan", async () => {
    const where = emu.addTenant();
    // An older token made by someone else: outside a zero-width window, so never taken for the orphan.
    const old = await clientFor(emu, "delegatedAdmin").issue(where);
    const client = clientFor(emu, "management", { listBeforeCreate: false, revokeOrphans: true, orphanCheck: { windowMs: 0, settleMs: 1000, intervalMs: 100 } });
    const listsBefore = emu.server.count("listBearerTokens");
    emu.server.faults.inject({ route: "createBearerToken", kind: "reset-after" });
    const error = await failure(() => client.issue(where));
    const orphans = detail<OrphanedToken[]>(error, "orphanedTokens");
    expect(orphans).toHaveLength(1);
    expect(orphans[0]!.id).not.toBe(old.id);
    expect(error.details?.["revokedOrphans"]).toEqual([orphans[0]!.id]);
    expect(emu.listTokens(where.identityStoreId, where.tenantId).map((t) => t.tokenId)).toEqual([old.id]);
    // No list before the create: only the follow-up list(s).
    expect(emu.server.count("listBearerTokens") - listsBefore).toBeGreaterThanOrEqual(1);
  });

  it("a truncated 201 (value lost): reported like a reset", async () => {
    const where = emu.addTenant();
    emu.server.faults.inject({ route: "createBearerToken", kind: "truncate" });
    const error = await failure(() => clientFor(emu).issue(where));
    expect(error.code).toBe("invalid_response");
    expect(error.details?.["orphanCheck"]).toBe("found");
    expect(detail<OrphanedToken[]>(error, "orphanedTokens")[0]!.id).toBe(emu.listTokens(where.identityStoreId, where.tenantId)[0]!.tokenId);
  });

  it("a gateway 504 after the backend made the token: reported", async () => {
    const where = emu.addTenant();
    // The handler runs (the token is made), then the gateway's answer replaces it.
    emu.server.faults.inject({ route: "createBearerToken", kind: "body", status: 504, body: { error_code: "APIGW.0201", error_msg: "Backend timeout." } });
    const error = await failure(() => clientFor(emu).issue(where));
    expect(error).toMatchObject({ code: "provider_unavailable", status: 504, providerCode: "APIGW.0201" });
    expect(detail<string>(error, "orphanCheck")).toBe("found");
    expect(detail<OrphanedToken[]>(error, "orphanedTokens")[0]!.id).toBe(emu.listTokens(where.identityStoreId, where.tenantId)[0]!.tokenId);
  });

  it("a 503 refusal: one quick check, nothing found, no settling", async () => {
    const where = emu.addTenant();
    const lists = emu.server.count("listBearerTokens");
    emu.server.faults.inject({ route: "createBearerToken", kind: "status", status: 503, body: { error_code: "APIGW.0202", error_msg: "Backend unavailable" } });
    const started = Date.now();
    const error = await failure(() => clientFor(emu).issue(where));
    expect(error.code).toBe("provider_unavailable");
    expect(detail<string>(error, "orphanCheck")).toBe("none-found");
    // The list before the create, and one after.
    expect(emu.server.count("listBearerTokens") - lists).toBe(2);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("a 4xx proves nothing was made: no check at all", async () => {
    const where = emu.addTenant();
    const lists = emu.server.count("listBearerTokens");
    emu.server.faults.inject({ route: "createBearerToken", kind: "status", status: 400, body: { error_code: "IdentityCenter.400", error_msg: "Bad Request: tenant_id." } });
    const error = await failure(() => clientFor(emu).issue(where));
    expect(error.code).toBe("invalid_request");
    expect(error.details?.["orphanCheck"]).toBeUndefined();
    expect(emu.server.count("listBearerTokens") - lists).toBe(1);
  });

  it("a reset before the handler ran: nothing made, none found, reported as such", async () => {
    const where = emu.addTenant();
    const run = createsRun(where.tenantId);
    emu.server.faults.inject({ route: "createBearerToken", kind: "reset-before" });
    const error = await failure(() => clientFor(emu, "management", { orphanCheck: { settleMs: 300, intervalMs: 100 } }).issue(where));
    expect(error.code).toBe("network");
    expect(error.details?.["orphanCheck"]).toBe("none-found");
    expect(error.details?.["orphanedTokens"]).toEqual([]);
    expect(error.hint).toContain("list the tenant's tokens later");
    expect(createsRun(where.tenantId) - run).toBe(0);
  });

  it("when the check itself fails, the error says what to look for", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu, "management", { listBeforeCreate: false, maxAttempts: 1, orphanCheck: { settleMs: 0 } });
    emu.server.faults.inject({ route: "createBearerToken", kind: "reset-after" });
    emu.server.faults.inject({ route: "listBearerTokens", kind: "status", status: 503, times: 5 });
    const error = await failure(() => client.issue(where));
    expect(error.details?.["orphanCheck"]).toBe("failed");
    expect(error.hint).toContain(where.tenantId);
    expect(error.retryable).toBe(false);
  });

  it("a deadline already passed: nothing sent, nothing to look for", async () => {
    const where = emu.addTenant();
    const before = emu.server.count();
    const error = await failure(() => clientFor(emu, "management", { listBeforeCreate: false }).issue(where, { deadline: Date.now() - 1 }));
    expect(error.code).toBe("timeout");
    expect(error.details?.["requestSent"]).toBe(false);
    expect(error.details?.["orphanCheck"]).toBeUndefined();
    expect(emu.server.count()).toBe(before);
  });

  it("an abort during the create says the token may exist", async () => {
    const where = emu.addTenant();
    emu.server.faults.inject({ route: "createBearerToken", kind: "latency", delayMs: 300 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(() => clientFor(emu).issue(where, { signal: controller.signal }));
    expect(error.code).toBe("aborted");
    expect(error.details?.["requestMayHaveBeenProcessed"]).toBe(true);
    expect(error.hint).toContain("revoke any created after");
  });
});

describe("no duplicate creates under injected faults", () => {
  const faults: Fault[] = [
    { route: "createBearerToken", kind: "reset-after" },
    { route: "createBearerToken", kind: "reset-before" },
    { route: "createBearerToken", kind: "truncate" },
    { route: "createBearerToken", kind: "status", status: 503 },
    { route: "createBearerToken", kind: "status", status: 500, body: { error_code: "IdentityCenter.1209", error_msg: "Bad Request: organization error." } },
    { route: "createBearerToken", kind: "html", status: 502 },
    { route: "createBearerToken", kind: "body", status: 504, body: "<html>gateway timeout</html>" },
    { route: "createBearerToken", kind: "latency", delayMs: 400 },
  ];
  for (const fault of faults) {
    it(`${fault.kind}${"status" in fault && fault.status ? ` ${fault.status}` : ""}: one request, at most one token`, async () => {
      const where = emu.addTenant();
      const client = clientFor(emu, "management", { attemptTimeoutMs: 200, orphanCheck: { settleMs: 600, intervalMs: 100 } });
      const [sent, run] = [createsSent(where.tenantId), createsRun(where.tenantId)];
      emu.server.faults.inject(fault);
      await failure(() => client.issue(where));
      expect(createsSent(where.tenantId) - sent).toBe(1);
      expect(createsRun(where.tenantId) - run).toBeLessThanOrEqual(1);
      // Let a delayed handler finish before counting tokens.
      await new Promise((r) => setTimeout(r, fault.kind === "latency" ? 400 : 0));
      expect(emu.listTokens(where.identityStoreId, where.tenantId).length).toBeLessThanOrEqual(1);
    });
  }

  it("429 is a refusal before processing: repeated, and exactly one token results", async () => {
    const where = emu.addTenant();
    const [sent, run] = [createsSent(where.tenantId), createsRun(where.tenantId)];
    emu.server.faults.inject({ route: "createBearerToken", kind: "status", status: 429, retryAfter: 0, body: { error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached" } });
    const token = await clientFor(emu).issue(where);
    expect(createsSent(where.tenantId) - sent).toBe(2);
    expect(createsRun(where.tenantId) - run).toBe(1);
    expect(emu.listTokens(where.identityStoreId, where.tenantId).map((t) => t.tokenId)).toEqual([token.id]);
  });

  it("concurrent creates: one fails ambiguously, the other's token is never taken for its orphan", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu, "management", { revokeOrphans: true, listBeforeCreate: false });
    emu.server.faults.inject({ route: "createBearerToken", kind: "reset-after" });
    const [first, second] = await Promise.allSettled([client.issue(where), client.issue(where)]);
    const results = [first, second];
    const ok = results.find((r) => r.status === "fulfilled");
    const bad = results.find((r) => r.status === "rejected");
    expect(ok).toBeDefined();
    expect(bad).toBeDefined();
    const okId = (ok as PromiseFulfilledResult<{ id?: string }>).value.id;
    // The successful token is still there whatever the failed call decided.
    expect(emu.listTokens(where.identityStoreId, where.tenantId).map((t) => t.tokenId)).toContain(okId);
    const error = (bad as PromiseRejectedResult).reason as { details?: Record<string, unknown> };
    expect(detail<string[]>(error, "revokedOrphans").includes(okId!)).toBe(false);
  });
});

describe("list and revoke retry", () => {
  it("list repeats after 503 and a reset", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu);
    const before = emu.server.count("listBearerTokens");
    emu.server.faults.inject({ route: "listBearerTokens", kind: "status", status: 503 });
    emu.server.faults.inject({ route: "listBearerTokens", kind: "reset-before" });
    expect(await client.listAll(where)).toEqual([]);
    expect(emu.server.count("listBearerTokens") - before).toBe(3);
  });

  it("a delete whose answer was lost is repeated; the 404 that follows counts as success", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu);
    const token = await client.issue(where);
    const before = emu.server.count("deleteBearerToken");
    emu.server.faults.inject({ route: "deleteBearerToken", kind: "reset-after" });
    await client.revoke({ ...where, tokenId: token.id! });
    expect(emu.server.count("deleteBearerToken") - before).toBe(2);
    expect(emu.listTokens(where.identityStoreId, where.tenantId)).toEqual([]);
  });

  it("a 404 after a 429 (refused before processing) is not_found: a wrong id is not taken for success", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu);
    const before = emu.server.count("deleteBearerToken");
    emu.server.faults.inject({ route: "deleteBearerToken", kind: "status", status: 429, retryAfter: 0, body: { error_code: "IAM.0429", error_msg: "Too many requests" } });
    await expect(client.revoke({ ...where, tokenId: "0b7e4c35-9d1e-4f4b-8c9a-7e115f2c1e0a" })).rejects.toMatchObject({ code: "not_found", status: 404 });
    expect(emu.server.count("deleteBearerToken") - before).toBe(2);
  });
});
