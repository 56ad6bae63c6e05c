// Resolves the client configuration: explicit options first, then environment variables, then defaults.
// Oracle ships no common environment convention for IDCS clients; the variable names are ours, chosen
// after the ones community tools use (IDCS_CLIENT_ID / IDCS_CLIENT_SECRET):
//   IDCS_DOMAIN_URL (or IDCS_URL)     the domain URL, https://idcs-....identity.oraclecloud.com
//   IDCS_CLIENT_ID, IDCS_CLIENT_SECRET
//   IDCS_CLIENT_AUTH                  client_secret_basic | client_secret_post | private_key_jwt
//   IDCS_PRIVATE_KEY_FILE             PEM private key whose certificate is imported into the app
//   IDCS_KEY_ID                       the certificate alias (`kid` header)
//   IDCS_CERTIFICATE_FILE             the PEM certificate (`x5t` / `x5t#S256` headers)
import { type AssertionAlgorithm, type ClientAuthMethod as CoreClientAuthMethod, type ConfigContext, expandHome, type Logger, nodeFsSync, nodeOs, Secret, TokenmintError } from "@tokenmint/core";
import type { IdcsAppCapabilities, IdcsResourceServer } from "./scopes.js";

const PROVIDER = "idcs";

/** Issuer of IDCS tokens (reference notes part A, "Verification"). */
export const IDCS_ISSUER = "https://identity.oraclecloud.com/";

/**
 * The client authentication methods IDCS / Identity Domains document: core's, less `client_secret_jwt`
 * (Oracle documents client assertions signed with a certificate's key, RS256, not HMAC ones).
 */
export type ClientAuthMethod = Exclude<CoreClientAuthMethod, "client_secret_jwt">;

/** Options of the IDCS client. */
export interface IdcsOptions {
  /** The identity domain URL, e.g. `https://idcs-abc.identity.oraclecloud.com`. Env: IDCS_DOMAIN_URL, IDCS_URL. */
  domainUrl?: string | undefined;
  /** The confidential application's client id. Env: IDCS_CLIENT_ID. */
  clientId?: string | undefined;
  /** The client secret. Env: IDCS_CLIENT_SECRET. */
  clientSecret?: string | Secret | undefined;
  /**
   * How the client authenticates. Default: `client_secret_basic` when a secret is known (as Oracle's
   * examples do), else `private_key_jwt` when a private key is known. Env: IDCS_CLIENT_AUTH.
   */
  clientAuth?: ClientAuthMethod | undefined;
  /** PEM private key whose certificate is imported into the application (client and user assertions). */
  privateKey?: string | Secret | undefined;
  /** File holding that PEM key (`~` expanded). Env: IDCS_PRIVATE_KEY_FILE. */
  privateKeyFile?: string | undefined;
  /** The certificate alias the app registered the certificate under: the assertions' `kid`. Env: IDCS_KEY_ID. */
  keyId?: string | undefined;
  /** The PEM certificate, to send `x5t` / `x5t#S256` (IDCS needs `kid` or `x5t`). */
  certificate?: string | undefined;
  /** File holding the PEM certificate. Env: IDCS_CERTIFICATE_FILE. */
  certificateFile?: string | undefined;
  /**
   * `aud` of client and user assertions. Default: both `https://identity.oraclecloud.com/` (Oracle's IDCS
   * samples) and `<domain URL>/` (the Identity Domains page "Client/User JWT Assertion", which requires the
   * domain URL to be one of the aud values), so either generation of the service accepts them.
   */
  assertionAudience?: string | readonly string[] | undefined;
  /** Assertion lifetime, seconds. Default 300. */
  assertionLifetimeSec?: number | undefined;
  /** Assertion algorithm. Default RS256 (the only one Oracle documents). */
  assertionAlgorithm?: AssertionAlgorithm | undefined;
  /** What the application is configured for (grants, roles, allowed scopes): checked before calls. */
  app?: IdcsAppCapabilities | undefined;
  /** Resource servers of the domain the app uses (audience, refresh-token flag): checked before calls. */
  resourceServers?: readonly IdcsResourceServer[] | undefined;
  /** Expected `iss` of access tokens. Default https://identity.oraclecloud.com/. */
  issuer?: string | undefined;
  /**
   * Fetch the JWKS with a client_credentials token. Needed when the domain's "Access signing
   * certificate" setting is off (then /admin/v1/SigningCert/jwk requires a token). Default false.
   */
  jwksWithClientToken?: boolean | undefined;
  /** Scope of the token used to fetch the JWKS. Default urn:opc:idm:__myscopes__. */
  jwksTokenScope?: string | undefined;
  /** How long a fetched JWKS is reused, ms. Default 10 minutes (refetched at once when a kid is unknown). */
  jwksCacheMs?: number | undefined;
  attemptTimeoutMs?: number | undefined;
  operationTimeoutMs?: number | undefined;
  /** Attempts of a retry-safe request, the first included. */
  maxAttempts?: number | undefined;
  userAgent?: string | undefined;
}

