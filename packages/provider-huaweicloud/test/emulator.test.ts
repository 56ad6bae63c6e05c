// The emulator on its own (raw HTTP), and the CLI operations and demo against it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HuaweiCloudEmulator, startEmulator } from "../src/emulator/index.js";
import { huaweiCloudCli } from "../src/cli/index.js";
import { createSigningKey, formatSdkDate, signRequest } from "../src/index.js";
import { clientFor, failure } from "./helpers.js";

let emu: HuaweiCloudEmulator;
beforeAll(async () => {
  emu = await startEmulator({ tokenLimit: 3 });
});
afterAll(async () => {
  await emu?.close();
});

const collection = () => `/v1/identity-stores/${emu.credentials.identityStoreId}/tenant/${emu.credentials.tenantId}/bearer-token`;

function signedHeaders(method: string, path: string, date = formatSdkDate(new Date())): Record<string, string> {
  const m = emu.credentials.management;
  const host = new URL(emu.url).host;
  const { authorization } = signRequest({ method, path, headers: { host, "x-sdk-date": date } }, createSigningKey(m.accessKey, m.secretKey));
  return { "x-sdk-date": date, authorization };
}

describe("emulator", () => {
  it("hands out JSON-safe credentials for every account", () => {
    const c = emu.credentials;
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(c.temporary.securityToken).toBeDefined();
    expect(c.management.securityToken).toBeUndefined();
    expect(c.endpoint).toBe(emu.url);
    expect(emu.provider).toBe("huaweicloud");
  });

  it("answers the real error shape, with X-Request-Id, when Authorization is missing", async () => {
    const response = await fetch(`${emu.url}${collection()}`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as Record<string, string>;
    expect(body["error_code"]).toBe("APIGW.0301");
    expect(body["error_msg"]).toMatch(/^Incorrect IAM authentication information: /);
    expect(body["request_id"]).toBe(response.headers.get("x-request-id"));
  });

  it("answers APIGW.0101 for paths it does not publish", async () => {
    const response = await fetch(`${emu.url}/v3/projects`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error_code: "APIGW.0101" });
  });

  it("rejects a signature over another path; 404 for an unknown token", async () => {
    const wrongPath = await fetch(`${emu.url}${collection()}`, { headers: signedHeaders("GET", "/v1/other") });
    expect(wrongPath.status).toBe(401);
    expect(((await wrongPath.json()) as Record<string, string>)["error_msg"]).toContain("verify aksk signature fail");
    const ok = await fetch(`${emu.url}${collection()}`, { headers: signedHeaders("GET", collection()) });
    expect(ok.status).toBe(200);
    const deleted = await fetch(`${emu.url}${collection()}/nope`, { method: "DELETE", headers: signedHeaders("DELETE", `${collection()}/nope`) });
    expect(deleted.status).toBe(404);
    expect(await deleted.json()).toMatchObject({ error_code: "IdentityCenter.404" });
  });

  it("the kit's clock-skew fault makes X-Sdk-Date too far off", async () => {
    emu.server.faults.inject({ route: "listBearerTokens", kind: "clock-skew", skewMs: 20 * 60 * 1000 });
    const error = await failure(() => clientFor(emu).listAll(emu.credentials));
    expect(error).toMatchObject({ code: "invalid_credentials", providerCode: "APIGW.0301" });
  });

  it("honours the configured token limit and counts every token made", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu);
    const before = emu.tokens.created;
    for (let i = 0; i < 3; i++) await client.issue(where);
    expect((await failure(() => client.issue(where))).code).toBe("quota_exceeded");
    expect(emu.tokens.created - before).toBe(3);
  });
});

describe("CLI operations", () => {
  it("issue, list, revoke (dry run and real)", async () => {
    const where = emu.addTenant();
    const client = clientFor(emu);
    const values = { "identity-store-id": where.identityStoreId, "tenant-id": where.tenantId };
    const token = await huaweiCloudCli.issue!.run(client, values, {});
    const listed = [];
    for await (const r of huaweiCloudCli.list!.run(client, values, {})) listed.push(r);
    expect(listed.map((r) => r.id)).toEqual([token.id]);
    expect(await huaweiCloudCli.revoke!.run(client, token.id, values, { dryRun: true })).toMatchObject({ dryRun: true, ids: [token.id] });
    expect(emu.listTokens(where.identityStoreId, where.tenantId)).toHaveLength(1);
    expect(await huaweiCloudCli.revoke!.run(client, token.id, values, { dryRun: false })).toEqual({ dryRun: false, ids: [token.id] });
    expect(emu.listTokens(where.identityStoreId, where.tenantId)).toHaveLength(0);
    expect((await failure(() => huaweiCloudCli.revoke!.run(client, undefined, values, { dryRun: false }))).code).toBe("configuration");
  });

  it("maps flags to options", () => {
    expect(huaweiCloudCli.config.toOptions({ "access-key": "AK", region: "cn-north-4", "revoke-orphans": true })).toMatchObject({ accessKey: "AK", region: "cn-north-4", revokeOrphans: true });
  });

  it("runs the demo against the emulator", async () => {
    const lines: string[] = [];
    await huaweiCloudCli.demo!({ url: emu.url, credentials: emu.credentials }, (line) => lines.push(line), { workDir: "/tmp" });
    expect(lines.join("\n")).toContain("access_denied");
    expect(lines.at(-1)).toMatch(/^revoked /);
  });
});
