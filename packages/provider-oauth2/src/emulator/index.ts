// @tokenmint/provider-oauth2/emulator: a loopback OAuth 2.0 authorization server on core's emulator kit:
// RFC 8414 and OpenID Connect metadata, the token endpoint (client_credentials, password, refresh_token,
// token exchange; client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt), RFC 7009 revocation,
// RFC 7662 introspection, a JWKS, RFC 6749 error bodies, and the kit's fault injection.
import { generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import type { EmulatorHandle } from "@tokenmint/core";
import { createEmulatorServer, createTokenSigner, type EmulatorRequest, type EmulatorResponse, type EmulatorServer, json, type Route, type TokenSigner } from "@tokenmint/core/emulator";
import { OPERATIONS } from "../generated/index.js";
import { authenticateClient, HMAC_ASSERTION_BITS, KEY_ASSERTION_ALGORITHMS } from "./client-auth.js";
import { Directory, type EmulatorAuthMethod, type EmulatorClient } from "./directory.js";
import { OAuthError, oauthJson } from "./oauth-error.js";
import { introspect, revoke } from "./revocation.js";
import { ACCESS_TOKEN_TYPE, type ServerContext, TOKEN_EXCHANGE, TokenEndpoint } from "./token-endpoint.js";

export { type EmulatorAuthMethod, type EmulatorClient, type EmulatorUser, Directory, type IssuedAccessToken, type IssuedRefreshToken } from "./directory.js";
export { HMAC_ASSERTION_BITS, KEY_ASSERTION_ALGORITHMS } from "./client-auth.js";
export { OAuthError } from "./oauth-error.js";
export { ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE, TOKEN_EXCHANGE } from "./token-endpoint.js";

export interface Oauth2EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** Default 0 (any free port). */
  port?: number | undefined;
  /** A path for the issuer, e.g. "/tenant-a" (RFC 8414 section 3.1's path-based issuers). Default: none. */
  issuerPath?: string | undefined;
  /** Which metadata documents are served. Default "both". */
  discovery?: "oauth" | "openid" | "both" | "none" | undefined;
  /** Serve and advertise RFC 7009 revocation. Default true. */
  revocation?: boolean | undefined;
  /** Serve and advertise RFC 7662 introspection. Default true. */
  introspection?: boolean | undefined;
  /** Default 3600. */
  accessTokenLifetimeSec?: number | undefined;
  /** Default 1 day. */
  refreshTokenLifetimeSec?: number | undefined;
  /** New refresh token on each refresh; presenting a rotated one ends the grant. Default true. */
  rotateRefreshTokens?: boolean | undefined;
  /**
   * Client authentication methods the server accepts and its metadata lists (every endpoint). Default all
   * four: client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt.
   */
  authMethods?: readonly EmulatorAuthMethod[] | undefined;
  /**
   * Client assertion algorithms the server accepts and lists in `token_endpoint_auth_signing_alg_values_supported`.
   * Default: RS256 ... ES512 (private_key_jwt) and HS256, HS384, HS512 (client_secret_jwt).
   */
  assertionAlgorithms?: readonly string[] | undefined;
  /** Clock, for tests (epoch ms). */
  now?: (() => number) | undefined;
}

/** JSON-safe credentials of the seeded clients, users and resource servers. */
export interface Oauth2EmulatorCredentials {
  readonly [key: string]: unknown;
  readonly issuer: string;
  readonly tokenEndpoint: string;
  /** A client with a secret (client_secret_basic and client_secret_post) and every grant. */
  readonly secretClient: { readonly clientId: string; readonly clientSecret: string };
  /**
   * A client that authenticates with client_secret_jwt only (HMAC assertions keyed with its secret, 64
   * bytes: long enough for HS512), with every grant.
   */
  readonly secretJwtClient: { readonly clientId: string; readonly clientSecret: string };
  /** A client with a registered RSA key (private_key_jwt) and every grant. */
  readonly keyClient: { readonly clientId: string; readonly keyId: string; readonly privateKeyPem: string };
  readonly users: { readonly alice: { readonly username: string; readonly password: string } };
  /** Resource servers (RFC 8707 resource indicators and audiences). */
  readonly resources: { readonly api: string; readonly reports: string };
  readonly scopes: readonly string[];
}

