import { isTokenmintError, type TokenmintError } from "@tokenmint/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IntersightEmulator } from "../src/emulator/index.js";
import { ROUTES } from "../src/emulator/index.js";
import { clientFor, DAY, emulator } from "./helpers.js";

let emu: IntersightEmulator;

beforeAll(async () => {
  emu = await emulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  for (const moid of emu.store.moids()) emu.store.delete(moid);
  emu.server.faults.clear();
});

async function failure(promise: Promise<unknown>): Promise<TokenmintError> {
  try {
    await promise;
  } catch (error) {
    if (isTokenmintError(error)) return error;
    throw error;
  }
  throw new Error("expected a TokenmintError");
}

describe("records", () => {
  it("maps iam.OAuthToken to canonical TokenRecords and keeps every property", async () => {
    const at = new Date(Date.now() - 3 * DAY);
    const mo = emu.login({ clientName: "Intersight Terraform", clientId: "tf-app", at, userAgent: "Terraform/1.6.6", ipAddress: "192.0.2.10", tags: [{ Key: "env", Value: "prod" }] });
    for (const kind of ["rsa", "ec"] as const) {
      const client = clientFor(emu, kind);
      expect(client.algorithm).toBe(kind === "rsa" ? "rsa-sha256" : "hs2019");
      const [record, ...rest] = await client.listAll();
      expect(rest).toEqual([]);
      expect(record).toMatchObject({ provider: "intersight", id: mo.Moid, client: "Intersight Terraform", subject: (mo["User"] as { Moid: string }).Moid });
      expect(record!.createdAt).toBeInstanceOf(Date);
      expect(record!.createdAt!.getTime()).toBe(at.getTime());
      expect(record!.lastUsedAt!.getTime()).toBe(at.getTime());
      expect(record!.expiresAt!.getTime()).toBe(Date.parse(mo["ExpirationTime"] as string));
      // Every Intersight property, with its raw string values.
      expect(record!.extras).toEqual(JSON.parse(JSON.stringify(mo)));
      expect(typeof record!.extras["CreateTime"]).toBe("string");
    }
  });

  it("get returns one record; an unknown Moid is not_found; a malformed one fails before any request", async () => {
    const mo = emu.login();
    const client = clientFor(emu, "ec");
    expect((await client.get(mo.Moid)).id).toBe(mo.Moid);
    const missing = await failure(client.get("0123456789abcdef01234567"));
    expect(missing).toMatchObject({ code: "not_found", status: 404, providerCode: "NotFound", retryable: false });
    expect(missing.requestId).toMatch(/^NB[0-9a-f]{32}$/);
    expect(missing.details).toMatchObject({ messageId: "barcelona_request_object_does_not_exist" });
    const before = emu.server.count();
    for (const bad of ["", "../iam/Users", "0123456789abcdef0123456?", "x".repeat(24)]) {
      expect((await failure(client.get(bad))).code).toBe("invalid_request");
      expect((await failure(client.revoke(bad))).code).toBe("invalid_request");
    }
    expect(emu.server.count()).toBe(before);
  });

  it("zero times (0001-01-01) are unset, not year 1", async () => {
    const mo = emu.login();
    (emu.store.get(mo.Moid) as Record<string, unknown>)["LastLoginTime"] = "0001-01-01T00:00:00Z";
    const record = await clientFor(emu).get(mo.Moid);
    expect(record.lastUsedAt).toBeUndefined();
    expect(record.extras["LastLoginTime"]).toBe("0001-01-01T00:00:00Z");
  });
});

