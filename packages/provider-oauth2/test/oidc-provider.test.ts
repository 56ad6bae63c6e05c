// The provider against oidc-provider (OpenID Certified), in-process on loopback: discovery, every grant
// and client authentication method it supports, resource indicators, refresh with rotation, token
// exchange, revocation, introspection, JWT verification, and its error bodies.
import { generateKeyPairSync } from "node:crypto";
import { inspect } from "node:util";
import { Secret, type Token, TokenmintError } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOauth2Client, type Oauth2Client, type Oauth2Options } from "../src/index.js";
import { noEnv, rejection } from "./helpers.js";
import { API, type OidcServer, startOidcServer } from "./oidc-server.js";

let oidc: OidcServer;
beforeAll(async () => {
  oidc = await startOidcServer();
});
afterAll(async () => {
  await oidc?.close();
});

type Method = "client_secret_basic" | "client_secret_post" | "client_secret_jwt" | "private_key_jwt";

function client(method: Method, extra: Oauth2Options = {}): Promise<Oauth2Client> {
  const base = { issuer: oidc.issuer, maxAttempts: 2, ...extra };
  if (method === "client_secret_basic") return createOauth2Client({ ...base, clientId: oidc.basic.clientId, clientSecret: oidc.basic.clientSecret }, noEnv);
  if (method === "client_secret_post") return createOauth2Client({ ...base, clientId: oidc.post.clientId, clientSecret: oidc.post.clientSecret, clientAuth: "client_secret_post" }, noEnv);
  if (method === "client_secret_jwt") return createOauth2Client({ ...base, clientId: oidc.secretJwt.clientId, clientSecret: oidc.secretJwt.clientSecret, clientAuth: "client_secret_jwt" }, noEnv);
  return createOauth2Client({ ...base, clientId: oidc.jwt.clientId, privateKey: oidc.jwt.privateKeyPem, keyId: oidc.jwt.keyId }, noEnv);
}

const METHODS: readonly Method[] = ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"];
const clientIdOf = (method: Method) => ({ client_secret_basic: oidc.basic, client_secret_post: oidc.post, client_secret_jwt: oidc.secretJwt, private_key_jwt: oidc.jwt })[method].clientId;

describe("discovery against oidc-provider", () => {
  it("finds the endpoints through OpenID Connect discovery after the RFC 8414 location answers 404", async () => {
    const c = await client("client_secret_basic");
    const endpoints = await c.endpoints();
    expect(endpoints).toMatchObject({
      issuer: oidc.issuer,
      token: `${oidc.issuer}/token`,
      revocation: `${oidc.issuer}/token/revocation`,
      introspection: `${oidc.issuer}/token/introspection`,
      jwks: `${oidc.issuer}/jwks`,
    });
    expect(endpoints.metadata?.grant_types_supported).toContain("client_credentials");
  });

  it("refuses metadata that names another issuer", async () => {
    const c = await createOauth2Client({ issuer: `${oidc.issuer}/`, clientId: oidc.basic.clientId, clientSecret: oidc.basic.clientSecret }, noEnv);
    // The trailing slash makes another issuer: the OIDC URL exists but names the issuer without it.
    const error = await rejection(c.issue({ grant: "client_credentials" }));
    expect(error).toMatchObject({ code: "invalid_response", provider: "oauth2" });
    expect((error as Error).message).toContain("names the issuer");
  });
});

describe.each(METHODS)("client_credentials with %s", (method) => {
  it("issues an opaque token the server introspects as active, then revokes it", async () => {
    const c = await client(method);
    const token = await c.issue({ grant: "client_credentials", scope: "api:read" });
    expect(token).toMatchObject({ provider: "oauth2", tokenType: "Bearer", scopes: [{ raw: "api:read", name: "api:read" }] });
    expect(token.expiresAt!.getTime() - token.issuedAt!.getTime()).toBe(600_000);
    const seen = await c.introspect(token);
    expect(seen).toMatchObject({ active: true, clientId: clientIdOf(method), tokenType: "Bearer" });
    expect(seen.scopes.map((s) => s.raw)).toEqual(["api:read"]);
    await c.revoke(token);
    expect((await c.introspect(token)).active).toBe(false);
  });

  it("issues a JWT for a resource indicator (RFC 8707) that verifies against the server's JWKS", async () => {
    const c = await client(method);
    const token = await c.issue({ grant: "client_credentials", scope: "api:read api:write", resource: API });
    expect(token.scopes).toEqual([
      { raw: "api:read", resource: API, name: "api:read" },
      { raw: "api:write", resource: API, name: "api:write" },
    ]);
    const verified = await c.verify(token, { audience: API });
    expect(verified.claims).toMatchObject({ iss: oidc.issuer, aud: API, scope: "api:read api:write" });
    expect(verified.header["typ"]).toBe("at+jwt");
    await expect(c.verify(token, { audience: API, requireAccessTokenType: true })).resolves.toBeDefined();
    await expect(c.verify(token, { audience: "https://other.example.com" })).rejects.toMatchObject({ code: "invalid_token", provider: "oauth2" });
  });
});

