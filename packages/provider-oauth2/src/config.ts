// Resolves the oauth2 client's configuration: explicit options first, then environment variables.
// There is no common environment convention for OAuth2 clients; ours use the OAUTH2_ prefix:
//   OAUTH2_ISSUER                  issuer URL (endpoints discovered from its metadata)
//   OAUTH2_TOKEN_ENDPOINT          or the token endpoint, without discovery
//   OAUTH2_CLIENT_ID, OAUTH2_CLIENT_SECRET
//   OAUTH2_CLIENT_AUTH             client_secret_basic | client_secret_post | client_secret_jwt | private_key_jwt
//   OAUTH2_PRIVATE_KEY_FILE        PEM key for private_key_jwt; OAUTH2_KEY_ID its kid
import { type AssertionAlgorithm, checkHmacSecret, type ClientAuthMethod, type ConfigContext, expandHome, type HmacAssertionAlgorithm, isHmacAssertionAlgorithm, type Logger, nodeFsSync, nodeOs, Secret, TokenmintError } from "@tokenmint/core";
import { PROVIDER_ID } from "./generated/index.js";

/** Options of the oauth2 client. Secrets may be given as strings; they are wrapped at once. */
export interface Oauth2Options {
  /** The issuer: endpoints come from its metadata (RFC 8414, or OpenID Connect discovery). Env: OAUTH2_ISSUER. */
  issuer?: string | undefined;
  /** A metadata URL to read instead of the well-known ones (servers with an unusual location). */
  discoveryUrl?: string | undefined;
  /** The token endpoint: with it and no issuer, nothing is discovered. Env: OAUTH2_TOKEN_ENDPOINT. Also overrides the discovered one. */
  tokenEndpoint?: string | undefined;
  /** RFC 7009 endpoint (overrides the discovered one). */
  revocationEndpoint?: string | undefined;
  /** RFC 7662 endpoint (overrides the discovered one). */
  introspectionEndpoint?: string | undefined;
  /** JWKS URL for `verify` (overrides the discovered one). */
  jwksUri?: string | undefined;
  /** Env: OAUTH2_CLIENT_ID. */
  clientId?: string | undefined;
  /** Env: OAUTH2_CLIENT_SECRET. */
  clientSecret?: string | Secret | undefined;
  /**
   * Env: OAUTH2_CLIENT_AUTH. Default: private_key_jwt with a key, else client_secret_basic (RFC 6749's
   * default), or client_secret_post when the metadata lists it and not client_secret_basic, or
   * client_secret_jwt when the metadata lists neither of those but lists it. client_secret_jwt signs
   * each request's client assertion with an HMAC keyed with the client secret (OpenID Connect Core
   * section 9), which must have at least as many bits as the hash (32 bytes for HS256).
   */
  clientAuth?: ClientAuthMethod | undefined;
  /** PEM private key for private_key_jwt (RSA or EC). */
  privateKey?: string | Secret | undefined;
  /** Env: OAUTH2_PRIVATE_KEY_FILE. */
  privateKeyFile?: string | undefined;
  /** `kid` of the client assertion: the id the server registered the public key under. Env: OAUTH2_KEY_ID. */
  keyId?: string | undefined;
  /**
   * private_key_jwt: default RS256 (ES256 for an EC key). client_secret_jwt: HS256, HS384 or HS512;
   * default HS256, or the first of them the metadata lists (`token_endpoint_auth_signing_alg_values_supported`).
   */
  assertionAlgorithm?: AssertionAlgorithm | HmacAssertionAlgorithm | undefined;
  /**
   * `aud` of client assertions. Default for private_key_jwt: the issuer when known, else the token endpoint
   * (RFC 7523 section 3); for client_secret_jwt: the token endpoint (OpenID Connect Core section 9).
   */
  assertionAudience?: string | readonly string[] | undefined;
  /** Scopes sent when a request names none. */
  scope?: string | readonly string[] | undefined;
  /** RFC 8707 resource indicators sent when a request names none. */
  resource?: string | readonly string[] | undefined;
  /** `audience` parameters sent when a request names none. */
  audience?: string | readonly string[] | undefined;
  /** Refuse, before any call, grants and client authentication methods the metadata does not list. Default true. */
  checkMetadata?: boolean | undefined;
  /** How long discovered metadata is kept, ms. Default 1 hour. */
  metadataCacheMs?: number | undefined;
  attemptTimeoutMs?: number | undefined;
  operationTimeoutMs?: number | undefined;
  /** Attempts per request that may be repeated, the first included. */
  maxAttempts?: number | undefined;
  userAgent?: string | undefined;
  logger?: Logger | undefined;
}