describe("queries", () => {
  it("typed and raw filters, select, single pages and counts", async () => {
    const old = new Date(Date.now() - 40 * DAY);
    emu.login({ clientName: "Grafana O'Brien", clientId: "grafana", at: old });
    emu.login({ clientName: "Grafana O'Brien", clientId: "grafana" });
    emu.login({ clientName: "Other", clientId: "other", at: old });
    const client = clientFor(emu);
    expect((await client.listAll({ filter: { ClientName: "Grafana O'Brien" } })).length).toBe(2);
    expect((await client.listAll({ filter: { ClientName: "Grafana O'Brien", CreateTime: { lt: new Date(Date.now() - 30 * DAY) } } })).length).toBe(1);
    expect((await client.listAll({ filter: { or: [{ ClientId: "other" }, { ClientName: { startswith: "Graf" } }] } })).length).toBe(3);
    expect((await client.listAll({ filter: "ClientName eq 'Grafana O''Brien' and not (ClientId eq 'x')" })).length).toBe(2);
    expect(await client.count({ ClientId: { ne: "other" } })).toBe(2);
    expect(await client.count()).toBe(3);

    const selected = await client.listAll({ select: ["ClientName"] });
    expect(Object.keys(selected[0]!.extras).sort()).toEqual(["ClassId", "ClientName", "Moid", "ObjectType"]);

    const page = await client.listPage({ orderBy: "CreateTime desc,Moid", top: 2, skip: 0, inlineCount: true, select: ["CreateTime", "ClientId"] });
    expect(page.count).toBe(3);
    expect(page.records.length).toBe(2);
    expect(page.records[0]!.createdAt!.getTime()).toBeGreaterThan(page.records[1]!.createdAt!.getTime());
    const next = await client.listPage({ orderBy: [{ property: "CreateTime", descending: true }, { property: "Moid" }], top: 2, skip: 2 });
    expect(next.records.length).toBe(1);
    expect(next.count).toBeUndefined();
  });

  it("bad queries fail locally with invalid_request, or with the service's 400", async () => {
    const client = clientFor(emu);
    const before = emu.server.count();
    const local = [
      client.listAll({ filter: { Nope: "x" } as never }),
      client.listAll({ filter: "ClientName eq 'open" }),
      client.listAll({ select: ["Nope" as never] }),
      client.listAll({ orderBy: "ClientName" as never }),
      client.listAll({ pageSize: 5000 }),
      client.listAll({ top: -1 }),
      client.listPage({ orderBy: "Nope desc" }),
      client.listPage({ top: 1001 }),
      client.revokeMatching({}),
    ];
    for (const p of local) expect((await failure(p)).code).toBe("invalid_request");
    expect(emu.server.count()).toBe(before);

    // A raw filter that is balanced but not valid OData reaches the service, which answers 400.
    const remote = await failure(client.listAll({ filter: "ClientName like 'x'" }));
    expect(remote).toMatchObject({ code: "invalid_request", status: 400, providerCode: "InvalidRequest", retryable: false });
    expect(remote.message).toContain("$filter");
    expect(remote.hint).toBeDefined();
  });
});