export interface ResolvedConfig {
  /** Origin (+ path prefix) without trailing slash. */
  readonly domainUrl: string;
  readonly clientId: string;
  readonly clientSecret: Secret | undefined;
  readonly clientAuth: ClientAuthMethod;
  readonly privateKey: Secret | undefined;
  readonly keyId: string | undefined;
  readonly certificate: string | undefined;
  readonly assertionAudience: string | readonly string[];
  readonly assertionLifetimeSec: number;
  readonly assertionAlgorithm: AssertionAlgorithm;
  readonly app: IdcsAppCapabilities | undefined;
  readonly resourceServers: readonly IdcsResourceServer[];
  readonly issuer: string;
  readonly jwksWithClientToken: boolean;
  readonly jwksTokenScope: string;
  readonly jwksCacheMs: number;
  readonly attemptTimeoutMs: number | undefined;
  readonly operationTimeoutMs: number | undefined;
  readonly maxAttempts: number | undefined;
  readonly userAgent: string;
  readonly logger: Logger | undefined;
}

export const DEFAULT_USER_AGENT = "tokenmint-idcs/0.1.0";
const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ["client_secret_basic", "client_secret_post", "private_key_jwt"];

function configError(message: string, hint?: string): TokenmintError {
  return new TokenmintError("configuration", message, { provider: PROVIDER, hint });
}

function firstEnv(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}


function readTextFile(path: string, what: string): string {
  try {
    return nodeFsSync().readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw configError(`cannot read the ${what} file ${JSON.stringify(path)}: ${typeof code === "string" ? code : "read error"}`);
  }
}

