import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { isTokenmintError, Secret, type Token, type TokenmintError } from "@tokenmint/core";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IdcsEmulator, startEmulator } from "../src/emulator/index.js";
import { type ClientAuthMethod, createIdcsClient, type IdcsTokenRequest } from "../src/index.js";
import { assertionAppClient, noEnv, rejection, secretAppClient } from "./helpers.js";

let emu: IdcsEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});

const METHODS: readonly ClientAuthMethod[] = ["client_secret_basic", "client_secret_post", "private_key_jwt"];
const GRANT_WIRE: Record<string, string> = {
  client_credentials: "client_credentials",
  password: "password",
  jwt_bearer: "urn:ietf:params:oauth:grant-type:jwt-bearer",
  refresh_token: "refresh_token",
};

function ordersScope() {
  return { kind: "resource" as const, audience: emu.credentials.resourceServers.orders.audience, scopes: ["urn:opc:resource:consumer::all"] };
}

function lastLog() {
  return emu.tokenLog[emu.tokenLog.length - 1]!;
}

describe("every grant x client authentication, end to end", () => {
  for (const method of METHODS) {
    for (const grant of ["client_credentials", "password", "jwt_bearer", "refresh_token"] as const) {
      it(`${grant} with ${method}`, async () => {
        const client = await assertionAppClient(emu, method);
        const alice = emu.credentials.users.alice;
        let request: IdcsTokenRequest;
        let expectedSub: string;
        if (grant === "client_credentials") {
          request = { grant, scope: { kind: "idcs", roles: ["Me"] } };
          expectedSub = emu.credentials.assertionApp.clientId;
        } else if (grant === "password") {
          request = { grant, username: alice.username, password: alice.password, scope: ordersScope() };
          expectedSub = alice.username;
        } else if (grant === "jwt_bearer") {
          request = { grant, user: alice.username, scope: ordersScope() };
          expectedSub = alice.username;
        } else {
          const first = await client.issue({ grant: "password", username: alice.username, password: alice.password, scope: ordersScope(), includeRefreshToken: true });
          expect(first.refreshToken).toBeInstanceOf(Secret);
          request = { grant, refreshToken: first.refreshToken! };
          expectedSub = alice.username;
        }
        const token = await client.issue(request);
        expect(lastLog()).toMatchObject({ grantType: GRANT_WIRE[grant], clientAuth: method, outcome: "issued" });
        expect(token.provider).toBe("idcs");
        expect(token.tokenType).toBe("Bearer");
        expect(token.value).toBeInstanceOf(Secret);
        expect(token.expiresAt!.getTime() - token.issuedAt!.getTime()).toBe(3600_000);
        const audience = grant === "client_credentials" ? emu.url : emu.credentials.resourceServers.orders.audience;
        const verified = await client.verify(token, { audience });
        expect(verified.claims).toMatchObject({ sub: expectedSub, client_id: emu.credentials.assertionApp.clientId, client_name: "tokenmint-assertion-app", tok_type: "AT", tenant: "idcs-emulator" });
        if (grant !== "client_credentials") expect(typeof verified.claims.user_id).toBe("string");
        expect(token.id).toBe(verified.claims.jti);
      });
    }
  }
});

