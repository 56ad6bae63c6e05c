// client_secret_jwt (RFC 7523 section 2.2 with an HMAC keyed with the client secret, OpenID Connect Core
// section 9) between the real client and the real emulator on loopback: each HS algorithm, the default
// chosen from the metadata, and every refusal (wrong secret, replayed jti, wrong aud, expired assertion,
// algorithm not allowed, secret too short), with a canary secret that must appear in no error, log line,
// inspect or JSON output.
import { createHmac, randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { clientAuthParts, createSecretAssertionSigner, encodeForm, type LogEvent, Secret, TokenmintError } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Oauth2Emulator, startEmulator } from "../src/emulator/index.js";
import { createOauth2Client, type Oauth2Options } from "../src/index.js";
import { keyClient, noEnv, rejection, secretClient, secretJwtClient } from "./helpers.js";

let emu: Oauth2Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});

const ALGORITHMS = ["HS256", "HS384", "HS512"] as const;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A JWT signed by hand (for what the client library refuses to produce: short keys, other algorithms). */
function handSigned(header: Record<string, unknown>, claims: Record<string, unknown>, secret: string, hash: "sha256" | "sha384" | "sha512" = "sha256"): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest("base64url")}`;
}

function claimsFor(clientId: string, aud: string, nowSec = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  return { iss: clientId, sub: clientId, aud, iat: nowSec, exp: nowSec + 60, jti: randomBytes(8).toString("hex") };
}

/** One client_credentials request with the given client authentication fields, straight to the emulator. */
async function tokenRequest(server: Oauth2Emulator, fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(server.credentials.tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: "client_credentials", ...fields }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const assertionFields = (assertion: string) => ({ client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion });

describe("client_secret_jwt against the emulator", () => {
  it.each(ALGORITHMS)("%s: tokens for each grant, introspection and revocation authenticated with a fresh assertion each time", async (algorithm) => {
    const c = await secretJwtClient(emu, { assertionAlgorithm: algorithm });
    const token = await c.issue({ grant: "client_credentials", scope: "read", resource: emu.credentials.resources.api });
    expect((await c.verify(token, { audience: emu.credentials.resources.api })).claims).toMatchObject({ client_id: emu.credentials.secretJwtClient.clientId, scope: "read" });
    const alice = emu.credentials.users.alice;
    const user = await c.issue({ grant: "password", username: alice.username, password: alice.password });
    const refreshed = await c.refresh(user);
    expect((await c.introspect(refreshed)).active).toBe(true);
    await c.revoke(refreshed);
    expect((await c.introspect(refreshed)).active).toBe(false);
  });

  it("is listed in the metadata with the HMAC algorithms, and the client's assertion names the token endpoint as aud", async () => {
    const metadata = (await (await secretClient(emu)).endpoints()).metadata!;
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"]);
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).toEqual(expect.arrayContaining(["HS256", "HS384", "HS512", "RS256"]));
    // The same assertion the client sends (core's clientAuthParts), replayed by hand: the emulator took it once.
    const signer = await createSecretAssertionSigner({ clientSecret: emu.credentials.secretJwtClient.clientSecret, provider: "oauth2" });
    const parts = await clientAuthParts({ method: "client_secret_jwt", clientId: emu.credentials.secretJwtClient.clientId, signer, audience: emu.credentials.tokenEndpoint }, "oauth2");
    const fields = Object.fromEntries(new URLSearchParams(encodeForm(parts.form)));
    expect(JSON.parse(Buffer.from(fields["client_assertion"]!.split(".")[1]!, "base64url").toString())).toMatchObject({ aud: emu.credentials.tokenEndpoint });
    expect(await tokenRequest(emu, fields)).toMatchObject({ status: 200 });
    expect(await tokenRequest(emu, fields)).toEqual({ status: 401, body: { error: "invalid_client", error_description: "the client assertion was already used (jti replay)" } });
  });

  it("takes the issuer as aud (assertionAudience), and refuses another audience", async () => {
    await expect((await secretJwtClient(emu, { assertionAudience: emu.url })).issue({ grant: "client_credentials" })).resolves.toMatchObject({ tokenType: "Bearer" });
    const error = await rejection((await secretJwtClient(emu, { assertionAudience: "https://other.example.com" })).issue({ grant: "client_credentials" }));
    expect(error).toMatchObject({ code: "invalid_credentials", status: 401, providerCode: "invalid_client", message: expect.stringContaining('"aud"') });
  });

  it("a wrong secret is invalid_credentials; so is the right secret with another method or for a client not registered for it", async () => {
    const wrong = `${emu.credentials.secretJwtClient.clientSecret.slice(0, -2)}zz`;
    const error = await rejection((await secretJwtClient(emu, { clientSecret: wrong })).issue({ grant: "client_credentials" }));
    expect(error).toMatchObject({ code: "invalid_credentials", status: 401, providerCode: "invalid_client", message: expect.stringContaining("signature verification failed") });
    // Registered for client_secret_jwt only: the same secret over Basic is refused.
    await expect((await secretJwtClient(emu, { clientAuth: "client_secret_basic" })).issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_credentials" });
    // The secret client (client_secret_basic/post only) has a secret long enough for HS256, but not client_secret_jwt.
    await expect((await secretClient(emu, { clientAuth: "client_secret_jwt" })).issue({ grant: "client_credentials" })).rejects.toMatchObject({
      code: "invalid_credentials",
      message: expect.stringContaining("client_secret_jwt is not registered for this client"),
    });
  });

  it("an expired assertion is refused (server clock 10 minutes ahead of the client's 5-minute assertion)", async () => {
    const ahead = await startEmulator({ now: () => Date.now() + 600_000 });
    try {
      const error = await rejection((await secretJwtClient(ahead)).issue({ grant: "client_credentials" }));
      expect(error).toMatchObject({ code: "invalid_credentials", providerCode: "invalid_client", message: expect.stringContaining("expired") });
      // Short-lived by hand too: exp in the past beyond the 30 s tolerance.
      const { clientId, clientSecret } = emu.credentials.secretJwtClient;
      const past = Math.floor(Date.now() / 1000) - 120;
      const stale = handSigned({ alg: "HS256", typ: "JWT" }, { ...claimsFor(clientId, emu.credentials.tokenEndpoint, past), exp: past + 60 }, clientSecret);
      expect(await tokenRequest(emu, assertionFields(stale))).toMatchObject({ status: 401, body: { error: "invalid_client", error_description: expect.stringContaining("expired") } });
    } finally {
      await ahead.close();
    }
  });

  it("algorithms: none, an RS256 assertion for a secret client, one the client did not register, one the server does not accept", async () => {
    const { clientId } = emu.credentials.secretJwtClient;
    const aud = emu.credentials.tokenEndpoint;
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64(claimsFor(clientId, aud))}.`;
    expect(await tokenRequest(emu, assertionFields(unsigned))).toMatchObject({ status: 401, body: { error: "invalid_client", error_description: 'client assertion algorithm "none" is not allowed' } });
    // HS1-style confusion: an HMAC header over a key client's id (no secret registered), and an RS256 assertion naming the secret client.
    const key = emu.credentials.keyClient;
    expect(await tokenRequest(emu, assertionFields(handSigned({ alg: "HS256" }, claimsFor(key.clientId, aud), "whatever-0123456789abcdef0123456789")))).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    const rsa = await keyClient(emu, { clientId, assertionAudience: aud, clientAuth: "private_key_jwt" });
    await expect(rsa.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_credentials", message: expect.stringContaining("private_key_jwt is not registered for this client") });
    // A client registered for HS512 only (RFC 7591 token_endpoint_auth_signing_alg).
    const hs512 = emu.directory.addClient({ clientId: `hs512-${randomBytes(3).toString("hex")}`, secret: randomBytes(48).toString("base64url"), authMethods: new Set(["client_secret_jwt"]), assertionAlgorithm: "HS512" });
    const options: Oauth2Options = { issuer: emu.url, clientId: hs512.clientId, clientSecret: hs512.secret, clientAuth: "client_secret_jwt" };
    await expect((await createOauth2Client(options, noEnv)).issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_credentials", message: expect.stringContaining("not the one registered for this client (HS512)") });
    await expect((await createOauth2Client({ ...options, assertionAlgorithm: "HS512" }, noEnv)).issue({ grant: "client_credentials" })).resolves.toMatchObject({ tokenType: "Bearer" });
    // A server that accepts HS256 only: HS384 is refused before any call from its metadata, and by the server when sent anyway.
    const only256 = await startEmulator({ assertionAlgorithms: ["HS256", "RS256"] });
    try {
      const c = await secretJwtClient(only256, { assertionAlgorithm: "HS384" });
      await c.endpoints();
      const before = only256.server.count("token");
      await expect(c.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "unsupported", message: expect.stringContaining("does not list HS384 for client_secret_jwt") });
      expect(only256.server.count("token")).toBe(before);
      const anyway = await secretJwtClient(only256, { assertionAlgorithm: "HS384", checkMetadata: false });
      await expect(anyway.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_credentials", message: expect.stringContaining("HS384 is not allowed by this server") });
      await expect((await secretJwtClient(only256)).issue({ grant: "client_credentials" })).resolves.toMatchObject({ tokenType: "Bearer" });
    } finally {
      await only256.close();
    }
  });

  it("a secret shorter than the hash is a configuration error before any call; the emulator refuses one too", async () => {
    const issuer = emu.url;
    const short = "s".repeat(31);
    await expect(createOauth2Client({ issuer, clientId: "c", clientSecret: short, clientAuth: "client_secret_jwt" }, noEnv)).rejects.toMatchObject({ code: "configuration", message: expect.stringContaining("248 bits") });
    await expect(createOauth2Client({ issuer, clientId: "c", clientSecret: "s".repeat(32), clientAuth: "client_secret_jwt", assertionAlgorithm: "HS384" }, noEnv)).rejects.toMatchObject({ code: "configuration", message: expect.stringContaining("at least 384") });
    await expect(createOauth2Client({ issuer, clientId: "c", clientSecret: "s".repeat(64), clientAuth: "client_secret_jwt", assertionAlgorithm: "RS256" }, noEnv)).rejects.toMatchObject({ code: "configuration" });
    await expect(createOauth2Client({ issuer, clientId: "c", privateKey: emu.credentials.keyClient.privateKeyPem, clientAuth: "private_key_jwt", assertionAlgorithm: "HS256" }, noEnv)).rejects.toMatchObject({ code: "configuration" });
    await expect(createOauth2Client({ issuer, clientId: "c", clientAuth: "client_secret_jwt" }, noEnv)).rejects.toMatchObject({ code: "configuration", message: "client_secret_jwt needs a client secret" });
    await expect(createOauth2Client({ issuer, clientId: "c", clientAuth: "client_secret_jwt" }, { env: { OAUTH2_CLIENT_SECRET: "s".repeat(32) } })).resolves.toBeDefined();
    // Chosen from the metadata, with the algorithm it lists (HS512): found too short at the first request, before the token endpoint is called.
    const only512 = await startEmulator({ authMethods: ["client_secret_jwt"], assertionAlgorithms: ["HS512"] });
    try {
      const client = only512.directory.addClient({ clientId: "short-secret", secret: "s".repeat(32), authMethods: new Set(["client_secret_jwt"]) });
      const c = await createOauth2Client({ issuer: only512.url, clientId: client.clientId, clientSecret: client.secret }, noEnv);
      const error = await rejection(c.issue({ grant: "client_credentials" }));
      expect(error).toMatchObject({ code: "configuration", message: expect.stringContaining("at least 512 (the hash size) for HS512") });
      expect(only512.server.count("token")).toBe(0);
      // The server side (RFC 7518 section 3.2 binds it too): an assertion keyed with a 16-byte secret is refused.
      const tiny = only512.directory.addClient({ clientId: "tiny", secret: "t".repeat(16), authMethods: new Set(["client_secret_jwt"]) });
      const assertion = handSigned({ alg: "HS512" }, claimsFor(tiny.clientId, only512.credentials.tokenEndpoint), tiny.secret!, "sha512");
      expect(await tokenRequest(only512, assertionFields(assertion))).toMatchObject({ status: 401, body: { error: "invalid_client", error_description: "the client secret is too short for HS512" } });
    } finally {
      await only512.close();
    }
  });

  it("is the default with a secret when the metadata lists it and neither client_secret_basic nor client_secret_post, with the HMAC algorithm it lists", async () => {
    const jwtOnly = await startEmulator({ authMethods: ["client_secret_jwt", "private_key_jwt"], assertionAlgorithms: ["RS256", "HS384"] });
    try {
      const { clientId, clientSecret } = jwtOnly.credentials.secretJwtClient;
      const c = await createOauth2Client({ issuer: jwtOnly.url, clientId, clientSecret }, noEnv);
      expect(c.config.clientAuth).toBeUndefined();
      const token = await c.issue({ grant: "client_credentials" });
      expect(token.tokenType).toBe("Bearer");
      // This emulator refuses Basic, post and HS256 assertions, so the token proves the choice of
      // client_secret_jwt with HS384; the revocation endpoint too.
      await c.revoke(token);
      // The existing defaults stand where Basic is listed.
      expect((await (await secretClient(emu)).issue({ grant: "client_credentials" })).tokenType).toBe("Bearer");
    } finally {
      await jwtOnly.close();
    }
  });

  it("client_credentials is not repeated after a 503 (the repeat would carry the same jti); a 429 is", async () => {
    const c = await secretJwtClient(emu);
    await c.endpoints();
    let before = emu.server.count("token");
    emu.server.faults.inject({ route: "token", kind: "status", status: 503, body: { error: "temporarily_unavailable" } });
    await expect(c.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "provider_unavailable", status: 503, retryable: true });
    expect(emu.server.count("token") - before).toBe(1);
    before = emu.server.count("token");
    emu.server.faults.inject({ route: "token", kind: "status", status: 429, retryAfter: 0, body: { error: "slow_down" } });
    await expect(c.issue({ grant: "client_credentials" })).resolves.toBeDefined();
    expect(emu.server.count("token") - before).toBe(2);
  });
});

