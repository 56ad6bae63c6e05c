import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secret } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Oauth2Emulator, startEmulator } from "../src/emulator/index.js";
import { oauth2Cli, optionsFromCli, requestFromCli } from "../src/cli/index.js";
import provider from "../src/index.js";
import { noEnv } from "./helpers.js";

let emu: Oauth2Emulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "oauth2-cli-"));
});
afterAll(async () => {
  await emu?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("provider definition", () => {
  it("declares the provider, its capabilities, its emulator and JSON-safe emulator credentials", () => {
    expect(provider.descriptor).toEqual({ id: "oauth2", displayName: "OAuth 2.0 / OpenID Connect", capabilities: ["issue", "refresh", "revoke"], reusableTokens: true });
    expect(provider.emulator).toBe("@tokenmint/provider-oauth2/emulator");
    expect(JSON.parse(JSON.stringify(emu.credentials))).toEqual(emu.credentials);
  });

  it("creates clients from the environment", async () => {
    const c = emu.credentials.secretClient;
    const client = await provider.createClient({}, { env: { OAUTH2_ISSUER: emu.url, OAUTH2_CLIENT_ID: c.clientId, OAUTH2_CLIENT_SECRET: c.clientSecret, OAUTH2_CLIENT_AUTH: "client_secret_post" } });
    expect(client.config.clientAuth).toBe("client_secret_post");
    await expect(client.issue({ grant: "client_credentials" })).resolves.toMatchObject({ tokenType: "Bearer" });
    await expect(provider.createClient({}, { env: { OAUTH2_ISSUER: emu.url, OAUTH2_CLIENT_ID: "c", OAUTH2_CLIENT_SECRET: "s", OAUTH2_CLIENT_AUTH: "magic" } })).rejects.toMatchObject({ code: "configuration" });
    await expect(provider.createClient({}, { env: { OAUTH2_ISSUER: emu.url, OAUTH2_CLIENT_ID: "c", OAUTH2_PRIVATE_KEY_FILE: join(dir, "missing.pem") } })).rejects.toMatchObject({ code: "configuration", message: expect.stringContaining("ENOENT") });
  });
});

describe("CLI mapping", () => {
  it("maps flags to options and to a request of each grant", () => {
    expect(optionsFromCli({ issuer: "https://a.example.com", "client-id": "c", "client-secret": new Secret("s"), "no-metadata-check": true })).toMatchObject({ issuer: "https://a.example.com", clientId: "c", checkMetadata: false });
    expect(requestFromCli({ scope: ["read,write"], resource: ["https://api.example.com"] })).toEqual({ grant: "client_credentials", scope: ["read", "write"], resource: ["https://api.example.com"], audience: undefined });
    expect(requestFromCli({ grant: "token_exchange", "subject-token": new Secret("t"), audience: ["orders"], "subject-token-type": "jwt" })).toMatchObject({ grant: "token_exchange", audience: ["orders"], subjectTokenType: "jwt" });
    expect(() => requestFromCli({ grant: "password", username: "u" })).toThrow(expect.objectContaining({ code: "configuration", message: "the password grant needs --password" }));
    expect(() => requestFromCli({ grant: "refresh_token" })).toThrow(expect.objectContaining({ code: "configuration" }));
    expect(() => requestFromCli({ grant: "implicit" })).toThrow(expect.objectContaining({ code: "configuration" }));
  });

  it("revokes through the CLI operation, with a dry run, and never takes the token as an argument", async () => {
    const c = emu.credentials.secretClient;
    const client = await provider.createClient(optionsFromCli({ issuer: emu.url, "client-id": c.clientId, "client-secret": new Secret(c.clientSecret) }), noEnv);
    const token = await oauth2Cli.issue!.run(client, { grant: "client_credentials" }, {});
    const dry = await oauth2Cli.revoke!.run(client, undefined, { token: token.value }, { dryRun: true });
    expect(dry).toEqual({ dryRun: true, ids: [`jti ${token.id}`] });
    expect((await client.introspect(token)).active).toBe(true);
    await oauth2Cli.revoke!.run(client, undefined, { token: token.value, "token-type-hint": "access_token" }, { dryRun: false });
    expect((await client.introspect(token)).active).toBe(false);
    await expect(oauth2Cli.revoke!.run(client, token.value.reveal(), {}, { dryRun: false })).rejects.toMatchObject({ code: "invalid_request" });
    const opaque = await oauth2Cli.revoke!.run(client, undefined, { token: new Secret("opaque") }, { dryRun: true });
    expect(opaque.ids[0]).toMatch(/^sha256:[0-9a-f]{12}$/);
  });

  it("runs the demo against the emulator", async () => {
    const lines: string[] = [];
    await oauth2Cli.demo!({ url: emu.url, credentials: emu.credentials }, (line) => lines.push(line), { workDir: dir });
    expect(lines).toHaveLength(5);
    expect(lines.at(-1)).toBe("introspection (RFC 7662): active true -> revoked (RFC 7009) -> active false");
  });
});