export interface ResolvedConfig {
  readonly issuer: string | undefined;
  readonly discoveryUrl: string | undefined;
  readonly tokenEndpoint: string | undefined;
  readonly revocationEndpoint: string | undefined;
  readonly introspectionEndpoint: string | undefined;
  readonly jwksUri: string | undefined;
  readonly clientId: string;
  readonly clientSecret: Secret | undefined;
  /** As configured; undefined: chosen from the metadata at the first request. */
  readonly clientAuth: ClientAuthMethod | undefined;
  readonly privateKey: Secret | undefined;
  readonly keyId: string | undefined;
  readonly assertionAlgorithm: AssertionAlgorithm | HmacAssertionAlgorithm | undefined;
  readonly assertionAudience: string | readonly string[] | undefined;
  readonly scope: readonly string[];
  readonly resource: readonly string[];
  readonly audience: readonly string[];
  readonly checkMetadata: boolean;
  readonly metadataCacheMs: number;
  readonly attemptTimeoutMs: number | undefined;
  readonly operationTimeoutMs: number | undefined;
  readonly maxAttempts: number | undefined;
  readonly userAgent: string | undefined;
  readonly logger: Logger | undefined;
}

const METHODS: readonly ClientAuthMethod[] = ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"];
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

function configurationError(message: string, hint?: string): TokenmintError {
  return new TokenmintError("configuration", message, { provider: PROVIDER_ID, hint });
}

/**
 * Checks an endpoint URL: https, or http to a loopback address only (credentials and tokens never cross a
 * network in clear). `what` names the option or metadata field in the message.
 */
export function checkEndpoint(value: string, what: string, kind: "configuration" | "invalid_response" = "configuration"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TokenmintError(kind, `${what} is not a URL`, { provider: PROVIDER_ID });
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new TokenmintError(kind, `${what} must be an https URL (got ${url.protocol}//${url.host})`, { provider: PROVIDER_ID, hint: "http is accepted only for loopback servers (emulators, tests)" });
  }
  // RFC 6749 section 3.1/3.2: no fragment component, and a bare "#" is an (empty) one: URL.hash hides it.
  if (url.hash !== "" || url.href.endsWith("#")) throw new TokenmintError(kind, `${what} must not have a fragment`, { provider: PROVIDER_ID });
  return url.href;
}

/** A space-separated string or a list -> a list without empty entries. */
export function asList(value: string | readonly string[] | undefined, what: string): string[] {
  if (value === undefined) return [];
  const list = typeof value === "string" ? value.split(" ") : Array.isArray(value) ? [...value] : undefined;
  if (list === undefined || list.some((v) => typeof v !== "string")) throw configurationError(`${what} must be a string or a list of strings`);
  return list.filter((v) => v !== "");
}

function readKeyFile(path: string, home: string): Secret {
  const full = expandHome(path, home);
  try {
    return new Secret(nodeFsSync().readFileSync(full, "utf8"));
  } catch (error) {
    throw configurationError(`cannot read the private key file ${full}: ${(error as { code?: string }).code ?? "error"}`);
  }
}

const secretOf = (value: string | Secret | undefined) => (value === undefined ? undefined : value instanceof Secret ? value : new Secret(value));

