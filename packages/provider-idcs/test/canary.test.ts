// Plants unique canary strings in every secret input and checks that no error message, JSON.stringify or
// util.inspect of results and errors, and no log event, shows one.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { type LogEvent, Secret } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IdcsEmulator, startEmulator } from "../src/emulator/index.js";
import { createIdcsClient, type IdcsClient, parseTokensTok, readTokensTok, readTokensTokAsToken, writeTokensTok } from "../src/index.js";

const CANARY = {
  clientSecret: "CANARY-client-secret-7f3a9",
  password: "CANARY-password-b81e2",
  wrongPassword: "CANARY-wrong-password-c09d4",
  wrongSecret: "CANARY-wrong-secret-d5e61",
  refreshToken: "CANARY-refresh-token-e4a70",
  assertion: "CANARY.assertion.f2b18",
  fileToken: "CANARY-file-token-0a9c3",
};

let emu: IdcsEmulator;
let dir: string;
const seen: unknown[] = [];
const logs: LogEvent[] = [];
/** Secrets that appear only at run time (issued tokens, signed assertions, the private key). */
const runtimeSecrets: string[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "idcs-canary-"));
  const app = emu.domain.apps.get(emu.credentials.assertionApp.clientId)!;
  app.clientSecret = CANARY.clientSecret;
  emu.domain.users.get(emu.credentials.users.alice.username)!.password = CANARY.password;
  runtimeSecrets.push(emu.credentials.assertionApp.privateKeyPem.split("\n")[1]!);
});
afterAll(async () => {
  await emu?.close();
  await rm(dir, { recursive: true, force: true });
});

function client(extra: Parameters<typeof createIdcsClient>[0] = {}): Promise<IdcsClient> {
  const app = emu.credentials.assertionApp;
  return createIdcsClient(
    { domainUrl: emu.url, clientId: app.clientId, clientSecret: new Secret(CANARY.clientSecret), privateKey: new Secret(app.privateKeyPem), keyId: app.certificateAlias, maxAttempts: 1, ...extra },
    { env: {}, logger: (e) => logs.push(e) },
  );
}

async function capture(run: () => Promise<unknown>): Promise<void> {
  try {
    seen.push(await run());
  } catch (error) {
    seen.push(error);
  }
}

describe("canaries", () => {
  it("no secret leaks through results, errors or logs", async () => {
    const orders = emu.credentials.resourceServers.orders.audience;
    const scope = { kind: "resource" as const, audience: orders, scopes: ["orders.read"] };
    const alice = emu.credentials.users.alice.username;
    for (const clientAuth of ["client_secret_basic", "client_secret_post", "private_key_jwt"] as const) {
      const c = await client({ clientAuth });
      await capture(async () => {
        const token = await c.issue({ grant: "password", username: alice, password: CANARY.password, scope, includeRefreshToken: true });
        runtimeSecrets.push(token.value.reveal(), token.refreshToken!.reveal());
        const refreshed = await c.refresh(token);
        runtimeSecrets.push(refreshed.value.reveal(), refreshed.refreshToken!.reveal());
        seen.push(refreshed, await c.verify(refreshed, { audience: orders }));
        return token;
      });
      await capture(async () => {
        const assertion = await c.userAssertion(alice);
        runtimeSecrets.push(assertion.reveal());
        return c.issue({ grant: "jwt_bearer", assertion, scope });
      });
      await capture(() => c.issue({ grant: "password", username: alice, password: CANARY.wrongPassword, scope }));
      await capture(() => c.issue({ grant: "refresh_token", refreshToken: CANARY.refreshToken }));
      await capture(() => c.issue({ grant: "jwt_bearer", assertion: CANARY.assertion, scope }));
      await capture(() => c.verify(CANARY.assertion, { audience: orders }));
    }
    await capture(async () => (await client({ clientSecret: CANARY.wrongSecret, clientAuth: "client_secret_basic" })).issue({ grant: "client_credentials" }));
    await capture(async () => (await client({ clientSecret: CANARY.wrongSecret, clientAuth: "client_secret_post" })).issue({ grant: "client_credentials" }));
    // Local validation failures, and a config whose key is the canary itself.
    await capture(() => client({ privateKey: new Secret(`-----BEGIN PRIVATE KEY-----\n${CANARY.fileToken}\n-----END PRIVATE KEY-----`) }));
    await capture(async () => parseTokensTok(`{"app_access_token":42,"app_refresh_token":"${CANARY.refreshToken}"}`));
    await capture(async () => parseTokensTok(`not json ${CANARY.fileToken}`));
    await capture(async () => {
      const path = await writeTokensTok({ accessToken: new Secret(CANARY.fileToken), refreshToken: new Secret(CANARY.refreshToken) }, { dir });
      return [await readTokensTok(path), await readTokensTokAsToken(path).catch((e: unknown) => e)];
    });
    const bad = join(dir, "bad.tok");
    await writeFile(bad, `{"app_access_token":"${CANARY.fileToken}","x":`);
    await capture(() => readTokensTok(bad));

    expect(seen.length).toBeGreaterThan(20);
    expect(logs.length).toBeGreaterThan(0);
    const texts = [
      ...seen.flatMap((value) => [JSON.stringify(value) ?? "", inspect(value, { depth: 10 }), value instanceof Error ? `${value.message} ${value.stack ?? ""} ${String(value.cause)}` : String(value)]),
      ...logs.map((event) => `${JSON.stringify(event)} ${inspect(event, { depth: 10 })}`),
    ].join("\n");
    for (const canary of [...Object.values(CANARY), ...runtimeSecrets]) expect(texts).not.toContain(canary);
  });
});