describe("scopes as the console offers them", () => {
  it("Available Scopes asks for __myscopes__ and gets the app roles' IDCS scopes", async () => {
    const client = await secretAppClient(emu);
    const token = await client.issue({ grant: "client_credentials" });
    expect(lastLog().scope).toBe("urn:opc:idm:__myscopes__");
    expect(token.scopes.map((s) => s.raw).sort()).toEqual(["urn:opc:idm:t.user.manager", "urn:opc:idm:t.user.me"]);
    expect(token.scopes[0]!.resource).toBe("urn:opc:idm:");
  });

  it("Customized Scopes for the IDCS APIs by app role (seed 003: Me)", async () => {
    const client = await secretAppClient(emu);
    const token = await client.issue({ grant: "password", username: emu.credentials.users.bob.username, password: emu.credentials.users.bob.password, scope: { kind: "idcs", roles: ["Me"] } });
    expect(lastLog()).toMatchObject({ scope: "urn:opc:idm:t.user.me", clientAuth: "client_secret_basic" });
    expect(token.scopes).toEqual([{ raw: "urn:opc:idm:t.user.me", resource: "urn:opc:idm:", name: "t.user.me" }]);
  });

  it("Customized Scopes of another resource server: audience + names, granted scopes with their audience back", async () => {
    const client = await assertionAppClient(emu, "client_secret_basic");
    const orders = emu.credentials.resourceServers.orders.audience;
    const token = await client.issue({ grant: "client_credentials", scope: { kind: "resource", audience: orders, scopes: ["urn:opc:resource:consumer::all", "orders.read"] } });
    expect(lastLog().scope).toBe(`${orders}urn:opc:resource:consumer::all ${orders}orders.read`);
    expect(token.scopes).toEqual([
      { raw: `${orders}urn:opc:resource:consumer::all`, resource: orders, name: "urn:opc:resource:consumer::all" },
      { raw: `${orders}orders.read`, resource: orders, name: "orders.read" },
    ]);
  });

  it("refuses scopes of two resource servers before any request, naming both", async () => {
    const client = await assertionAppClient(emu, "client_secret_basic", { resourceServers: [{ audience: emu.credentials.resourceServers.orders.audience, name: "Orders API" }] });
    const { orders, reports } = emu.credentials.resourceServers;
    const before = emu.server.count("token");
    const error = await rejection(client.issue({ grant: "client_credentials", scope: [`${orders.audience}orders.read`, `${reports.audience}reports.read`] }));
    expect(isTokenmintError(error, "invalid_scope")).toBe(true);
    expect((error as Error).message).toContain(`"Orders API" (${orders.audience})`);
    expect((error as Error).message).toContain(reports.audience);
    expect(emu.server.count("token")).toBe(before);
    const mixed = await rejection(client.issue({ grant: "client_credentials", scope: [`${orders.audience}orders.read`, "urn:opc:idm:t.user.me"] }));
    expect(isTokenmintError(mixed, "invalid_scope")).toBe(true);
    expect(emu.server.count("token")).toBe(before);
  });

  it("the emulator refuses two resource servers too (for clients that do not check)", async () => {
    const { assertionApp, resourceServers } = emu.credentials;
    const response = await fetch(emu.credentials.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${assertionApp.clientId}:${assertionApp.clientSecret}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: `${resourceServers.orders.audience}orders.read ${resourceServers.reports.audience}reports.read` }).toString(),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe("invalid_scope");
    expect(body.error_description).toContain("Orders API");
    expect(body.error_description).toContain("Reports API");
  });

  it("refuses an app role that is not assigned (declared capabilities) before any request", async () => {
    const client = await secretAppClient(emu, { app: { roles: ["Me"] } });
    const before = emu.server.count("token");
    expect(isTokenmintError(await rejection(client.issue({ grant: "client_credentials", scope: { kind: "idcs", roles: ["User Administrator"] } })), "invalid_scope")).toBe(true);
    expect(emu.server.count("token")).toBe(before);
  });

  it("maps the domain's invalid_scope for a scope the app may not use", async () => {
    const client = await secretAppClient(emu);
    const error = await rejection(client.issue({ grant: "client_credentials", scope: [`${emu.credentials.resourceServers.orders.audience}orders.read`] }));
    expect(error).toMatchObject({ code: "invalid_scope", providerCode: "invalid_scope", status: 400 });
  });
});