/** Normalises the domain URL: a bare host gets https://; slashes, a trailing /oauth2/v1/token and /ui/v1/... go. */
export function normaliseDomainUrl(value: string): string {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError(`domain URL ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw configError("the domain URL must be an http(s) URL");
  if (url.username || url.password) throw configError("the domain URL must not contain credentials");
  if (url.search || url.hash) throw configError("the domain URL must not have a query or fragment");
  // Accept what users paste: the token endpoint itself, or a console page of the domain.
  const path = url.pathname.replace(/\/oauth2\/v1\/token\/?$/, "").replace(/\/ui\/v1\/.*$/, "").replace(/\/+$/, "");
  return `${url.origin}${path}`;
}

function positiveInteger(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) throw configError(`${name} must be a positive integer`);
  return value;
}

/** Resolves options + environment into a complete configuration, or throws `configuration`. */
export function resolveConfig(options: IdcsOptions = {}, context: ConfigContext = {}): ResolvedConfig {
  const env = context.env ?? process.env;
  const home = context.homeDir ?? nodeOs().homedir();
  const domainText = options.domainUrl ?? firstEnv(env, ["IDCS_DOMAIN_URL", "IDCS_URL"]);
  if (domainText === undefined) throw configError("no identity domain URL", "pass domainUrl or set IDCS_DOMAIN_URL (e.g. https://idcs-abc.identity.oraclecloud.com)");
  const domainUrl = normaliseDomainUrl(domainText);
  const clientId = options.clientId ?? firstEnv(env, ["IDCS_CLIENT_ID"]);
  if (clientId === undefined || clientId.length === 0) throw configError("no client id", "pass clientId or set IDCS_CLIENT_ID (the confidential application's client id)");

  const secretText = options.clientSecret ?? firstEnv(env, ["IDCS_CLIENT_SECRET"]);
  const clientSecret = secretText === undefined ? undefined : secretText instanceof Secret ? secretText : new Secret(secretText);
  if (clientSecret !== undefined && clientSecret.length === 0) throw configError("the client secret is empty");

  let privateKey: Secret | undefined;
  if (options.privateKey !== undefined) privateKey = options.privateKey instanceof Secret ? options.privateKey : new Secret(options.privateKey);
  else {
    const file = options.privateKeyFile ?? firstEnv(env, ["IDCS_PRIVATE_KEY_FILE"]);
    if (file !== undefined) privateKey = new Secret(readTextFile(expandHome(file, home), "private key"));
  }
  let certificate = options.certificate;
  if (certificate === undefined) {
    const file = options.certificateFile ?? firstEnv(env, ["IDCS_CERTIFICATE_FILE"]);
    if (file !== undefined) certificate = readTextFile(expandHome(file, home), "certificate");
  }
  const keyId = options.keyId ?? firstEnv(env, ["IDCS_KEY_ID"]);

  const authText = options.clientAuth ?? firstEnv(env, ["IDCS_CLIENT_AUTH"]);
  let clientAuth: ClientAuthMethod;
  if (authText !== undefined) {
    if (!(CLIENT_AUTH_METHODS as readonly string[]).includes(authText)) throw configError(`unknown client authentication method ${JSON.stringify(authText)}`, `use one of ${CLIENT_AUTH_METHODS.join(", ")}`);
    clientAuth = authText as ClientAuthMethod;
  } else if (clientSecret !== undefined) clientAuth = "client_secret_basic";
  else if (privateKey !== undefined) clientAuth = "private_key_jwt";
  else throw configError("no client credentials", "pass clientSecret (IDCS_CLIENT_SECRET) or a private key (privateKey / IDCS_PRIVATE_KEY_FILE) whose certificate is imported into the application");
  if (clientAuth !== "private_key_jwt" && clientSecret === undefined) throw configError(`${clientAuth} needs the client secret`, "pass clientSecret or set IDCS_CLIENT_SECRET");
  if (clientAuth === "private_key_jwt" && privateKey === undefined) throw configError("private_key_jwt needs the private key", "pass privateKey/privateKeyFile or set IDCS_PRIVATE_KEY_FILE");
  if (privateKey !== undefined && keyId === undefined && certificate === undefined) {
    throw configError("a signing key needs its certificate alias (keyId) or its certificate (for x5t)", "IDCS finds the assertion's key by the kid or x5t header: pass keyId (IDCS_KEY_ID) or certificate (IDCS_CERTIFICATE_FILE)");
  }

  const lifetime = options.assertionLifetimeSec ?? 300;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > 86_400) throw configError("assertionLifetimeSec must be an integer between 1 and 86400");
  const audience = options.assertionAudience ?? [IDCS_ISSUER, `${domainUrl}/`];
  if ((typeof audience === "string" ? [audience] : audience).some((a) => a.length === 0) || (typeof audience !== "string" && audience.length === 0)) throw configError("assertionAudience must not be empty");

  return {
    domainUrl,
    clientId,
    clientSecret,
    clientAuth,
    privateKey,
    keyId,
    certificate,
    assertionAudience: audience,
    assertionLifetimeSec: lifetime,
    assertionAlgorithm: options.assertionAlgorithm ?? "RS256",
    app: options.app,
    resourceServers: options.resourceServers ?? [],
    issuer: options.issuer ?? IDCS_ISSUER,
    jwksWithClientToken: options.jwksWithClientToken ?? false,
    jwksTokenScope: options.jwksTokenScope ?? "urn:opc:idm:__myscopes__",
    jwksCacheMs: positiveInteger(options.jwksCacheMs, "jwksCacheMs") ?? 600_000,
    attemptTimeoutMs: positiveInteger(options.attemptTimeoutMs, "attemptTimeoutMs"),
    operationTimeoutMs: positiveInteger(options.operationTimeoutMs, "operationTimeoutMs"),
    maxAttempts: positiveInteger(options.maxAttempts, "maxAttempts"),
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    logger: context.logger,
  };
}
