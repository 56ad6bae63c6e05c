// End to end against the emulator on 127.0.0.1: create, list, revoke, the account rule, limits, errors.
import { Secret } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeAuthorizationMessage, type HuaweiCloudEmulator, startEmulator } from "../src/emulator/index.js";
import huaweicloud, { createHuaweiCloudClient, ENCODED_MESSAGE_DETAIL } from "../src/index.js";
import { clientFor, failure } from "./helpers.js";

let emu: HuaweiCloudEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});

describe("create, list, revoke", () => {
  it("creates a token: value kept as a Secret, id, times, request id", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu);
    const before = Date.now();
    const token = await client.issue(where);
    expect(token.provider).toBe("huaweicloud");
    expect(token.tokenType).toBe("Bearer");
    expect(token.value).toBeInstanceOf(Secret);
    expect(token.raw["token"]).toBeInstanceOf(Secret);
    const stored = emu.listTokens(where.identityStoreId, where.tenantId);
    expect(stored).toHaveLength(1);
    expect(token.id).toBe(stored[0]!.tokenId);
    expect(token.value.reveal()).toBe(stored[0]!.value);
    expect(token.issuedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(token.expiresAt!.getTime()).toBe(stored[0]!.expirationTime);
    expect(token.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(token)).not.toContain(stored[0]!.value);
  });

  it("lists tokens without values, through the async iterable and listAll", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu);
    const a = await client.issue(where);
    const b = await client.issue(where);
    const records = [];
    for await (const r of client.list(where)) records.push(r);
    expect(records.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(records[0]!.createdAt).toBeInstanceOf(Date);
    expect(records[0]!.expiresAt).toBeInstanceOf(Date);
    expect(records[0]!.extras).toEqual({ identity_store_id: where.identityStoreId, tenant_id: where.tenantId });
    expect(JSON.stringify(records)).not.toContain(a.value.reveal());
    expect((await client.listAll(where)).map((r) => r.id)).toEqual([a.id, b.id]);
  });

  it("revokes a token; revoking it again is not_found", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu);
    const token = await client.issue(where);
    await client.revoke({ ...where, tokenId: token.id! });
    expect(await client.listAll(where)).toEqual([]);
    const again = await failure(() => client.revoke({ ...where, tokenId: token.id! }));
    expect(again.code).toBe("not_found");
    expect(again.providerCode).toBe("IdentityCenter.404");
    expect(again.status).toBe(404);
    expect(again.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("works for a delegated administrator and for temporary credentials (signed X-Security-Token)", async () => {
    const where = emu.addTenant();
    const t1 = await clientFor(emu, "delegatedAdmin").issue(where);
    const t2 = await clientFor(emu, "temporary").issue(where);
    expect((await clientFor(emu, "temporary").listAll(where)).map((r) => r.id)).toEqual([t1.id, t2.id]);
  });

  it("goes through the provider definition and its descriptor", async () => {
    expect(huaweicloud.descriptor).toMatchObject({ id: "huaweicloud", capabilities: ["issue", "list", "revoke"], reusableTokens: false });
    const c = emu.credentials.management;
    const client = await huaweicloud.createClient({ endpoint: emu.url, accessKey: c.accessKey, secretKey: c.secretKey }, { env: {} });
    const where = emu.addTenant();
    expect((await client.issue(where)).id).toBeDefined();
    expect(client.configKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(client.configKey).not.toBe(clientFor(emu, "delegatedAdmin").configKey);
  });
});

describe("who may call", () => {
  it("refuses a member account with 403 and surfaces the encoded authorization message", async () => {
    const where = emu.addTenant();
    const error = await failure(() => clientFor(emu, "nonAdmin").issue(where));
    expect(error.code).toBe("access_denied");
    expect(error.status).toBe(403);
    expect(error.providerCode).toBe("IdentityCenter.1000");
    expect(error.message).toContain("No permission for action IdentityCenter:externalIdp:");
    expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
    const encoded = error.details?.[ENCODED_MESSAGE_DETAIL];
    expect(typeof encoded).toBe("string");
    expect(decodeAuthorizationMessage(encoded as string)).toMatchObject({ action: "IdentityCenter:externalIdp:listBearerTokens" });
    expect(error.hint).toContain("decode-authorization-message");
    expect(JSON.stringify(error)).toContain(encoded as string);
    expect(emu.listTokens(where.identityStoreId, where.tenantId)).toEqual([]);
  });

  it("reports the create's own 403 when the list before it is turned off", async () => {
    const where = emu.addTenant();
    const error = await failure(() => clientFor(emu, "nonAdmin", { listBeforeCreate: false }).issue(where));
    expect(decodeAuthorizationMessage(error.details?.[ENCODED_MESSAGE_DETAIL] as string)).toMatchObject({ action: "IdentityCenter:externalIdp:createBearerToken" });
  });
});