/** Explicit options, then the environment. Everything checkable without a call is checked here. */
export function resolveConfig(options: Oauth2Options, context: ConfigContext = {}): ResolvedConfig {
  const env = context.env ?? process.env;
  const pick = (value: string | undefined, name: string) => (value !== undefined && value !== "" ? value : env[name] !== "" ? env[name] : undefined);
  const issuer = pick(options.issuer, "OAUTH2_ISSUER");
  const tokenEndpoint = pick(options.tokenEndpoint, "OAUTH2_TOKEN_ENDPOINT");
  if (issuer === undefined && tokenEndpoint === undefined && options.discoveryUrl === undefined) {
    throw configurationError("neither an issuer nor a token endpoint is configured", "pass issuer (endpoints are discovered) or tokenEndpoint, or set OAUTH2_ISSUER / OAUTH2_TOKEN_ENDPOINT");
  }
  const clientId = pick(options.clientId, "OAUTH2_CLIENT_ID");
  if (clientId === undefined) throw configurationError("no client id", "pass clientId or set OAUTH2_CLIENT_ID");
  const clientSecret = secretOf(options.clientSecret ?? pick(undefined, "OAUTH2_CLIENT_SECRET"));
  const keyFile = pick(options.privateKeyFile, "OAUTH2_PRIVATE_KEY_FILE");
  const privateKey = secretOf(options.privateKey) ?? (keyFile === undefined ? undefined : readKeyFile(keyFile, context.homeDir ?? nodeOs().homedir()));
  const clientAuth = (options.clientAuth ?? pick(undefined, "OAUTH2_CLIENT_AUTH")) as ClientAuthMethod | undefined;
  if (clientAuth !== undefined && !METHODS.includes(clientAuth)) throw configurationError(`unknown client authentication method ${JSON.stringify(clientAuth)}`, `use one of ${METHODS.join(", ")}`);
  if (clientSecret !== undefined && clientSecret.length === 0) throw configurationError("the client secret is empty");
  if (clientAuth === "private_key_jwt" && privateKey === undefined) throw configurationError("private_key_jwt needs a private key", "pass privateKey or privateKeyFile, or set OAUTH2_PRIVATE_KEY_FILE");
  if (clientAuth !== undefined && clientAuth !== "private_key_jwt" && clientSecret === undefined) throw configurationError(`${clientAuth} needs a client secret`, "pass clientSecret or set OAUTH2_CLIENT_SECRET");
  const algorithm = options.assertionAlgorithm;
  if (algorithm !== undefined) {
    const hmac = isHmacAssertionAlgorithm(algorithm);
    if (hmac && clientAuth === "private_key_jwt") throw configurationError(`private_key_jwt cannot sign with ${algorithm}`, "HS256/HS384/HS512 are for client_secret_jwt; private_key_jwt takes RS*, PS* or ES*");
    if (!hmac && clientAuth === "client_secret_jwt") throw configurationError(`client_secret_jwt cannot sign with ${JSON.stringify(algorithm)}`, "client_secret_jwt takes HS256, HS384 or HS512 (an HMAC keyed with the client secret)");
  }
  // An HMAC key shorter than its hash is refused here (RFC 7518 section 3.2), before any call; HS256 when
  // the algorithm is left to the metadata, as every HMAC algorithm needs at least that much.
  if (clientAuth === "client_secret_jwt" && clientSecret !== undefined) checkHmacSecret(clientSecret, isHmacAssertionAlgorithm(algorithm) ? algorithm : "HS256", PROVIDER_ID);
  if (clientAuth === undefined && clientSecret === undefined && privateKey === undefined) throw configurationError("no client credentials", "pass clientSecret (or OAUTH2_CLIENT_SECRET), or privateKey / privateKeyFile for private_key_jwt");
  const endpoint = (value: string | undefined, what: string) => (value === undefined ? undefined : checkEndpoint(value, what));
  // The issuer is kept as written (metadata must name it exactly), only checked.
  if (issuer !== undefined) checkEndpoint(issuer, "the issuer");
  return {
    issuer,
    discoveryUrl: endpoint(options.discoveryUrl, "discoveryUrl"),
    tokenEndpoint: endpoint(tokenEndpoint, "the token endpoint"),
    revocationEndpoint: endpoint(options.revocationEndpoint, "revocationEndpoint"),
    introspectionEndpoint: endpoint(options.introspectionEndpoint, "introspectionEndpoint"),
    jwksUri: endpoint(options.jwksUri, "jwksUri"),
    clientId,
    clientSecret,
    clientAuth,
    privateKey,
    keyId: pick(options.keyId, "OAUTH2_KEY_ID"),
    assertionAlgorithm: options.assertionAlgorithm,
    assertionAudience: options.assertionAudience,
    scope: asList(options.scope, "scope"),
    resource: asList(options.resource, "resource"),
    audience: asList(options.audience, "audience"),
    checkMetadata: options.checkMetadata ?? true,
    metadataCacheMs: options.metadataCacheMs ?? 3_600_000,
    attemptTimeoutMs: options.attemptTimeoutMs,
    operationTimeoutMs: options.operationTimeoutMs,
    maxAttempts: options.maxAttempts,
    userAgent: options.userAgent,
    logger: options.logger ?? context.logger,
  };
}