describe("refresh_token against oidc-provider", () => {
  it.each(METHODS)("refreshes with rotation, and a replayed refresh token ends the grant (%s)", async (method) => {
    const c = await client(method);
    const first = await oidc.refreshTokenFor(clientIdOf(method));
    const seed: Token = { provider: "oauth2", value: (await c.issue({ grant: "client_credentials" })).value, tokenType: "Bearer", scopes: [], refreshToken: new Secret(first), raw: {} };
    const refreshed = await c.refresh(seed);
    expect(refreshed.refreshToken).toBeDefined();
    expect(refreshed.refreshToken!.reveal()).not.toBe(first);
    expect(refreshed.scopes.map((s) => s.raw).sort()).toEqual(["offline_access", "openid"]);
    expect((await c.introspect(refreshed.refreshToken!, { tokenTypeHint: "refresh_token" })).active).toBe(true);
    // The first refresh token was rotated away: presenting it again revokes the grant (oidc-provider's reuse detection).
    await expect(c.refresh(seed)).rejects.toMatchObject({ code: "invalid_grant", status: 400, providerCode: "invalid_grant" });
    await expect(c.refresh(refreshed)).rejects.toMatchObject({ code: "invalid_grant" });
  });

  it("revoking a refresh token (RFC 7009) makes it unusable", async () => {
    const c = await client("client_secret_basic");
    const value = await oidc.refreshTokenFor(oidc.basic.clientId);
    await c.revoke(value, { tokenTypeHint: "refresh_token" });
    await expect(c.issue({ grant: "refresh_token", refreshToken: value })).rejects.toMatchObject({ code: "invalid_grant" });
  });
});

describe("token exchange (RFC 8693) against oidc-provider's registered grant", () => {
  it.each(METHODS)("exchanges a subject token for a token of another audience (%s)", async (method) => {
    const c = await client(method);
    const subject = await c.issue({ grant: "client_credentials", scope: "api:read" });
    const exchanged = await c.issue({ grant: "token_exchange", subjectToken: subject, audience: API });
    expect(exchanged).toMatchObject({ tokenType: "Bearer", scopes: [{ raw: "api:read", resource: API, name: "api:read" }] });
    expect(exchanged.raw["issued_token_type"]).toBe("urn:ietf:params:oauth:token-type:access_token");
    expect((await c.verify(exchanged, { audience: API })).claims["aud"]).toBe(API);
  });

  it("maps the server's refusals: unknown audience, wider scope, revoked subject", async () => {
    const c = await client("private_key_jwt");
    const subject = await c.issue({ grant: "client_credentials", scope: "api:read" });
    await expect(c.issue({ grant: "token_exchange", subjectToken: subject, audience: "https://unknown.example.com" })).rejects.toMatchObject({ code: "invalid_scope", providerCode: "invalid_target" });
    await expect(c.issue({ grant: "token_exchange", subjectToken: subject, scope: "api:write" })).rejects.toMatchObject({ code: "invalid_scope", providerCode: "invalid_scope" });
    await c.revoke(subject);
    await expect(c.issue({ grant: "token_exchange", subjectToken: subject })).rejects.toMatchObject({ code: "invalid_grant", providerCode: "invalid_grant" });
  });
});