export interface Oauth2Emulator extends EmulatorHandle {
  readonly provider: "oauth2";
  readonly url: string;
  readonly credentials: Oauth2EmulatorCredentials;
  /** The kit's server: fault injection (`faults.inject`), request counts, the request log. */
  readonly server: EmulatorServer;
  /** Clients, users and the tokens issued: tests register clients, change passwords, inspect tokens. */
  readonly directory: Directory;
  /** The server's access-token signing key. */
  readonly signer: TokenSigner;
  close(): Promise<void>;
}

const generate = promisify(generateKeyPair);
const GRANTS = ["client_credentials", "password", "refresh_token", TOKEN_EXCHANGE];
const AUTH_METHODS: readonly EmulatorAuthMethod[] = ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"];
const ASSERTION_ALGORITHMS = [...KEY_ASSERTION_ALGORITHMS, ...Object.keys(HMAC_ASSERTION_BITS)];

/** Starts an emulated authorization server on a loopback port; secrets and keys are fresh per start. */
export async function startEmulator(options: Oauth2EmulatorOptions = {}): Promise<Oauth2Emulator> {
  const issuerPath = (options.issuerPath ?? "").replace(/\/$/, "");
  if (issuerPath !== "" && !/^(\/[A-Za-z0-9._~-]+)+$/.test(issuerPath)) throw new TypeError(`issuerPath must look like /tenant-a, got ${JSON.stringify(issuerPath)}`);
  const discovery = options.discovery ?? "both";
  const withRevocation = options.revocation ?? true;
  const withIntrospection = options.introspection ?? true;
  const policy = { methods: new Set(options.authMethods ?? AUTH_METHODS), algorithms: new Set(options.assertionAlgorithms ?? ASSERTION_ALGORITHMS) };
  const directory = new Directory();
  const signer = await createTokenSigner({ alg: "RS256" });
  const resources = { api: "https://api.example.com", reports: "https://reports.example.com" };
  const scopes = ["read", "write"];
  const context: ServerContext = {
    directory,
    signer,
    issuer: "",
    defaultResource: resources.api,
    accessTokenLifetimeSec: options.accessTokenLifetimeSec ?? 3600,
    refreshTokenLifetimeSec: options.refreshTokenLifetimeSec ?? 86_400,
    rotateRefreshTokens: options.rotateRefreshTokens ?? true,
  };
  const endpoint = new TokenEndpoint(context);

  const secretClient = directory.addClient({
    clientId: `secret-${randomBytes(4).toString("hex")}`,
    secret: randomBytes(24).toString("base64url"),
    authMethods: new Set(["client_secret_basic", "client_secret_post"]),
    grants: new Set(GRANTS),
    scopes: new Set(scopes),
    resources: new Set(Object.values(resources)),
  });
  const secretJwtClient = directory.addClient({
    clientId: `secret-jwt-${randomBytes(4).toString("hex")}`,
    secret: randomBytes(48).toString("base64url"),
    authMethods: new Set(["client_secret_jwt"]),
    grants: new Set(GRANTS),
    scopes: new Set(scopes),
    resources: new Set(Object.values(resources)),
  });
  const { privateKey, publicKey } = await generate("rsa", { modulusLength: 2048 });
  const keyId = `key-${randomBytes(4).toString("hex")}`;
  const keyClient = directory.addClient({
    clientId: `key-${randomBytes(4).toString("hex")}`,
    publicJwk: { ...publicKey.export({ format: "jwk" }), kid: keyId, alg: "RS256", use: "sig" },
    authMethods: new Set(["private_key_jwt"]),
    grants: new Set(GRANTS),
    scopes: new Set(scopes),
    resources: new Set(Object.values(resources)),
  });
  const alice = directory.addUser("alice@example.com", randomBytes(12).toString("base64url"));

  const path = (operation: keyof typeof OPERATIONS) => `${issuerPath}${OPERATIONS[operation].path}`;
  let base = "";
  const url = (operation: keyof typeof OPERATIONS) => `${base}${path(operation)}`;

  function metadata(): EmulatorResponse {
    const authMethods = [...policy.methods];
    return json(200, {
      issuer: context.issuer,
      token_endpoint: url("requestToken"),
      jwks_uri: url("getSigningKeys"),
      ...(withRevocation ? { revocation_endpoint: url("revokeToken"), revocation_endpoint_auth_methods_supported: authMethods } : {}),
      ...(withIntrospection ? { introspection_endpoint: url("introspectToken"), introspection_endpoint_auth_methods_supported: authMethods } : {}),
      grant_types_supported: GRANTS,
      token_endpoint_auth_methods_supported: authMethods,
      token_endpoint_auth_signing_alg_values_supported: [...policy.algorithms],
      scopes_supported: scopes,
      response_types_supported: [],
      subject_token_types_supported: [ACCESS_TOKEN_TYPE],
    });
  }

  /** Runs an endpoint that needs client authentication; OAuth errors become RFC 6749 bodies. */
  function authenticated(operation: keyof typeof OPERATIONS, run: (client: EmulatorClient, form: URLSearchParams, now: number) => Promise<EmulatorResponse>) {
    return async (request: EmulatorRequest): Promise<EmulatorResponse> => {
      try {
        if (!(request.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) throw new OAuthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
        const form = request.form();
        const now = request.now();
        const { client } = await authenticateClient(directory, request.headers["authorization"], form, [context.issuer, url("requestToken"), url(operation)], now, policy);
        return await run(client, form, now);
      } catch (error) {
        if (error instanceof OAuthError) return error.toResponse();
        throw error;
      }
    };
  }

  const routes: Route[] = [
    { name: "token", method: "POST", path: path("requestToken"), handler: authenticated("requestToken", async (client, form, now) => oauthJson(200, (await endpoint.handle(client, form, now)).body)) },
    { name: "jwks", method: "GET", path: path("getSigningKeys"), handler: () => json(200, signer.jwks()) },
  ];
  if (discovery === "oauth" || discovery === "both") routes.push({ name: "oauth-metadata", method: "GET", path: `${OPERATIONS.getAuthorizationServerMetadata.path}${issuerPath}`, handler: metadata });
  if (discovery === "openid" || discovery === "both") routes.push({ name: "openid-configuration", method: "GET", path: path("getOpenIdConfiguration"), handler: metadata });
  if (withRevocation) {
    routes.push({
      name: "revoke",
      method: "POST",
      path: path("revokeToken"),
      handler: authenticated("revokeToken", async (client, form, now) => {
        await revoke(context, endpoint, client, form, now);
        return { status: 200, headers: { "cache-control": "no-store" }, body: undefined };
      }),
    });
  }
  if (withIntrospection) routes.push({ name: "introspect", method: "POST", path: path("introspectToken"), handler: authenticated("introspectToken", async (client, form, now) => oauthJson(200, await introspect(context, endpoint, client, form, now))) });

  const server = await createEmulatorServer({
    name: "oauth2",
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    now: options.now,
    notFound: () => oauthJson(404, { error: "not_found", error_description: "no such endpoint on this authorization server" }),
    routes,
  });
  base = server.url;
  context.issuer = `${server.url}${issuerPath}`;
  return {
    provider: "oauth2",
    url: context.issuer,
    credentials: {
      issuer: context.issuer,
      tokenEndpoint: url("requestToken"),
      secretClient: { clientId: secretClient.clientId, clientSecret: secretClient.secret! },
      secretJwtClient: { clientId: secretJwtClient.clientId, clientSecret: secretJwtClient.secret! },
      keyClient: { clientId: keyClient.clientId, keyId, privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString() },
      users: { alice: { username: alice.username, password: alice.password } },
      resources,
      scopes,
    },
    server,
    directory,
    signer,
    close: () => server.close(),
  };
}