describe("signature failures answer 401 APIGW.0301", () => {
  it("unknown AK", async () => {
    const error = await failure(() => createHuaweiCloudClient({ endpoint: emu.url, accessKey: "HPUANOSUCHKEY0000000", secretKey: "x".repeat(40) }, { env: {} }).listAll(emu.credentials));
    expect(error).toMatchObject({ code: "invalid_credentials", status: 401, providerCode: "APIGW.0301" });
    expect(error.message).toContain("ak not exist");
    expect(error.hint).toContain("15 minutes");
  });

  it("wrong SK (bad signature)", async () => {
    const error = await failure(() => clientFor(emu, "management", { secretKey: "y".repeat(40) }).listAll(emu.credentials));
    expect(error).toMatchObject({ code: "invalid_credentials", providerCode: "APIGW.0301" });
    expect(error.message).toContain("verify aksk signature fail");
  });

  it("X-Sdk-Date more than 15 minutes off", async () => {
    const skewed = clientFor(emu, "management", { now: () => Date.now() - 16 * 60 * 1000 });
    const error = await failure(() => skewed.listAll(emu.credentials));
    expect(error).toMatchObject({ code: "invalid_credentials", providerCode: "APIGW.0301" });
    expect(error.message).toContain("15 minutes");
    // 14 minutes is still accepted.
    await clientFor(emu, "management", { now: () => Date.now() + 14 * 60 * 1000 }).listAll(emu.credentials);
  });

  it("temporary credentials without their security token, or with another one", async () => {
    const missing = await failure(() => clientFor(emu, "temporary", { securityToken: undefined }).listAll(emu.credentials));
    expect(missing).toMatchObject({ code: "invalid_credentials", providerCode: "APIGW.0301" });
    expect(missing.message).toContain("X-Security-Token");
    const wrong = await failure(() => clientFor(emu, "temporary", { securityToken: "gQpjbi1ub3J0aC00wrongtoken" }).listAll(emu.credentials));
    expect(wrong).toMatchObject({ code: "invalid_credentials", providerCode: "APIGW.0301" });
  });
});

describe("limits and unknown ids", () => {
  it("answers 400 past the per-tenant limit, reported as quota_exceeded", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu);
    const previous = emu.tokens.tokenLimit;
    emu.tokens.tokenLimit = 2;
    try {
      await client.issue(where);
      await client.issue(where);
      const error = await failure(() => client.issue(where));
      expect(error.code).toBe("quota_exceeded");
      expect(error.status).toBe(400);
      expect(error.providerCode).toBe("IdentityCenter.400");
      expect(error.hint).toContain("revoke");
      expect(emu.listTokens(where.identityStoreId, where.tenantId)).toHaveLength(2);
    } finally {
      emu.tokens.tokenLimit = previous;
    }
  });

  it("reports an unknown identity store or tenant, and an unknown token id", async () => {
    const client = clientFor(emu);
    const unknownTenant = await failure(() => client.issue({ identityStoreId: emu.credentials.identityStoreId, tenantId: "00000000-0000-4000-8000-000000000000" }));
    expect(unknownTenant).toMatchObject({ code: "invalid_request", status: 400, providerCode: "IdentityCenter.400" });
    expect(unknownTenant.message).toContain("has no tenant");
    const unknownToken = await failure(() => client.revoke({ ...emu.credentials, tokenId: "11111111-2222-4333-8444-555555555555" }));
    expect(unknownToken).toMatchObject({ code: "not_found", providerCode: "IdentityCenter.404" });
  });

  it("refuses malformed ids before any request", async () => {
    const client = clientFor(emu);
    const before = emu.server.count();
    for (const bad of ["", "../x", "a/b", "a b", ".", "..", "é", "x".repeat(129)]) {
      const e1 = await failure(() => client.issue({ identityStoreId: bad, tenantId: emu.credentials.tenantId }));
      expect(e1.code).toBe("invalid_request");
      expect(e1.message).toContain("identityStoreId");
      expect(() => client.list({ identityStoreId: emu.credentials.identityStoreId, tenantId: bad })).toThrow(/tenantId/);
      const e3 = await failure(() => client.revoke({ ...emu.credentials, tokenId: bad }));
      expect(e3.message).toContain("tokenId");
    }
    const e4 = await failure(() => client.issue({ identityStoreId: 42 as unknown as string, tenantId: "t" }));
    expect(e4.message).toContain("must be a string");
    expect(emu.server.count()).toBe(before);
  });

  it("maps API Gateway's 'API not published' (wrong endpoint path) to configuration", async () => {
    const c = emu.credentials.management;
    const error = await failure(() => createHuaweiCloudClient({ endpoint: `${emu.url}/wrong-prefix`, accessKey: c.accessKey, secretKey: c.secretKey }, { env: {} }).listAll(emu.credentials));
    expect(error).toMatchObject({ code: "configuration", status: 404, providerCode: "APIGW.0101" });
  });
});

describe("the emulator accepts what the official Node SDK sends", () => {
  it("verifies an AKSKSigner signature that signs every header", async () => {
    const { createRequire } = await import("node:module");
    const require = createRequire(import.meta.url);
    const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner") as { AKSKSigner: { sign(r: object, c: object): Record<string, string> } };
    const { BasicCredentials } = require("@huaweicloud/huaweicloud-sdk-core") as { BasicCredentials: new () => { withAk(a: string): { withSk(s: string): { withSecurityToken(t: string): object } } } };
    const t = emu.credentials.temporary;
    const path = `/v1/identity-stores/${emu.credentials.identityStoreId}/tenant/${emu.credentials.tenantId}/bearer-token`;
    const headers = AKSKSigner.sign(
      { method: "GET", endpoint: `${emu.url}${path}`, headers: { "Content-Type": "application/json", "User-Agent": "huaweicloud-usdk-nodejs/3.0", "X-Security-Token": t.securityToken! }, queryParams: {} },
      new BasicCredentials().withAk(t.accessKey).withSk(t.secretKey).withSecurityToken(t.securityToken!),
    );
    expect(headers["Authorization"]).toContain("SignedHeaders=content-type;host;user-agent;x-sdk-date;x-security-token");
    const response = await fetch(`${emu.url}${path}`, { headers });
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty("bearer_tokens");
  });
});
