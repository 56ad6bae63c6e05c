// OAuth 2.0 / OpenID Connect harnesses: the token endpoint for every grant (client_credentials with a
// client secret, a private_key_jwt assertion and a client_secret_jwt assertion; password, refresh_token,
// token exchange), RFC 7009 revocation, RFC 7662 introspection, discovery (RFC 8414 metadata) and
// verify's JWKS fetch. Every secret of the emulated server is a canary registered here: the client
// secret, the client's private key, the user's password; issued access and refresh tokens, and the
// subject tokens exchanged, are registered as they come.
import { generateKeyPair, randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { type ClientAuthMethod, type Logger, Secret, type Token } from "@tokenmint/core";
import { createOauth2Client, type Oauth2Client, type Oauth2Options, type Oauth2TokenRequest } from "@tokenmint/provider-oauth2";
import { type Oauth2Emulator, startEmulator } from "@tokenmint/provider-oauth2/emulator";
import type { CanaryRegistry } from "../canary.js";
import { ATTEMPT_TIMEOUT_MS, kitFault, MAX_ATTEMPTS, tokenTimesFor } from "./faults.js";
import { issueThroughManager } from "./manager.js";
import type { FaultRequest, OperationHarness, PreparedCell } from "./types.js";

const generate = promisify(generateKeyPair);
/** RFC 6749 section 5.2 codes where there is one; a 429 has none (the status says it). */
const OAUTH_ERRORS: Readonly<Record<number, string>> = { 429: "too_many_requests", 500: "server_error", 502: "temporarily_unavailable", 503: "temporarily_unavailable" };
export const errorBody = (status: number) => ({ error: OAUTH_ERRORS[status] ?? "server_error", error_description: `injected ${status}` });
const GRANTS = new Set(["client_credentials", "password", "refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange"]);

/** An authorization server whose client secret, client key and user password are canaries. */
export interface Oauth2CanaryServer {
  readonly emu: Oauth2Emulator;
  /** A client authenticating with a secret (client_secret_basic, client_secret_post, and client_secret_jwt: HMAC assertions keyed with it). */
  readonly secretClientId: string;
  readonly clientSecret: string;
  /** A client authenticating with private_key_jwt. */
  readonly keyClientId: string;
  readonly privateKeyPem: string;
  readonly keyId: string;
  readonly username: string;
  readonly password: string;
  /** Resource servers the clients may ask tokens for (RFC 8707). */
  readonly api: string;
  readonly reports: string;
}

/** The clients' key pair: generated once per process (RSA-2048 generation is the slowest part of setting up a server). */
let clientKey: ReturnType<typeof generate> | undefined;

export async function oauth2CanaryServer(canaries: CanaryRegistry, options: { readonly issuerPath?: string } = {}): Promise<Oauth2CanaryServer> {
  clientKey ??= generate("rsa", { modulusLength: 2048 });
  const emu = await startEmulator({ issuerPath: options.issuerPath });
  const { api, reports } = emu.credentials.resources;
  const common = { grants: new Set(GRANTS), scopes: new Set(["read", "write"]), resources: new Set([api, reports]) };
  const clientSecret = canaries.mint("OAUTH2SECRET");
  const secretClientId = `proof-secret-${randomUUID()}`;
  emu.directory.addClient({ clientId: secretClientId, secret: clientSecret, authMethods: new Set(["client_secret_basic", "client_secret_post", "client_secret_jwt"]), ...common });
  const { privateKey, publicKey } = await clientKey;
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  canaries.addPem(privateKeyPem, "oauth2 client key");
  const keyId = `proof-key-${randomUUID()}`;
  const keyClientId = `proof-key-client-${randomUUID()}`;
  emu.directory.addClient({ clientId: keyClientId, publicJwk: { ...publicKey.export({ format: "jwk" }), kid: keyId, alg: "RS256", use: "sig" }, authMethods: new Set(["private_key_jwt"]), ...common });
  const username = `proof-${randomUUID()}@example.com`;
  const password = canaries.mint("OAUTH2PASSWORD");
  emu.directory.addUser(username, password);
  return { emu, secretClientId, clientSecret, keyClientId, privateKeyPem, keyId, username, password, api, reports };
}

/** A client of the canary server; `setup` ones keep default timeouts (they make the cells' inputs, unfaulted). */
export function oauth2Client(s: Oauth2CanaryServer, clientAuth: ClientAuthMethod, logger: Logger | undefined, setup = false, extra: Oauth2Options = {}): Promise<Oauth2Client> {
  const timing = setup ? {} : { attemptTimeoutMs: ATTEMPT_TIMEOUT_MS, maxAttempts: MAX_ATTEMPTS };
  const credentials =
    clientAuth === "private_key_jwt" ? { clientId: s.keyClientId, privateKey: new Secret(s.privateKeyPem), keyId: s.keyId } : { clientId: s.secretClientId, clientSecret: new Secret(s.clientSecret) };
  return createOauth2Client({ issuer: s.emu.url, clientAuth, ...credentials, ...timing, logger, ...extra }, { env: {} });
}

function recordToken(canaries: CanaryRegistry, token: Token): void {
  canaries.add(token.value.reveal(), "oauth2 access token");
  if (token.refreshToken !== undefined) canaries.add(token.refreshToken.reveal(), "oauth2 refresh token");
}

/** An RFC 9068 access token signed by the server's key, with the given times (for expired and future tokens). */
export async function signedAccessToken(s: Oauth2CanaryServer, canaries: CanaryRegistry, times: { iat: number; exp: number }): Promise<string> {
  const token = await s.emu.signer.sign({ iss: s.emu.url, sub: s.username, aud: s.api, client_id: s.secretClientId, scope: "read", jti: randomUUID(), ...times }, { typ: "at+jwt" });
  canaries.add(token, "oauth2 access token");
  return token;
}

/** A user's token (with a refresh token), from an unfaulted password grant. */
async function userToken(s: Oauth2CanaryServer, setup: Oauth2Client, canaries: CanaryRegistry): Promise<Token> {
  const token = await setup.issue({ grant: "password", username: s.username, password: new Secret(s.password), scope: "read", resource: s.api });
  recordToken(canaries, token);
  return token;
}

interface GrantSpec {
  readonly operation: string;
  readonly clientAuth: ClientAuthMethod;
  /** The client repeats client_credentials with a secret sent as such; assertions (single-use jti), passwords, refresh and subject tokens are never repeated blindly. */
  readonly retrySafe: boolean;
  request(s: Oauth2CanaryServer, setup: Oauth2Client, canaries: CanaryRegistry): Promise<Oauth2TokenRequest>;
}

const ISSUE_GRANTS: readonly GrantSpec[] = [
  { operation: "issue: client_credentials (client_secret_basic)", clientAuth: "client_secret_basic", retrySafe: true, request: async (s) => ({ grant: "client_credentials", scope: "read", resource: s.api }) },
  { operation: "issue: client_credentials (private_key_jwt)", clientAuth: "private_key_jwt", retrySafe: false, request: async (s) => ({ grant: "client_credentials", scope: "read write", resource: s.reports }) },
  { operation: "issue: client_credentials (client_secret_jwt)", clientAuth: "client_secret_jwt", retrySafe: false, request: async (s) => ({ grant: "client_credentials", scope: "read", resource: s.api }) },
  {
    operation: "issue: password (client_secret_post)",
    clientAuth: "client_secret_post",
    retrySafe: false,
    request: async (s) => ({ grant: "password", username: s.username, password: new Secret(s.password), scope: "read", resource: s.api }),
  },
  {
    operation: "issue: refresh_token (client_secret_basic)",
    clientAuth: "client_secret_basic",
    retrySafe: false,
    // A fresh refresh token per cell: rotation retires each one after use.
    request: async (s, setup, canaries) => ({ grant: "refresh_token", refreshToken: (await userToken(s, setup, canaries)).refreshToken! }),
  },
  {
    operation: "issue: token_exchange (private_key_jwt)",
    clientAuth: "private_key_jwt",
    retrySafe: false,
    request: async (s, setup, canaries) => ({ grant: "token_exchange", subjectToken: await userToken(s, setup, canaries), audience: s.reports }),
  },
];

/** The token endpoint: one harness per grant and client authentication, each on its own server so they run in parallel. */
export async function oauth2GrantHarnesses(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness[]> {
  return Promise.all(
    ISSUE_GRANTS.map(async (spec): Promise<OperationHarness> => {
      const s = await oauth2CanaryServer(canaries);
      const c = await oauth2Client(s, spec.clientAuth, logger);
      const setup = await oauth2Client(s, "client_secret_basic", undefined, true);
      // Discovery (another route) happens once, before the cells: each cell's requests are the token endpoint's.
      await Promise.all([c.endpoints(), setup.endpoints()]);
      return {
        provider: "oauth2",
        operation: spec.operation,
        route: "token",
        server: s.emu.server,
        maxAttempts: MAX_ATTEMPTS,
        retrySafe: spec.retrySafe,
        writesFiles: false,
        async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
          const tokenRequest = await spec.request(s, setup, canaries);
          const expired = request.id === "expired-on-arrival" ? { access_token: await signedAccessToken(s, canaries, tokenTimesFor(request)), token_type: "Bearer" } : undefined;
          const fault = kitFault(request, { route: "token", errorBody, missingFields: { token_type: "Bearer", expires_in: 3600 }, expired, jsonBody: true });
          if (fault === undefined) return undefined;
          return {
            fault,
            async run({ deadline }) {
              const token = await issueThroughManager(() => c.issue(tokenRequest, { deadline }));
              recordToken(canaries, token);
              return token;
            },
          };
        },
        close: () => s.emu.close(),
      };
    }),
  );
}

/**
 * Revocation, introspection, discovery and verify's JWKS fetch share one server: each faults its own
 * route, and their cells' inputs come from the token endpoint, which none of them faults. The metadata
 * the verify cells need is read from the OpenID Connect location, so that a fault of the discovery cells
 * (on the RFC 8414 location) never reaches them.
 */
export async function oauth2EndpointHarnesses(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness[]> {
  const s = await oauth2CanaryServer(canaries, { issuerPath: "/proof" });
  const setup = await oauth2Client(s, "client_secret_basic", undefined, true);
  await setup.endpoints();
  const made = await Promise.all([revokeHarness(s, setup, canaries, logger), introspectHarness(s, setup, canaries, logger), discoveryHarness(s, logger), verifyHarness(s, canaries, logger)]);
  let open = made.length;
  return made.map((h) => ({
    ...h,
    server: s.emu.server,
    close: async () => {
      open--;
      if (open === 0) await s.emu.close();
    },
  }));
}

type SharedHarness = Omit<OperationHarness, "server" | "close">;

/** RFC 7009: a user's refresh token revoked (which ends the grant); a repeat is harmless (200 for unknown tokens). */
async function revokeHarness(s: Oauth2CanaryServer, setup: Oauth2Client, canaries: CanaryRegistry, logger: Logger): Promise<SharedHarness> {
  const c = await oauth2Client(s, "client_secret_basic", logger);
  await c.endpoints();
  return {
    provider: "oauth2",
    operation: "revoke (refresh token, RFC 7009)",
    route: "revoke",
    maxAttempts: MAX_ATTEMPTS,
    retrySafe: true,
    writesFiles: false,
    async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
      // The answer is an empty 200: nothing to cut, no fields to miss, no token.
      const fault = kitFault(request, { route: "revoke", errorBody, missingFields: undefined, expired: undefined, jsonBody: false });
      if (fault === undefined) return undefined;
      const refreshToken = (await userToken(s, setup, canaries)).refreshToken!;
      return {
        fault,
        run: ({ deadline }) => c.revoke(refreshToken, { tokenTypeHint: "refresh_token", deadline }),
        after: ({ error }) => ({ note: error === undefined && s.emu.directory.refreshTokens.get(refreshToken.reveal())?.active !== false ? "token still there" : undefined }),
      };
    },
  };
}

/** RFC 7662: an active access token introspected. */
async function introspectHarness(s: Oauth2CanaryServer, setup: Oauth2Client, canaries: CanaryRegistry, logger: Logger): Promise<SharedHarness> {
  const c = await oauth2Client(s, "client_secret_post", logger);
  await c.endpoints();
  return {
    provider: "oauth2",
    operation: "introspect (RFC 7662)",
    route: "introspect",
    maxAttempts: MAX_ATTEMPTS,
    retrySafe: true,
    writesFiles: false,
    async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
      const fault = kitFault(request, { route: "introspect", errorBody, missingFields: { token_type: "Bearer", scope: "read" }, expired: undefined, jsonBody: true });
      if (fault === undefined) return undefined;
      const token = await userToken(s, setup, canaries);
      return {
        fault,
        run: ({ deadline }) => c.introspect(token, { deadline }),
        after: ({ value }) => ({ note: value !== undefined && (value as { active?: unknown }).active !== true ? "active token reported inactive" : undefined }),
      };
    },
  };
}

