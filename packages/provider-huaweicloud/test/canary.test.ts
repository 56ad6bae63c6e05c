// Canaries planted in every secret input (SK, security token) and the token values the emulator issues
// must never show in messages, JSON, util.inspect or debug logs, on success or failure paths.
import { inspect } from "node:util";
import type { LogEvent } from "@tokenmint/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type HuaweiCloudEmulator, startEmulator } from "../src/emulator/index.js";
import { createHuaweiCloudClient, type HuaweiCloudClient, resolveConfig } from "../src/index.js";
import { failure } from "./helpers.js";

const SK_CANARY = "CANARYsk7f3e9a1b2c4d6e8f0a1b2c3d4e5f6a7b8";
const TOKEN_CANARY = "CANARYst0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4";
const WRONG_SK_CANARY = "CANARYwrong1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c";

let emu: HuaweiCloudEmulator;
const logs: LogEvent[] = [];
let client: HuaweiCloudClient;

function leaks(value: unknown, secrets: readonly string[]): string[] {
  const texts = [typeof value === "string" ? value : "", JSON.stringify(value) ?? "", inspect(value, { depth: 10, showHidden: true, getters: true }), value instanceof Error ? `${value.message}\n${value.stack ?? ""}` : ""];
  return secrets.filter((s) => texts.some((t) => t.includes(s)));
}

beforeAll(async () => {
  emu = await startEmulator();
  const admin = emu.keys.get(emu.credentials.management.accessKey)!.account;
  emu.keys.add({ accessKey: "HPUACANARYACCESSKEY0", secretKey: SK_CANARY, securityToken: TOKEN_CANARY, account: admin });
  client = createHuaweiCloudClient(
    { endpoint: emu.url, accessKey: "HPUACANARYACCESSKEY0", secretKey: SK_CANARY, securityToken: TOKEN_CANARY, orphanCheck: { settleMs: 300, intervalMs: 100 } },
    { env: {}, logger: (event) => logs.push(event) },
  );
});
afterAll(async () => {
  await emu?.close();
});

it("no secret shows in results, errors, the client or its logs", async () => {
  const where = emu.addTenant();
  const observed: unknown[] = [client, client.config, client.configKey, resolveConfig({ endpoint: emu.url, accessKey: "HPUACANARYACCESSKEY0", secretKey: SK_CANARY, securityToken: TOKEN_CANARY }, {})];

  // Success paths.
  const token = await client.issue(where);
  observed.push(token, token.raw);
  const records = await client.listAll(where);
  observed.push(records);
  const issuedValues = emu.listTokens(where.identityStoreId, where.tenantId).map((t) => t.value);

  // Failure paths: ambiguous create (with orphan report), 403, bad signature, limit, bad ids, config errors.
  emu.server.faults.inject({ route: "createBearerToken", kind: "reset-after" });
  observed.push(await failure(() => client.issue(where)));
  observed.push(await failure(() => createHuaweiCloudClient({ endpoint: emu.url, accessKey: emu.credentials.nonAdmin.accessKey, secretKey: emu.credentials.nonAdmin.secretKey }, { env: {} }).issue(where)));
  observed.push(await failure(() => createHuaweiCloudClient({ endpoint: emu.url, accessKey: "HPUACANARYACCESSKEY0", secretKey: WRONG_SK_CANARY, securityToken: TOKEN_CANARY }, { env: {} }).listAll(where)));
  observed.push(await failure(() => createHuaweiCloudClient({ endpoint: emu.url, accessKey: "HPUACANARYACCESSKEY0", secretKey: SK_CANARY, securityToken: `${TOKEN_CANARY}x` }, { env: {} }).listAll(where)));
  observed.push(await failure(() => client.revoke({ ...where, tokenId: "does-not-exist" })));
  observed.push(await failure(async () => createHuaweiCloudClient({ endpoint: emu.url, accessKey: "HPUACANARYACCESSKEY0", secretKey: ` ${SK_CANARY}` }, { env: {} })));
  observed.push(await failure(async () => createHuaweiCloudClient({ endpoint: emu.url, accessKey: "HPUACANARYACCESSKEY0", secretKey: SK_CANARY, securityToken: `${TOKEN_CANARY}\n` }, { env: {} })));
  observed.push(await failure(async () => createHuaweiCloudClient({ endpoint: "http://example.com", accessKey: "AK", secretKey: SK_CANARY }, { env: {} })));
  emu.server.faults.inject({ route: "createBearerToken", kind: "truncate" });
  observed.push(await failure(() => client.issue(where)));
  await client.revoke({ ...where, tokenId: token.id! });

  const secrets = [SK_CANARY, TOKEN_CANARY, WRONG_SK_CANARY, ...issuedValues];
  for (const value of observed) expect(leaks(value, secrets)).toEqual([]);
  expect(logs.length).toBeGreaterThan(0);
  expect(leaks(logs, secrets)).toEqual([]);
  // The value itself is still there for the caller who asks for it.
  expect(issuedValues).toContain(token.value.reveal());
});