describe("the client secret of client_secret_jwt", () => {
  it("appears in no error, log line, inspect, JSON or cache key (a canary secret through every path)", async () => {
    const canary = `CANARY-${randomBytes(40).toString("hex")}`;
    const registered = emu.directory.addClient({ clientId: `canary-${randomBytes(3).toString("hex")}`, secret: canary, authMethods: new Set(["client_secret_jwt"]), grants: new Set(["client_credentials"]) });
    const events: LogEvent[] = [];
    const logger = (event: LogEvent) => void events.push(event);
    const texts: string[] = [];
    const record = (value: unknown) => texts.push(String(value), JSON.stringify(value) ?? "", inspect(value, { depth: 10, showHidden: true }));

    const c = await createOauth2Client({ issuer: emu.url, clientId: registered.clientId, clientSecret: canary, clientAuth: "client_secret_jwt", assertionAlgorithm: "HS512", logger }, noEnv);
    const token = await c.issue({ grant: "client_credentials" });
    record(token);
    record(c);
    record(c.config);
    texts.push(c.configKey);
    // Refused by the server (wrong audience), by the metadata check, by the length check.
    record(await rejection((await createOauth2Client({ issuer: emu.url, clientId: registered.clientId, clientSecret: canary, clientAuth: "client_secret_jwt", assertionAudience: "https://x.example.com", logger }, noEnv)).issue({ grant: "client_credentials" })));
    const wrongSecret = `${canary}-but-not-registered`;
    record(await rejection((await createOauth2Client({ issuer: emu.url, clientId: registered.clientId, clientSecret: wrongSecret, clientAuth: "client_secret_jwt", logger }, noEnv)).issue({ grant: "client_credentials" })));
    const only256 = await startEmulator({ assertionAlgorithms: ["HS256"] });
    try {
      record(await rejection((await createOauth2Client({ issuer: only256.url, clientId: registered.clientId, clientSecret: canary, clientAuth: "client_secret_jwt", assertionAlgorithm: "HS384", logger }, noEnv)).issue({ grant: "client_credentials" })));
    } finally {
      await only256.close();
    }
    const shortCanary = canary.slice(0, 40);
    record(await rejection(createOauth2Client({ issuer: emu.url, clientId: "c", clientSecret: shortCanary, clientAuth: "client_secret_jwt", assertionAlgorithm: "HS384", logger }, noEnv)));
    record(await rejection(createSecretAssertionSigner({ clientSecret: new Secret(shortCanary), algorithm: "HS512", provider: "oauth2" })));
    record(await createSecretAssertionSigner({ clientSecret: new Secret(canary), algorithm: "HS512", provider: "oauth2" }));
    record(events);
    record(emu.server.requests);

    expect(events.length).toBeGreaterThan(0);
    expect(texts.filter((t) => t.includes(TokenmintError.name)).length).toBeGreaterThanOrEqual(5);
    for (const text of texts) {
      expect(text).not.toContain(canary);
      expect(text).not.toContain(shortCanary);
      expect(text).not.toContain(wrongSecret);
      expect(text).not.toContain(Buffer.from(canary).toString("base64"));
      expect(text).not.toContain(Buffer.from(canary).toString("base64url"));
    }
    expect(c.configKey).not.toBe((await createOauth2Client({ issuer: emu.url, clientId: registered.clientId, clientSecret: wrongSecret, clientAuth: "client_secret_jwt" }, noEnv)).configKey);
  });
});
