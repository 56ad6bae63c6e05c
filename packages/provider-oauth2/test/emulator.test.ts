// The provider against its own emulator: discovery variants, every grant and client authentication
// method, resource indicators and audiences, refresh rotation, token exchange, revocation,
// introspection, verification, retries under injected faults, and secrets kept out of every output.
import { inspect } from "node:util";
import { Secret, TokenmintError } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Oauth2Emulator, startEmulator } from "../src/emulator/index.js";
import { createOauth2Client } from "../src/index.js";
import { keyClient, noEnv, rejection, secretClient } from "./helpers.js";

let emu: Oauth2Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});

const alice = () => emu.credentials.users.alice;

describe("discovery", () => {
  it("reads the RFC 8414 metadata of the issuer once and keeps it", async () => {
    const c = await secretClient(emu);
    const before = emu.server.count("oauth-metadata");
    const endpoints = await c.endpoints();
    expect(endpoints).toMatchObject({ issuer: emu.url, token: `${emu.url}/token`, revocation: `${emu.url}/revoke`, introspection: `${emu.url}/introspect`, jwks: `${emu.url}/jwks` });
    await c.issue({ grant: "client_credentials" });
    await c.issue({ grant: "client_credentials" });
    expect(emu.server.count("oauth-metadata") - before).toBe(1);
    expect(emu.server.count("openid-configuration")).toBe(0);
  });

  it("finds a path issuer's metadata at each location a server may serve it from", async () => {
    for (const discovery of ["oauth", "openid"] as const) {
      const tenant = await startEmulator({ issuerPath: "/tenant-a", discovery });
      try {
        expect(tenant.url).toMatch(/\/tenant-a$/);
        const c = await secretClient(tenant);
        await expect(c.issue({ grant: "client_credentials" })).resolves.toMatchObject({ tokenType: "Bearer" });
        const served = tenant.server.requests.filter((r) => r.status === 200 && (r.route === "oauth-metadata" || r.route === "openid-configuration"));
        expect(served.map((r) => r.path)).toEqual([discovery === "oauth" ? "/.well-known/oauth-authorization-server/tenant-a" : "/tenant-a/.well-known/openid-configuration"]);
      } finally {
        await tenant.close();
      }
    }
  });

  it("says where it looked when there is no metadata, and works from a token endpoint or a discovery URL instead", async () => {
    const bare = await startEmulator({ discovery: "none" });
    try {
      const c = await secretClient(bare);
      const error = await rejection(c.issue({ grant: "client_credentials" }));
      expect(error).toMatchObject({ code: "not_found", provider: "oauth2" });
      expect((error as Error).message).toContain(`${bare.url}/.well-known/openid-configuration`);
      const direct = await createOauth2Client({ tokenEndpoint: bare.credentials.tokenEndpoint, clientId: bare.credentials.secretClient.clientId, clientSecret: bare.credentials.secretClient.clientSecret }, noEnv);
      await expect(direct.issue({ grant: "client_credentials" })).resolves.toMatchObject({ tokenType: "Bearer" });
      await expect(direct.introspect("x")).rejects.toMatchObject({ code: "unsupported" });
    } finally {
      await bare.close();
    }
    const byUrl = await createOauth2Client({ discoveryUrl: `${emu.url}/.well-known/openid-configuration`, clientId: emu.credentials.secretClient.clientId, clientSecret: emu.credentials.secretClient.clientSecret }, noEnv);
    expect((await byUrl.endpoints()).issuer).toBe(emu.url);
  });

  it("refuses metadata that names another issuer (mix-up defence), and plain http beyond loopback", async () => {
    const tenant = await startEmulator({ issuerPath: "/tenant-b" });
    try {
      const wrong = await createOauth2Client({ issuer: `${tenant.url}x`, discoveryUrl: `${tenant.url}/.well-known/openid-configuration`, clientId: "c", clientSecret: "s" }, noEnv);
      await expect(wrong.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_response", message: expect.stringContaining("names the issuer") });
    } finally {
      await tenant.close();
    }
    await expect(createOauth2Client({ issuer: "http://auth.example.com", clientId: "c", clientSecret: "s" }, noEnv)).rejects.toMatchObject({ code: "configuration" });
    await expect(createOauth2Client({ issuer: emu.url, clientId: "c" }, noEnv)).rejects.toMatchObject({ code: "configuration", message: "no client credentials" });
    await expect(createOauth2Client({ clientId: "c", clientSecret: "s" }, noEnv)).rejects.toMatchObject({ code: "configuration" });
  });
});

describe("grants and client authentication", () => {
  it.each(["client_secret_basic", "client_secret_post", "private_key_jwt"] as const)("client_credentials with %s, for a resource, verified", async (method) => {
    const c = method === "private_key_jwt" ? await keyClient(emu) : await secretClient(emu, { clientAuth: method });
    const token = await c.issue({ grant: "client_credentials", scope: "read", resource: emu.credentials.resources.api });
    expect(token).toMatchObject({ tokenType: "Bearer", scopes: [{ raw: "read", resource: emu.credentials.resources.api, name: "read" }] });
    expect(token.id).toMatch(/^[0-9a-f-]{36}$/);
    const verified = await c.verify(token, { audience: emu.credentials.resources.api, requireAccessTokenType: true });
    expect(verified.claims).toMatchObject({ iss: emu.url, client_id: c.config.clientId, scope: "read" });
    // A second request gets a fresh client assertion (the emulator refuses a replayed jti).
    await expect(c.issue({ grant: "client_credentials" })).resolves.toBeDefined();
  });

  it("sends audiences and several resources, and refuses a resource that is not an absolute URI before any call", async () => {
    const c = await secretClient(emu);
    const { api, reports } = emu.credentials.resources;
    const both = await c.issue({ grant: "client_credentials", resource: [api, reports] });
    expect((await c.verify(both, { audience: reports })).claims["aud"]).toEqual([api, reports]);
    const byAudience = await c.issue({ grant: "client_credentials", audience: reports });
    expect(byAudience.scopes.every((s) => s.resource === reports)).toBe(true);
    await expect(c.issue({ grant: "client_credentials", resource: "https://unknown.example.com" })).rejects.toMatchObject({ code: "invalid_scope", providerCode: "invalid_target", status: 400 });
    const before = emu.server.count("token");
    await expect(c.issue({ grant: "client_credentials", resource: "api#frag" })).rejects.toMatchObject({ code: "invalid_request" });
    await expect(c.issue({ grant: "client_credentials", scope: 'bad"scope' })).rejects.toMatchObject({ code: "invalid_scope" });
    expect(emu.server.count("token")).toBe(before);
  });

  it("uses the client's default scope, resource and audience when a request names none", async () => {
    const c = await secretClient(emu, { scope: "write", resource: emu.credentials.resources.reports });
    const token = await c.issue({ grant: "client_credentials" });
    expect(token.scopes).toEqual([{ raw: "write", resource: emu.credentials.resources.reports, name: "write" }]);
  });

  it("password grant: a token with a refresh token; a wrong password is invalid_grant and never shown", async () => {
    const c = await secretClient(emu);
    const token = await c.issue({ grant: "password", username: alice().username, password: alice().password, scope: ["read", "write"] });
    expect(token.refreshToken).toBeInstanceOf(Secret);
    expect((await c.verify(token, { skipAudienceCheck: true })).claims["sub"]).toBe(alice().username);
    const error = await rejection(c.issue({ grant: "password", username: alice().username, password: "hunter2-wrong" }));
    expect(error).toMatchObject({ code: "invalid_grant", status: 400, providerCode: "invalid_grant" });
    expect(JSON.stringify(error) + inspect(error)).not.toContain("hunter2-wrong");
    await expect(c.issue({ grant: "password", username: "", password: "x" })).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("refresh: rotation, a narrower scope, and a replayed refresh token ends the whole grant", async () => {
    const c = await secretClient(emu);
    const first = await c.issue({ grant: "password", username: alice().username, password: alice().password, scope: "read write" });
    const second = await c.refresh(first);
    expect(second.refreshToken!.reveal()).not.toBe(first.refreshToken!.reveal());
    expect(second.scopes.map((s) => s.raw)).toEqual(["read", "write"]);
    const narrower = await c.issue({ grant: "refresh_token", refreshToken: second.refreshToken!, scope: "read" });
    expect(narrower.scopes.map((s) => s.raw)).toEqual(["read"]);
    await expect(c.issue({ grant: "refresh_token", refreshToken: narrower.refreshToken!, scope: "read admin" })).rejects.toMatchObject({ code: "invalid_scope" });
    await expect(c.refresh(first)).rejects.toMatchObject({ code: "invalid_grant", message: expect.stringContaining("already used") });
    // The replay revoked the family: the newest refresh token and the access tokens are dead too.
    await expect(c.refresh(narrower)).rejects.toMatchObject({ code: "invalid_grant" });
    expect((await c.introspect(narrower)).active).toBe(false);
    await expect(c.refresh({ ...first, refreshToken: undefined })).rejects.toMatchObject({ code: "unsupported" });
  });

  it("keeps the old refresh token when the server does not rotate", async () => {
    const still = await startEmulator({ rotateRefreshTokens: false });
    try {
      const c = await secretClient(still);
      const first = await c.issue({ grant: "password", username: still.credentials.users.alice.username, password: still.credentials.users.alice.password });
      const second = await c.refresh(first);
      expect(second.refreshToken!.reveal()).toBe(first.refreshToken!.reveal());
      await expect(c.refresh(second)).resolves.toBeDefined();
    } finally {
      await still.close();
    }
  });

  it("token exchange (RFC 8693): subject and actor tokens in, a token for another audience out", async () => {
    const user = await (await secretClient(emu)).issue({ grant: "password", username: alice().username, password: alice().password, scope: "read write" });
    const service = await keyClient(emu);
    const actor = await service.issue({ grant: "client_credentials" });
    const { reports } = emu.credentials.resources;
    const exchanged = await service.issue({ grant: "token_exchange", subjectToken: user, actorToken: actor, audience: reports, scope: "read" });
    expect(exchanged.scopes).toEqual([{ raw: "read", resource: reports, name: "read" }]);
    expect(exchanged.raw["issued_token_type"]).toBe("urn:ietf:params:oauth:token-type:access_token");
    const claims = (await service.verify(exchanged, { audience: reports })).claims;
    expect(claims).toMatchObject({ sub: alice().username, client_id: service.config.clientId, act: { sub: service.config.clientId } });
    const asJwt = await service.issue({ grant: "token_exchange", subjectToken: user.value, subjectTokenType: "jwt", requestedTokenType: "jwt" });
    expect(asJwt.raw["issued_token_type"]).toBe("urn:ietf:params:oauth:token-type:jwt");
    await expect(service.issue({ grant: "token_exchange", subjectToken: user, scope: "admin" })).rejects.toMatchObject({ code: "invalid_scope" });
    await expect(service.issue({ grant: "token_exchange", subjectToken: user, subjectTokenType: "saml2" })).rejects.toMatchObject({ code: "invalid_request", status: 400 });
    await expect(service.issue({ grant: "token_exchange", subjectToken: "not-a-token" })).rejects.toMatchObject({ code: "invalid_grant" });
    await expect(service.issue({ grant: "token_exchange", subjectToken: user, subjectTokenType: "not a uri" })).rejects.toMatchObject({ code: "invalid_request", status: undefined });
  });
});

describe("revocation and introspection", () => {
  it("introspects access and refresh tokens, and revokes a whole token (refresh token first, then access token)", async () => {
    const c = await secretClient(emu);
    const token = await c.issue({ grant: "password", username: alice().username, password: alice().password, scope: "read" });
    const seen = await c.introspect(token);
    expect(seen).toMatchObject({ active: true, clientId: c.config.clientId, username: alice().username, subject: alice().username, tokenType: "Bearer", issuer: emu.url, id: token.id });
    expect(seen.expiresAt?.getTime()).toBe(Math.floor(token.expiresAt!.getTime() / 1000) * 1000);
    expect(await c.introspect(token.refreshToken!, { tokenTypeHint: "refresh_token" })).toMatchObject({ active: true, tokenType: "refresh_token" });
    const before = emu.server.count("revoke");
    await c.revoke(token);
    expect(emu.server.count("revoke") - before).toBe(2);
    expect((await c.introspect(token)).active).toBe(false);
    expect((await c.introspect(token.refreshToken!)).active).toBe(false);
    await expect(c.verify(token, { skipAudienceCheck: true })).resolves.toBeDefined(); // a JWT stays valid offline: introspect to know
    await expect(c.revoke("unknown-token")).resolves.toBeUndefined();
  });

  it("is unsupported, before any call, where the server advertises neither", async () => {
    const plain = await startEmulator({ revocation: false, introspection: false });
    try {
      const c = await secretClient(plain);
      const token = await c.issue({ grant: "client_credentials" });
      await expect(c.revoke(token)).rejects.toMatchObject({ code: "unsupported", message: expect.stringContaining("revocation_endpoint") });
      await expect(c.introspect(token)).rejects.toMatchObject({ code: "unsupported", message: expect.stringContaining("introspection_endpoint") });
    } finally {
      await plain.close();
    }
  });
});

describe("verification", () => {
  it("refuses expired, foreign-issuer and opaque tokens with invalid_token", async () => {
    const c = await secretClient(emu);
    const now = Math.floor(Date.now() / 1000);
    const expired = await emu.signer.sign({ iss: emu.url, aud: "x", exp: now - 3600, iat: now - 7200 });
    await expect(c.verify(expired, { audience: "x" })).rejects.toMatchObject({ code: "invalid_token", provider: "oauth2" });
    const issuedInTheFuture = await emu.signer.sign({ iss: emu.url, aud: "x", iat: now + 3600, exp: now + 7200 });
    await expect(c.verify(issuedInTheFuture, { audience: "x" })).rejects.toMatchObject({ code: "invalid_token", provider: "oauth2", message: expect.stringContaining("in the future") });
    const foreign = await emu.signer.sign({ iss: "https://evil.example.com", aud: "x", exp: now + 60 });
    await expect(c.verify(foreign, { audience: "x" })).rejects.toMatchObject({ code: "invalid_token" });
    await expect(c.verify("opaque-token-value", { audience: "x" })).rejects.toMatchObject({ code: "invalid_token", hint: expect.stringContaining("introspect") });
    await expect(c.verify(expired, {})).rejects.toMatchObject({ code: "configuration" });
  });
});

describe("retries and faults", () => {
  it("repeats client_credentials with a secret on 503; with private_key_jwt only what was provably not processed", async () => {
    const c = await secretClient(emu);
    await c.endpoints();
    let before = emu.server.count("token");
    emu.server.faults.inject({ route: "token", kind: "status", status: 503, body: { error: "temporarily_unavailable" } });
    await expect(c.issue({ grant: "client_credentials" })).resolves.toBeDefined();
    expect(emu.server.count("token") - before).toBe(2);

    const k = await keyClient(emu);
    await k.endpoints();
    before = emu.server.count("token");
    emu.server.faults.inject({ route: "token", kind: "status", status: 503, body: { error: "temporarily_unavailable" } });
    await expect(k.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "provider_unavailable", status: 503, providerCode: "temporarily_unavailable", retryable: true });
    expect(emu.server.count("token") - before).toBe(1);
    emu.server.faults.inject({ route: "token", kind: "status", status: 429, retryAfter: 0, body: { error: "slow_down" } });
    await expect(k.issue({ grant: "client_credentials" })).resolves.toBeDefined();
  });

  it("does not repeat a password grant whose answer was lost (the server may have processed it)", async () => {
    const c = await secretClient(emu);
    await c.endpoints();
    const before = emu.server.count("token");
    emu.server.faults.inject({ route: "token", kind: "reset-after" });
    const error = await rejection(c.issue({ grant: "password", username: alice().username, password: alice().password }));
    expect(error).toBeInstanceOf(TokenmintError);
    expect((error as TokenmintError).code).toBe("network");
    expect(emu.server.count("token") - before).toBe(1);
  });

  it("maps a proxy's HTML page and a bad success body to canonical errors", async () => {
    const c = await secretClient(emu);
    await c.endpoints();
    emu.server.faults.inject({ route: "token", kind: "html", status: 502, times: 3 });
    await expect(c.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "provider_unavailable", status: 502 });
    emu.server.faults.inject({ route: "token", kind: "body", body: { access_token: 42, token_type: "Bearer" } });
    await expect(c.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_response", message: expect.stringContaining("/access_token") });
    emu.server.faults.inject({ route: "token", kind: "body", body: { access_token: "x", token_type: "DPoP" } });
    await expect(c.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_response", hint: expect.stringContaining("DPoP") });
  });
});

describe("secrets", () => {
  it("keeps secrets, keys, passwords and tokens out of JSON, util.inspect and configKey", async () => {
    const s = await secretClient(emu);
    const k = await keyClient(emu);
    const token = await s.issue({ grant: "password", username: alice().username, password: alice().password });
    const secrets = [emu.credentials.secretClient.clientSecret, alice().password, token.value.reveal(), token.refreshToken!.reveal(), emu.credentials.keyClient.privateKeyPem.split("\n")[1]!];
    const outputs = [JSON.stringify(token), inspect(token, { depth: 8 }), JSON.stringify(s.config), inspect(s, { depth: 8 }), inspect(k, { depth: 8 }), JSON.stringify(k.config), s.configKey, k.configKey];
    for (const text of outputs) for (const secret of secrets) expect(text).not.toContain(secret);
    expect(s.configKey).not.toBe((await secretClient(emu, { clientSecret: "other" })).configKey);
  });
});

describe("a token expired on arrival", () => {
  /** An unsigned JWT: the client reads its exp without verification, as for any access token. */
  const jwt = (claims: object) => `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;

  it("no expires_in and an exp in the past: invalid_response from issue() itself, never the token", async () => {
    const c = await secretClient(emu);
    await c.endpoints();
    const now = Math.floor(Date.now() / 1000);
    const token = jwt({ sub: "alice", iat: now - 7200, exp: now - 3600, jti: "expired-jti" });
    emu.server.faults.inject({ route: "token", kind: "body", body: { access_token: token, token_type: "Bearer" } });
    const error = await rejection(c.issue({ grant: "client_credentials" }));
    expect(error).toBeInstanceOf(TokenmintError);
    expect(error).toMatchObject({ code: "invalid_response", details: { expiredOnArrival: true, tokenId: "expired-jti" } });
    expect(`${JSON.stringify(error)} ${inspect(error, { depth: 10 })}`).not.toContain(token);
  });

  it("an expiry no Date can hold (huge expires_in, huge exp): invalid_response, not an Invalid Date", async () => {
    const c = await secretClient(emu);
    await c.endpoints();
    emu.server.faults.inject({ route: "token", kind: "body", body: { access_token: "opaque", token_type: "Bearer", expires_in: 1e13 } });
    await expect(c.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_response", message: expect.stringContaining("/expires_in") });
    emu.server.faults.inject({ route: "token", kind: "body", body: { access_token: jwt({ sub: "alice", exp: 1e300 }), token_type: "Bearer" } });
    await expect(c.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_response", message: "the access token's exp claim is not a time a date can hold" });
    // The largest lifetime the spec allows still makes a valid date.
    emu.server.faults.inject({ route: "token", kind: "body", body: { access_token: "opaque", token_type: "Bearer", expires_in: 4294967295 } });
    expect((await c.issue({ grant: "client_credentials" })).expiresAt!.getUTCFullYear()).toBeGreaterThan(2150);
  });

  it("expires_in 0 on refresh", async () => {
    const c = await secretClient(emu);
    const first = await c.issue({ grant: "password", username: alice().username, password: alice().password, scope: "read write" });
    expect(first.refreshToken).toBeDefined();
    emu.server.faults.inject({ route: "token", kind: "body", body: { access_token: "opaque", token_type: "Bearer", expires_in: 0 } });
    await expect(c.refresh(first)).rejects.toMatchObject({ code: "invalid_response", details: { expiredOnArrival: true } });
  });
});
