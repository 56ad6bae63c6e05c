// No secret (the API key's private key) may reach a message, JSON.stringify or util.inspect output.
import { inspect } from "node:util";
import { isTokenmintError } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IntersightEmulator } from "../src/emulator/index.js";
import { createIntersightClient, resolveConfig } from "../src/index.js";
import { emulator } from "./helpers.js";

let emu: IntersightEmulator;

beforeAll(async () => {
  emu = await emulator();
  emu.seed(30);
});
afterAll(async () => {
  await emu.close();
});

const CANARY = "CANARYc4n4ry7f3e9b2aCANARY";

/** The secret material of a PEM: its base64 lines. */
function secretParts(pem: string): string[] {
  return [CANARY, ...pem.split("\n").filter((l) => l.length >= 16 && !l.startsWith("-----"))];
}

function render(value: unknown): string[] {
  const out = [inspect(value, { depth: 10, showHidden: true, getters: true }), JSON.stringify(value) ?? ""];
  if (value instanceof Error) out.push(value.message, String(value.stack), inspect(value.cause, { depth: 5 }));
  if (isTokenmintError(value)) out.push(JSON.stringify(value.toJSON()));
  return out;
}

function assertClean(values: unknown[], secrets: string[]): void {
  for (const value of values) {
    for (const text of render(value)) {
      for (const secret of secrets) expect(text.includes(secret), `leaked ${secret.slice(0, 8)}…`).toBe(false);
    }
  }
}

async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("canaries", () => {
  it("a broken key with a canary inside never shows up in errors", async () => {
    const broken = `-----BEGIN EC PRIVATE KEY-----\n${CANARY}${"A".repeat(40)}\n-----END EC PRIVATE KEY-----\n`;
    const errors = [
      await caught(() => createIntersightClient({ endpoint: emu.url, keyId: "a/b/c", privateKey: broken }, { env: {} })),
      await caught(() => createIntersightClient({}, { env: { INTERSIGHT_API_KEY_ID: "a/b/c", INTERSIGHT_API_PRIVATE_KEY: broken } })),
      await caught(() => createIntersightClient({}, { env: { INTERSIGHT_API_KEY_ID: "a/b/c", INTERSIGHT_SECRET_KEY: `${CANARY}/no/such/file` } })),
      await caught(() => createIntersightClient({ keyId: "a/b/c", privateKey: CANARY }, { env: {} })),
    ];
    for (const error of errors) expect(isTokenmintError(error, "configuration"), String(error)).toBe(true);
    assertClean(errors, [CANARY]);
  });

  it("success and failure flows with real keys leak nothing", async () => {
    for (const kind of ["rsa", "ec"] as const) {
      const pem = emu.credentials[kind].privateKeyPem;
      const secrets = secretParts(pem);
      const logs: unknown[] = [];
      const client = createIntersightClient({ endpoint: emu.url, keyId: emu.credentials[kind].keyId, privateKey: pem }, { env: {}, logger: (e) => void logs.push(e) });
      const config = resolveConfig({ endpoint: emu.url, keyId: emu.credentials[kind].keyId, privateKey: pem }, { env: {} });
      const records = await client.listAll({ pageSize: 7 });
      const one = await client.get(records[0]!.id);
      const plan = await client.revokeMatching({ filter: { ClientId: "powershell-sdk" } }, { dryRun: true });
      const notFound = await caught(() => client.get("0123456789abcdef01234567"));
      const badQuery = await caught(() => client.listAll({ filter: "Nope eq 1" }));
      const skewed = createIntersightClient({ endpoint: emu.url, keyId: emu.credentials[kind].keyId, privateKey: pem, now: () => Date.now() - 3_600_000 }, { env: {} });
      const unauthorized = await caught(() => skewed.listAll());
      const wrongKeyId = createIntersightClient({ endpoint: emu.url, keyId: "5f00/5f01/5f02", privateKey: pem }, { env: {} });
      const unknownKey = await caught(() => wrongKeyId.count());
      expect(isTokenmintError(unauthorized, "invalid_credentials")).toBe(true);
      expect(isTokenmintError(unknownKey, "invalid_credentials")).toBe(true);
      assertClean([client, skewed, config, records, one, plan, notFound, badQuery, unauthorized, unknownKey, logs, client.configKey], secrets);
    }
  });
});