describe("Include Refresh Token", () => {
  const password = () => ({ username: emu.credentials.users.alice.username, password: emu.credentials.users.alice.password });

  it("is honoured when the app has the refresh grant and the resource server allows it", async () => {
    const client = await assertionAppClient(emu, "private_key_jwt");
    const token = await client.issue({ grant: "jwt_bearer", user: emu.credentials.users.alice.username, scope: ordersScope(), includeRefreshToken: true });
    expect(lastLog().scope).toMatch(/ offline_access$/);
    expect(token.refreshToken).toBeInstanceOf(Secret);
    expect(token.scopes.map((s) => s.raw)).toContain("offline_access");
  });

  it("is refused before any request when the resource server is declared without refresh tokens", async () => {
    const { reports } = emu.credentials.resourceServers;
    const client = await assertionAppClient(emu, "client_secret_basic", { resourceServers: [{ audience: reports.audience, name: reports.name, refreshTokenAllowed: false }] });
    const before = emu.server.count("token");
    const error = await rejection(client.issue({ grant: "password", ...password(), scope: { kind: "resource", audience: reports.audience, scopes: ["reports.read"] }, includeRefreshToken: true }));
    expect(isTokenmintError(error, "unsupported")).toBe(true);
    expect((error as Error).message).toContain("Reports API");
    expect(emu.server.count("token")).toBe(before);
  });

  it("is refused before any request when the app is declared without the refresh grant", async () => {
    const client = await assertionAppClient(emu, "client_secret_basic", { app: { grants: ["password"] } });
    const before = emu.server.count("token");
    const error = await rejection(client.issue({ grant: "password", ...password(), scope: ordersScope(), includeRefreshToken: true }));
    expect(isTokenmintError(error, "unsupported")).toBe(true);
    expect((error as TokenmintError).hint).toContain("Refresh Token grant");
    expect(emu.server.count("token")).toBe(before);
  });

  it("undeclared, the domain refuses it and the error says why", async () => {
    const { reports } = emu.credentials.resourceServers;
    const client = await assertionAppClient(emu, "client_secret_basic");
    const error = await rejection(client.issue({ grant: "password", ...password(), scope: { kind: "resource", audience: reports.audience, scopes: ["reports.read"] }, includeRefreshToken: true }));
    expect(error).toMatchObject({ code: "invalid_scope", providerCode: "invalid_scope" });
    expect((error as Error).message).toContain("does not allow refresh tokens");
    const app = emu.domain.addApp({ name: "no-refresh", clientSecret: "no-refresh-secret", grants: new Set(["password"]), scopes: [...emu.credentials.assertionApp.scopes] });
    const noGrant = await createIdcsClient({ domainUrl: emu.url, clientId: app.clientId, clientSecret: "no-refresh-secret" }, noEnv);
    const refused = await rejection(noGrant.issue({ grant: "password", ...password(), scope: ordersScope(), includeRefreshToken: true }));
    expect((refused as Error).message).toContain("refresh_token grant");
  });
});

describe("refresh flow", () => {
  it("refreshes, rotates the refresh token, and refuses the old one", async () => {
    const client = await assertionAppClient(emu, "client_secret_post");
    const alice = emu.credentials.users.alice;
    const first = await client.issue({ grant: "password", username: alice.username, password: alice.password, scope: ordersScope(), includeRefreshToken: true });
    const second = await client.refresh(first);
    expect(lastLog()).toMatchObject({ grantType: "refresh_token", outcome: "issued", scope: undefined });
    expect(second.refreshToken!.equals(first.refreshToken!)).toBe(false);
    expect(second.scopes.map((s) => s.raw)).toEqual(first.scopes.map((s) => s.raw));
    expect((await client.verify(second, { audience: ordersScope().audience })).claims.sub).toBe(alice.username);
    const reused = await rejection(client.refresh(first));
    expect(reused).toMatchObject({ code: "invalid_grant", providerCode: "invalid_grant" });
    await expect(client.refresh(second)).resolves.toBeDefined();
  });

  it("keeps the refresh token when the domain does not rotate it", async () => {
    const quiet = await startEmulator({ rotateRefreshTokens: false });
    try {
      const client = await assertionAppClient(quiet, "client_secret_basic");
      const alice = quiet.credentials.users.alice;
      const first = await client.issue({ grant: "password", username: alice.username, password: alice.password, scope: { kind: "idcs", roles: ["Me"] }, includeRefreshToken: true });
      const second = await client.refresh(first);
      expect(second.refreshToken!.equals(first.refreshToken!)).toBe(true);
    } finally {
      await quiet.close();
    }
  });

  it("refuses to refresh a token without a refresh token", async () => {
    const client = await secretAppClient(emu);
    const token = await client.issue({ grant: "client_credentials" });
    expect(isTokenmintError(await rejection(client.refresh(token)), "unsupported")).toBe(true);
  });
});