describe("oidc-provider's error bodies", () => {
  it("a wrong client secret is invalid_credentials (401 invalid_client), and the secret appears nowhere", async () => {
    const c = await createOauth2Client({ issuer: oidc.issuer, clientId: oidc.basic.clientId, clientSecret: "not-the-right-secret-4711" }, noEnv);
    const error = await rejection(c.issue({ grant: "client_credentials" }));
    expect(error).toBeInstanceOf(TokenmintError);
    expect(error).toMatchObject({ code: "invalid_credentials", status: 401, providerCode: "invalid_client", retryable: false });
    for (const text of [JSON.stringify(error), inspect(error, { depth: 5 }), String(error)]) expect(text).not.toContain("not-the-right-secret-4711");
  });

  it("a client assertion signed with another key, or the wrong method for the client, is invalid_credentials", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const wrongKey = await createOauth2Client({ issuer: oidc.issuer, clientId: oidc.jwt.clientId, privateKey: other, keyId: oidc.jwt.keyId }, noEnv);
    await expect(wrongKey.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_credentials", providerCode: "invalid_client" });
    // oidc-provider takes client_secret_basic and client_secret_post as one family; a client with a key only has no secret to use.
    const noSecret = await createOauth2Client({ issuer: oidc.issuer, clientId: oidc.jwt.clientId, clientSecret: "some-secret-value-0000", clientAuth: "client_secret_basic" }, noEnv);
    await expect(noSecret.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_credentials", providerCode: "invalid_client" });
  });

  it("client_secret_jwt: each HS algorithm, the one a client registered, the issuer as audience; a wrong secret or algorithm is invalid_credentials", async () => {
    for (const algorithm of ["HS256", "HS384", "HS512"] as const) {
      await expect((await client("client_secret_jwt", { assertionAlgorithm: algorithm })).issue({ grant: "client_credentials", scope: "api:read" })).resolves.toMatchObject({ tokenType: "Bearer" });
    }
    const onlyHs512 = { issuer: oidc.issuer, clientId: oidc.secretJwt512.clientId, clientSecret: oidc.secretJwt512.clientSecret, clientAuth: "client_secret_jwt" } as const;
    await expect((await createOauth2Client({ ...onlyHs512, assertionAlgorithm: "HS512" }, noEnv)).issue({ grant: "client_credentials" })).resolves.toMatchObject({ tokenType: "Bearer" });
    await expect((await createOauth2Client(onlyHs512, noEnv)).issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_credentials", providerCode: "invalid_client" });
    await expect((await client("client_secret_jwt", { assertionAudience: oidc.issuer })).issue({ grant: "client_credentials" })).resolves.toMatchObject({ tokenType: "Bearer" });
    const wrong = `${oidc.secretJwt.clientSecret.slice(0, -1)}X`;
    const wrongSecret = await createOauth2Client({ issuer: oidc.issuer, clientId: oidc.secretJwt.clientId, clientSecret: wrong, clientAuth: "client_secret_jwt" }, noEnv);
    const error = await rejection(wrongSecret.issue({ grant: "client_credentials" }));
    expect(error).toMatchObject({ code: "invalid_credentials", status: 401, providerCode: "invalid_client" });
    for (const text of [JSON.stringify(error), inspect(error, { depth: 5 }), String(error)]) expect(text).not.toContain(wrong);
  });

  it("a scope wider than the refresh token's is invalid_scope; an unknown resource is invalid_target -> invalid_scope", async () => {
    const c = await client("client_secret_basic");
    const refreshToken = await oidc.refreshTokenFor(oidc.basic.clientId);
    await expect(c.issue({ grant: "refresh_token", refreshToken, scope: "openid api:write" })).rejects.toMatchObject({ code: "invalid_scope", status: 400, providerCode: "invalid_scope" });
    await expect(c.issue({ grant: "client_credentials", resource: "https://unknown.example.com" })).rejects.toMatchObject({ code: "invalid_scope", providerCode: "invalid_target" });
    await expect(c.issue({ grant: "refresh_token", refreshToken: "no-such-refresh-token" })).rejects.toMatchObject({ code: "invalid_grant", providerCode: "invalid_grant" });
  });

  it("a scope the client may not have is dropped, not refused: the JWT's scope claim, or introspection, says what was granted", async () => {
    const c = await client("client_secret_basic");
    // oidc-provider grants none of it and leaves `scope` out of the response (RFC 6749 would say "as requested").
    const jwt = await c.issue({ grant: "client_credentials", scope: "admin", resource: API });
    expect(jwt.scopes).toEqual([]);
    const opaque = await c.issue({ grant: "client_credentials", scope: "admin" });
    expect((await c.introspect(opaque)).scopes).toEqual([]);
  });

  it("the password grant, which oidc-provider does not implement: refused from its metadata before any call, else unsupported_grant_type", async () => {
    const c = await client("client_secret_basic");
    let grantErrors = 0;
    const count = () => grantErrors++;
    oidc.provider.on("grant.error", count);
    const before = await rejection(c.issue({ grant: "password", username: "alice", password: "pw" }));
    expect(before).toMatchObject({ code: "unsupported", status: undefined });
    expect((before as Error).message).toContain("does not list the password grant");
    expect(grantErrors).toBe(0);
    const direct = await createOauth2Client({ tokenEndpoint: `${oidc.issuer}/token`, clientId: oidc.basic.clientId, clientSecret: oidc.basic.clientSecret }, noEnv);
    await expect(direct.issue({ grant: "password", username: "alice", password: "pw" })).rejects.toMatchObject({ code: "unsupported", status: 400, providerCode: "unsupported_grant_type" });
    expect(grantErrors).toBe(1);
  });

  it("works without discovery from an explicit token endpoint", async () => {
    const c = await createOauth2Client({ tokenEndpoint: `${oidc.issuer}/token`, clientId: oidc.jwt.clientId, privateKey: oidc.jwt.privateKeyPem, keyId: oidc.jwt.keyId }, noEnv);
    // Without metadata the assertion's audience is the token endpoint, which oidc-provider accepts too.
    await expect(c.issue({ grant: "client_credentials", scope: "api:read" })).resolves.toMatchObject({ tokenType: "Bearer" });
    await expect(c.revoke("x")).rejects.toMatchObject({ code: "unsupported" });
  });
});
