// Secrets never leak: unique canaries in every secret input, success and failure flows, and no error
// message, JSON.stringify or util.inspect of results, clients, errors or log events may contain them.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { type LogEvent, Secret } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OciEmulator, startEmulator } from "../src/emulator/index.js";
import { createOciClient, dbScope } from "../src/index.js";
import { noEnv, rejection, tempHome, writeOciFile } from "./helpers.js";

let emu: OciEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

const canary = (what: string) => `CANARY${what}${randomBytes(8).toString("hex")}`;

function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 10, showHidden: false }), JSON.stringify(value) ?? ""];
  if (value instanceof Error) out.push(value.message, String(value.stack), inspect(value.cause, { depth: 10 }));
  return out;
}

function expectClean(values: readonly unknown[], secrets: readonly string[]): void {
  for (const value of values) {
    for (const text of renderings(value)) {
      for (const secret of secrets) expect(text.includes(secret), `leaked ${secret.slice(0, 12)}... in ${text.slice(0, 200)}`).toBe(false);
    }
  }
}

/** Distinctive pieces of a PEM key's body (a whole base64 line), which must not appear anywhere. */
function pemPieces(pem: string): string[] {
  return pem.split("\n").filter((line) => /^[A-Za-z0-9+/=]{40,}$/.test(line)).slice(1, 3);
}

describe("no secret leaks", () => {
  it("success and failure flows with canaries in every secret input", async () => {
    const events: LogEvent[] = [];
    const logger = (e: LogEvent) => events.push(e);
    const seen: unknown[] = [];
    const secrets: string[] = [];
    const c = emu.credentials;

    // 1. Config file with an encrypted API key and a canary pass phrase: success.
    const passphrase = canary("PASS");
    secrets.push(passphrase, ...pemPieces(c.privateKeyPem));
    const { home, cleanup } = await tempHome();
    try {
      const user = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const added = await emu.addUser({ publicKeyPem: user.publicKey.export({ type: "spki", format: "pem" }).toString() });
      const encrypted = user.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase }).toString();
      secrets.push(...pemPieces(user.privateKey.export({ type: "pkcs8", format: "pem" }).toString()), ...pemPieces(encrypted));
      await writeOciFile(home, "key.pem", encrypted);
      await writeOciFile(home, "config", `[DEFAULT]\ntenancy=${c.tenancy}\nuser=${added.user}\nfingerprint=${added.fingerprint}\nkey_file=~/.oci/key.pem\npass_phrase=${passphrase}\nregion=us-ashburn-1\n`);
      const client = await createOciClient({ endpoint: emu.url, logger }, { env: {}, homeDir: home });
      const token = await client.issue({ scope: dbScope.all() });
      secrets.push(token.value.reveal(), ...pemPieces(token.privateKey!.reveal()));
      seen.push(client, client.config, token, token.value, token.privateKey, token.raw);

      // 2. The same file with a wrong canary pass phrase: configuration error.
      const wrong = canary("WRONGPASS");
      secrets.push(wrong);
      await writeOciFile(home, "config", `[DEFAULT]\ntenancy=${c.tenancy}\nuser=${added.user}\nfingerprint=${added.fingerprint}\nkey_file=~/.oci/key.pem\npass_phrase=${wrong}\nregion=us-ashburn-1\n`);
      seen.push(await rejection(createOciClient({ endpoint: emu.url }, { env: {}, homeDir: home })));

      // 3. A canary key_content that is not a key, and a malformed line holding a canary.
      const keyContent = canary("KEYCONTENT");
      secrets.push(keyContent);
      await writeOciFile(home, "config", `[DEFAULT]\ntenancy=${c.tenancy}\nuser=${added.user}\nfingerprint=${added.fingerprint}\nkey_content=-----BEGIN PRIVATE KEY-----\\n${keyContent}\\n-----END PRIVATE KEY-----\nregion=us-ashburn-1\n`);
      seen.push(await rejection(createOciClient({ endpoint: emu.url }, { env: {}, homeDir: home })));
      await writeOciFile(home, "config", `[DEFAULT]\npass_phrase ${keyContent}\n`);
      seen.push(await rejection(createOciClient({ endpoint: emu.url }, { env: {}, homeDir: home })));
    } finally {
      await cleanup();
    }

    // 4. Session tokens: a real one (success) and a canary one (401).
    const sessionClient = await createOciClient({ endpoint: emu.url, securityToken: c.session.token, privateKey: c.session.privateKeyPem, logger }, noEnv);
    secrets.push(c.session.token, ...pemPieces(c.session.privateKeyPem));
    seen.push(sessionClient, await sessionClient.issue({ scope: dbScope.all() }));
    const fakeSession = canary("SESSION");
    secrets.push(fakeSession);
    const badSession = await createOciClient({ endpoint: emu.url, securityToken: new Secret(fakeSession), privateKey: c.session.privateKeyPem, logger, maxAttempts: 1 }, noEnv);
    seen.push(badSession, await rejection(badSession.issue({ scope: dbScope.all() })));
    seen.push(await rejection(createOciClient({ endpoint: emu.url, securityToken: `${fakeSession} "quoted"`, privateKey: c.session.privateKeyPem }, noEnv)));

    // 5. A response whose token is not a JWT, and a 401 with the API key: errors mention no value.
    const explicit = await createOciClient({ endpoint: emu.url, tenancy: c.tenancy, user: c.user, fingerprint: c.fingerprint, privateKey: c.privateKeyPem, logger, maxAttempts: 1 }, noEnv);
    const notJwt = canary("NOTAJWT");
    secrets.push(notJwt);
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "body", body: { token: notJwt } });
    seen.push(await rejection(explicit.issue({ scope: dbScope.all() })));
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "status", status: 401, body: { code: "NotAuthenticated", message: "no" } });
    seen.push(await rejection(explicit.issue({ scope: dbScope.all() })));

    expect(seen.length).toBeGreaterThan(8);
    expect(events.length).toBeGreaterThan(0);
    expectClean([...seen, ...events], secrets);
    // The check itself catches a leak.
    expect(() => expectClean([{ leaked: passphrase }], [passphrase])).toThrow();
  });
});