/** RFC 8414 discovery of an issuer with a path, with a fresh client per cell so the metadata is fetched each time. */
async function discoveryHarness(s: Oauth2CanaryServer, logger: Logger): Promise<SharedHarness> {
  return {
    provider: "oauth2",
    operation: "discovery (RFC 8414 metadata, issuer with a path)",
    route: "oauth-metadata",
    maxAttempts: MAX_ATTEMPTS,
    retrySafe: true,
    writesFiles: false,
    async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
      // A document without its required issuer.
      const fault = kitFault(request, { route: "oauth-metadata", errorBody, missingFields: { token_endpoint: `${s.emu.url}/token` }, expired: undefined, jsonBody: true });
      if (fault === undefined) return undefined;
      const c = await oauth2Client(s, "client_secret_basic", logger);
      return { fault, run: ({ deadline }) => c.discover({ deadline }) };
    },
  };
}

/**
 * verify() of an access token, with a fresh client per cell so the JWKS is fetched each time (the faulted
 * route). An expired token and a token from a server whose clock is ahead are input faults.
 */
async function verifyHarness(s: Oauth2CanaryServer, canaries: CanaryRegistry, logger: Logger): Promise<SharedHarness> {
  const discoveryUrl = `${s.emu.url}/.well-known/openid-configuration`;
  return {
    provider: "oauth2",
    operation: "verify (JWKS fetch)",
    route: "jwks",
    maxAttempts: MAX_ATTEMPTS,
    retrySafe: true,
    writesFiles: false,
    async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
      const times = tokenTimesFor(request);
      const token = await signedAccessToken(s, canaries, times);
      const inputFault = request.id === "expired-on-arrival" || request.id === "clock-skew";
      const fault = inputFault ? undefined : kitFault(request, { route: "jwks", errorBody, missingFields: {}, expired: undefined, jsonBody: true });
      if (fault === undefined && !inputFault) return undefined;
      const c = await oauth2Client(s, "client_secret_basic", logger, false, { discoveryUrl });
      await c.endpoints();
      return { fault, run: ({ deadline }) => c.verify(token, { audience: s.api, deadline }) };
    },
  };
}
