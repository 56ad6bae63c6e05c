// oidc-provider (OpenID Certified, an independently written authorization server) run in-process on
// loopback, configured as a deployment would be: registered clients for each client authentication
// method (client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt), client credentials, resource indicators with JWT access tokens, revocation, introspection,
// refresh-token rotation, and RFC 8693 token exchange registered through its extension API.
import { generateKeyPair } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import Provider, { errors, type OidcContext } from "oidc-provider";

const generate = promisify(generateKeyPair);

export const API = "https://api.example.com";
export const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

export interface OidcServer {
  readonly issuer: string;
  readonly provider: Provider;
  readonly basic: { readonly clientId: string; readonly clientSecret: string };
  readonly post: { readonly clientId: string; readonly clientSecret: string };
  /** client_secret_jwt, any HS algorithm (its secret has 64 bytes). */
  readonly secretJwt: { readonly clientId: string; readonly clientSecret: string };
  /** client_secret_jwt registered for HS512 only (token_endpoint_auth_signing_alg). */
  readonly secretJwt512: { readonly clientId: string; readonly clientSecret: string };
  readonly jwt: { readonly clientId: string; readonly keyId: string; readonly privateKeyPem: string };
  /** A refresh token of user `alice` for a client, as if she had logged in (oidc-provider's own models). */
  refreshTokenFor(clientId: string): Promise<string>;
  close(): Promise<void>;
}

export async function startOidcServer(): Promise<OidcServer> {
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const [serverKey, clientKey] = await Promise.all([generate("rsa", { modulusLength: 2048 }), generate("rsa", { modulusLength: 2048 })]);
  const keyId = "client-key-1";
  const common = { redirect_uris: [], response_types: [], grant_types: ["client_credentials", "refresh_token", TOKEN_EXCHANGE], scope: "openid offline_access api:read api:write" };
  const basic = { clientId: "basic-client", clientSecret: "basic-secret-0123456789abcdef0123456789" };
  const post = { clientId: "post-client", clientSecret: "post-secret-0123456789abcdef0123456789ab" };
  const secretJwt = { clientId: "secret-jwt-client", clientSecret: "secret-jwt-0123456789abcdef0123456789abcdef0123456789abcdef012345" };
  const secretJwt512 = { clientId: "secret-jwt-512-client", clientSecret: "secret-jwt-512-0123456789abcdef0123456789abcdef0123456789abcdef01" };
  const jwtClient = { clientId: "jwt-client", keyId, privateKeyPem: clientKey.privateKey.export({ format: "pem", type: "pkcs8" }).toString() };

  const provider = new Provider(issuer, {
    clients: [
      { ...common, client_id: basic.clientId, client_secret: basic.clientSecret, token_endpoint_auth_method: "client_secret_basic" },
      { ...common, client_id: post.clientId, client_secret: post.clientSecret, token_endpoint_auth_method: "client_secret_post" },
      { ...common, client_id: secretJwt.clientId, client_secret: secretJwt.clientSecret, token_endpoint_auth_method: "client_secret_jwt" },
      { ...common, client_id: secretJwt512.clientId, client_secret: secretJwt512.clientSecret, token_endpoint_auth_method: "client_secret_jwt", token_endpoint_auth_signing_alg: "HS512" },
      {
        ...common,
        client_id: jwtClient.clientId,
        token_endpoint_auth_method: "private_key_jwt",
        token_endpoint_auth_signing_alg: "RS256",
        jwks: { keys: [{ ...clientKey.publicKey.export({ format: "jwk" }), kid: keyId, use: "sig", alg: "RS256" }] },
      },
    ],
    jwks: { keys: [{ ...serverKey.privateKey.export({ format: "jwk" }), kid: "server-key-1", use: "sig", alg: "RS256" }] },
    scopes: ["openid", "offline_access", "api:read", "api:write"],
    // Its default lists HS256 alone of the HMAC algorithms; HS384 and HS512 are enabled for client_secret_jwt.
    enabledJWA: { clientAuthSigningAlgValues: ["HS256", "HS384", "HS512", "RS256", "PS256", "ES256", "EdDSA"] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Any authenticated client may introspect or revoke the tokens issued to it.
      introspection: { enabled: true, allowedPolicy: () => true },
      revocation: { enabled: true, allowedPolicy: () => true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== API) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          return { scope: "api:read api:write", audience: API, accessTokenTTL: 600, accessTokenFormat: "jwt", jwt: { sign: { alg: "RS256" } } };
        },
      },
    },
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id }) }),
    cookies: { keys: ["oidc-provider-test-cookie-key"] },
    rotateRefreshToken: true,
    ttl: { ClientCredentials: 600, AccessToken: 600, RefreshToken: 3600, Grant: 3600, IdToken: 600 },
  });

  // RFC 8693 through oidc-provider's registerGrantType: its parameter parsing, client authentication and
  // error bodies; the subject token must be an access token it issued and still holds.
  provider.registerGrantType(
    TOKEN_EXCHANGE,
    async (ctx: OidcContext) => {
      const { subject_token: subject, subject_token_type: type, audience, scope } = ctx.oidc.params;
      if (type !== ACCESS_TOKEN_TYPE) throw new errors.InvalidRequest("subject_token_type must be an access token");
      if (typeof subject !== "string") throw new errors.InvalidRequest("subject_token is missing");
      const found = (await provider.ClientCredentials.find(subject)) ?? (await provider.AccessToken.find(subject));
      if (found === undefined || found.isExpired) throw new errors.InvalidGrant("the subject token is invalid, expired or revoked");
      const asked = typeof scope === "string" ? scope : found.scope;
      const granted = new Set((found.scope ?? "").split(" "));
      const bad = (asked ?? "").split(" ").find((s) => s !== "" && !granted.has(s));
      if (bad !== undefined) throw new errors.InvalidScope("the subject token does not carry this scope", bad);
      const token = new provider.ClientCredentials({ client: ctx.oidc.client, scope: asked });
      if (audience !== undefined) {
        if (audience !== API) throw new errors.InvalidTarget(`unknown audience ${String(audience)}`);
        token.resourceServer = new provider.ResourceServer(API, { scope: "api:read api:write", audience: API, accessTokenFormat: "jwt", jwt: { sign: { alg: "RS256" } } });
      }
      const value = await token.save();
      ctx.body = { access_token: value, issued_token_type: ACCESS_TOKEN_TYPE, token_type: "Bearer", expires_in: token.expiration, ...(token.scope ? { scope: token.scope } : {}) };
    },
    ["subject_token", "subject_token_type", "audience", "scope", "requested_token_type", "actor_token", "actor_token_type"],
  );
  http.on("request", provider.callback());

  return {
    issuer,
    provider,
    basic,
    post,
    secretJwt,
    secretJwt512,
    jwt: jwtClient,
    async refreshTokenFor(clientId) {
      const client = await provider.Client.find(clientId);
      if (client === undefined) throw new Error(`no client ${clientId}`);
      const grant = new provider.Grant({ accountId: "alice", clientId });
      grant.addOIDCScope("openid offline_access");
      const grantId = await grant.save();
      return new provider.RefreshToken({ accountId: "alice", client, grantId, scope: "openid offline_access", gty: "authorization_code" }).save();
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