describe("assertions", () => {
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();

  it("refuses an expired user assertion", async () => {
    const client = await assertionAppClient(emu, "client_secret_basic");
    const stale = await client.userAssertion(emu.credentials.users.alice.username, Date.now() - 3600_000);
    const error = await rejection(client.issue({ grant: "jwt_bearer", assertion: stale, scope: ordersScope() }));
    expect(error).toMatchObject({ code: "invalid_grant", providerCode: "invalid_grant" });
    expect((error as Error).message).toContain("expired");
  });

  it("refuses a replayed user assertion", async () => {
    const client = await assertionAppClient(emu, "client_secret_basic");
    const assertion = await client.userAssertion(emu.credentials.users.alice.username);
    await client.issue({ grant: "jwt_bearer", assertion, scope: ordersScope() });
    const error = await rejection(client.issue({ grant: "jwt_bearer", assertion, scope: ordersScope() }));
    expect(error).toMatchObject({ code: "invalid_grant" });
    expect((error as Error).message).toContain("replay");
  });

  it("refuses a user assertion signed with another key, and one for an unknown user", async () => {
    const wrong = await assertionAppClient(emu, "client_secret_basic", { privateKey: other });
    const error = await rejection(wrong.issue({ grant: "jwt_bearer", user: emu.credentials.users.alice.username, scope: ordersScope() }));
    expect(error).toMatchObject({ code: "invalid_grant" });
    expect((error as Error).message).toContain("signature");
    const client = await assertionAppClient(emu, "client_secret_basic");
    expect(await rejection(client.issue({ grant: "jwt_bearer", user: "mallory@example.com", scope: ordersScope() }))).toMatchObject({ code: "invalid_grant" });
  });

  it("refuses a client assertion signed with another key, or naming an unknown certificate", async () => {
    const wrongKey = await assertionAppClient(emu, "private_key_jwt", { privateKey: other });
    const error = await rejection(wrongKey.issue({ grant: "client_credentials", scope: { kind: "idcs", roles: ["Me"] } }));
    expect(error).toMatchObject({ code: "invalid_credentials", providerCode: "invalid_client", status: 401 });
    const wrongKid = await assertionAppClient(emu, "private_key_jwt", { keyId: "not-the-alias" });
    expect(await rejection(wrongKid.issue({ grant: "client_credentials", scope: { kind: "idcs", roles: ["Me"] } }))).toMatchObject({ code: "invalid_credentials" });
  });

  it("finds the certificate by x5t when there is no kid", async () => {
    const client = await assertionAppClient(emu, "private_key_jwt", { keyId: undefined, certificate: emu.credentials.assertionApp.certificatePem });
    await expect(client.issue({ grant: "client_credentials", scope: { kind: "idcs", roles: ["Me"] } })).resolves.toBeDefined();
  });

  it("the emulator refuses expired, replayed and wrong-audience client assertions", async () => {
    const app = emu.credentials.assertionApp;
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>) => new SignJWT({ iss: app.clientId, sub: app.clientId, aud: "https://identity.oraclecloud.com/", iat: now, exp: now + 300, ...claims }).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: app.certificateAlias }).sign(createPrivateKey(app.privateKeyPem));
    const send = async (assertion: string) => {
      const response = await fetch(emu.credentials.tokenEndpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
        body: new URLSearchParams({ grant_type: "client_credentials", scope: "urn:opc:idm:t.user.me", client_id: app.clientId, client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion }).toString(),
      });
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    };
    expect(await send(await sign({ iat: now - 900, exp: now - 600, jti: "a1" }))).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    const once = await sign({ jti: "replay-me" });
    expect((await send(once)).status).toBe(200);
    expect(await send(once)).toMatchObject({ status: 401, body: { error: "invalid_client", error_description: expect.stringContaining("replay") } });
    expect(await send(await sign({ aud: "https://elsewhere.example.com/", jti: "a2" }))).toMatchObject({ status: 401, body: { error_description: expect.stringContaining("audience") } });
    // Identity Domains form of the audience (the domain URL) and an array audience are accepted.
    expect((await send(await sign({ aud: [`${emu.url}/`], jti: "a3" }))).status).toBe(200);
    expect((await send(await sign({ aud: "https://identity.oraclecloud.com", jti: "a4" }))).status).toBe(200);
  });
});