describe("errors", () => {
  it("a key the service does not know is invalid_credentials (401)", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const stranger = clientFor(emu, "ec", { privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
    const error = await failure(stranger.listAll());
    expect(error).toMatchObject({ code: "invalid_credentials", status: 401, retryable: false });
    expect(emu.rejected.at(-1)?.reason).toBe("signature does not verify");
    const unknownId = clientFor(emu, "rsa", { keyId: `${emu.credentials.accountMoid}/aaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbb` });
    expect((await failure(unknownId.get("0123456789abcdef01234567"))).code).toBe("invalid_credentials");
    expect(emu.rejected.at(-1)?.reason).toBe("unknown API key id");
  });

  it("a clock more than 5 minutes off is refused (stale Date and created)", async () => {
    const skewed = clientFor(emu, "ec", { now: () => Date.now() - 10 * 60_000 });
    expect((await failure(skewed.listAll())).code).toBe("invalid_credentials");
    expect(emu.rejected.at(-1)?.reason).toMatch(/date header is more than 300s away/);
  });

  it("maps 403, 404, 429, 5xx and non-JSON answers", async () => {
    const client = clientFor(emu, "rsa", { maxAttempts: 2 });
    const body = { code: "Forbidden", message: "Access denied.", messageId: "barcelona_access_denied", messageParams: {}, traceId: "NBfeedface" };
    emu.server.faults.inject({ route: ROUTES.list, kind: "status", status: 403, body });
    expect(await failure(client.listAll())).toMatchObject({ code: "access_denied", status: 403, providerCode: "Forbidden", requestId: "NBfeedface" });

    emu.server.faults.inject({ route: ROUTES.list, kind: "status", status: 429, retryAfter: 0, body: { code: "TooManyRequests", message: "slow down" } });
    expect(await client.listAll()).toEqual([]); // retried after the 429

    emu.server.faults.inject({ route: ROUTES.list, kind: "status", status: 429, retryAfter: 0, times: 2 });
    expect(await failure(client.listAll())).toMatchObject({ code: "rate_limited", status: 429, retryable: true });

    emu.server.faults.inject({ route: ROUTES.list, kind: "status", status: 503, times: 2, body: { code: "ServiceUnavailable", message: "maintenance" } });
    expect(await failure(client.listAll())).toMatchObject({ code: "provider_unavailable", status: 503, retryable: true });

    emu.server.faults.inject({ route: ROUTES.list, kind: "html", status: 502, times: 2 });
    expect(await failure(client.listAll())).toMatchObject({ code: "provider_unavailable", status: 502 });

    emu.server.faults.inject({ route: ROUTES.list, kind: "status", status: 409, body: { code: "Conflict", message: "x" } });
    expect((await failure(client.listAll())).code).toBe("conflict");

    emu.server.faults.inject({ route: ROUTES.list, kind: "body", body: { ObjectType: "iam.OAuthToken.List", Results: [{ ClientName: "no moid" }] } });
    expect(await failure(client.listAll())).toMatchObject({ code: "invalid_response" });
  });

  it("GET is retried after a dropped connection", async () => {
    emu.login();
    const client = clientFor(emu);
    emu.server.faults.inject({ route: ROUTES.list, kind: "reset-before" });
    expect((await client.listAll()).length).toBe(1);
  });

  it("honours AbortSignal", async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure(clientFor(emu).listAll({}, { signal: controller.signal }))).code).toBe("aborted");
  });
});

describe("revoke", () => {
  it("deletes; a second revoke is not_found unless missingOk", async () => {
    const mo = emu.login();
    const client = clientFor(emu, "ec");
    await client.revoke(mo.Moid);
    expect(emu.store.has(mo.Moid)).toBe(false);
    expect(await failure(client.revoke(mo.Moid))).toMatchObject({ code: "not_found", status: 404 });
    await client.revoke(mo.Moid, { missingOk: true });
  });

  it("a 404 on a retried DELETE after an ambiguous first attempt means it was deleted", async () => {
    const mo = emu.login();
    const client = clientFor(emu);
    const before = emu.server.count(ROUTES.delete);
    // The first attempt deletes the record, then the connection drops before the answer.
    emu.server.faults.inject({ route: ROUTES.delete, kind: "reset-after" });
    await client.revoke(mo.Moid);
    expect(emu.store.has(mo.Moid)).toBe(false);
    expect(emu.server.count(ROUTES.delete) - before).toBe(2);
  });

  it("a 404 after a 429 (refused before processing) is not_found: a wrong Moid is not taken for success", async () => {
    const client = clientFor(emu);
    const before = emu.server.count(ROUTES.delete);
    emu.server.faults.inject({ route: ROUTES.delete, kind: "status", status: 429, retryAfter: 0 });
    expect(await failure(client.revoke("5f1e0c1a6176752d30a1b2c3"))).toMatchObject({ code: "not_found", status: 404 });
    expect(emu.server.count(ROUTES.delete) - before).toBe(2);
  });
});