describe("client and grant failures", () => {
  it("maps a bad client secret to invalid_credentials with the request id", async () => {
    const client = await createIdcsClient({ domainUrl: emu.url, clientId: emu.credentials.secretApp.clientId, clientSecret: "wrong-secret" }, noEnv);
    const error = (await rejection(client.issue({ grant: "client_credentials" }))) as TokenmintError;
    expect(error).toMatchObject({ code: "invalid_credentials", providerCode: "invalid_client", status: 401, retryable: false });
    expect(error.requestId).toMatch(/.+/);
    expect(error.hint).toContain("client secret");
    const post = await createIdcsClient({ domainUrl: emu.url, clientId: emu.credentials.secretApp.clientId, clientSecret: "wrong-secret", clientAuth: "client_secret_post" }, noEnv);
    expect(await rejection(post.issue({ grant: "client_credentials" }))).toMatchObject({ code: "invalid_credentials" });
  });

  it("maps a wrong password to invalid_grant and an unauthorized grant to access_denied", async () => {
    const client = await secretAppClient(emu);
    expect(await rejection(client.issue({ grant: "password", username: emu.credentials.users.alice.username, password: "nope", scope: { kind: "idcs", roles: ["Me"] } }))).toMatchObject({ code: "invalid_grant" });
    const noPassword = emu.domain.addApp({ name: "cc-only", clientSecret: "cc-only-secret", roles: ["Me"] });
    const cc = await createIdcsClient({ domainUrl: emu.url, clientId: noPassword.clientId, clientSecret: "cc-only-secret" }, noEnv);
    expect(await rejection(cc.issue({ grant: "password", username: emu.credentials.users.alice.username, password: emu.credentials.users.alice.password }))).toMatchObject({ code: "access_denied", providerCode: "unauthorized_client" });
  });

  it("refuses a grant the app is declared without, before any request", async () => {
    const client = await secretAppClient(emu, { app: { grants: ["client_credentials"] } });
    const before = emu.server.count("token");
    expect(isTokenmintError(await rejection(client.issue({ grant: "password", username: "a", password: "b" })), "unsupported")).toBe(true);
    expect(emu.server.count("token")).toBe(before);
  });

  it("validates requests before any call", async () => {
    const client = await secretAppClient(emu);
    const before = emu.server.count("token");
    expect(isTokenmintError(await rejection(client.issue({ grant: "password", username: "", password: "x" })), "invalid_request")).toBe(true);
    expect(isTokenmintError(await rejection(client.issue({ grant: "device_code" } as unknown as IdcsTokenRequest)), "invalid_request")).toBe(true);
    expect(isTokenmintError(await rejection(client.issue({ grant: "jwt_bearer", user: "alice" })), "configuration")).toBe(true);
    expect(emu.server.count("token")).toBe(before);
  });
});

describe("retries and discovery", () => {
  it("retries client_credentials on 503, but not a password grant", async () => {
    const client = await secretAppClient(emu);
    emu.server.faults.inject({ kind: "status", route: "token", status: 503 });
    const token: Token = await client.issue({ grant: "client_credentials" });
    expect(token.value).toBeInstanceOf(Secret);
    emu.server.faults.inject({ kind: "status", route: "token", status: 503 });
    const alice = emu.credentials.users.alice;
    const error = await rejection(client.issue({ grant: "password", username: alice.username, password: alice.password, scope: { kind: "idcs", roles: ["Me"] } }));
    expect(error).toMatchObject({ code: "provider_unavailable", retryable: true });
  });

  it("retries a password grant after a 429 (not processed)", async () => {
    const client = await secretAppClient(emu);
    emu.server.faults.inject({ kind: "status", route: "token", status: 429, retryAfter: 0 });
    const alice = emu.credentials.users.alice;
    await expect(client.issue({ grant: "password", username: alice.username, password: alice.password, scope: { kind: "idcs", roles: ["Me"] } })).resolves.toBeDefined();
  });

  it("maps a proxy's HTML page by status, and does not repeat a password grant whose answer was lost", async () => {
    const client = await secretAppClient(emu);
    emu.server.faults.inject({ kind: "html", route: "token", status: 502 });
    await expect(client.issue({ grant: "client_credentials" })).resolves.toBeDefined();
    emu.server.faults.inject({ kind: "reset-after", route: "token" });
    const before = emu.server.count("token");
    const alice = emu.credentials.users.alice;
    const error = await rejection(client.issue({ grant: "password", username: alice.username, password: alice.password, scope: { kind: "idcs", roles: ["Me"] } }));
    expect(error).toMatchObject({ code: "network" });
    expect(emu.server.count("token") - before).toBe(1);
  });

  it("reads the OpenID discovery document", async () => {
    const client = await secretAppClient(emu);
    const doc = await client.discover();
    expect(doc).toMatchObject({ issuer: "https://identity.oraclecloud.com/", token_endpoint: `${emu.url}/oauth2/v1/token`, jwks_uri: `${emu.url}/admin/v1/SigningCert/jwk` });
  });
});

describe("a token expired on arrival", () => {
  const expiredJwt = async () => {
    const now = Math.floor(Date.now() / 1000);
    return emu.signAccessToken({ sub: "alice", client_id: emu.credentials.secretApp.clientId, scope: "urn:opc:idm:__myscopes__", tok_type: "AT", iat: now - 7200, exp: now - 3600, jti: "expired-jti" });
  };

  it("no expires_in and an exp in the past (a stale answer, a server clock behind): invalid_response from issue() itself", async () => {
    const client = await secretAppClient(emu);
    const token = await expiredJwt();
    emu.server.faults.inject({ kind: "body", route: "token", body: { access_token: token, token_type: "Bearer" } });
    const error = await rejection(client.issue({ grant: "client_credentials" }));
    expect(error).toMatchObject({ code: "invalid_response", provider: "idcs", details: { expiredOnArrival: true, tokenId: "expired-jti" } });
    expect((error as TokenmintError).message).toMatch(/already expired/);
    expect(JSON.stringify(error)).not.toContain(token);
  });

  it("an expiry no Date can hold (huge expires_in, huge exp): invalid_response, not an Invalid Date", async () => {
    const client = await secretAppClient(emu);
    emu.server.faults.inject({ kind: "body", route: "token", body: { access_token: "opaque-access-token", token_type: "Bearer", expires_in: 10_000_000_000_000 } });
    await expect(client.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_response", message: expect.stringContaining("/expires_in") });
    const now = Math.floor(Date.now() / 1000);
    const token = await emu.signAccessToken({ sub: "alice", client_id: emu.credentials.secretApp.clientId, scope: "urn:opc:idm:__myscopes__", tok_type: "AT", iat: now, exp: 1e15, jti: "far-jti" });
    emu.server.faults.inject({ kind: "body", route: "token", body: { access_token: token, token_type: "Bearer" } });
    await expect(client.issue({ grant: "client_credentials" })).rejects.toMatchObject({ code: "invalid_response", message: "the access token's exp claim is not a time a date can hold" });
  });

  it("expires_in 0, also on refresh", async () => {
    const client = await assertionAppClient(emu, "client_secret_basic");
    const alice = emu.credentials.users.alice;
    const first = await client.issue({ grant: "password", username: alice.username, password: alice.password, scope: ordersScope(), includeRefreshToken: true });
    emu.server.faults.inject({ kind: "body", route: "token", body: { access_token: "opaque-access-token", token_type: "Bearer", expires_in: 0 } });
    expect(await rejection(client.refresh(first))).toMatchObject({ code: "invalid_response", details: { expiredOnArrival: true } });
    emu.server.faults.inject({ kind: "body", route: "token", body: { access_token: "opaque-access-token", token_type: "Bearer", expires_in: 0 } });
    expect(await rejection(client.issue({ grant: "client_credentials" }))).toMatchObject({ code: "invalid_response", details: { expiredOnArrival: true } });
  });
});
