// The oauth2 client: token requests of every grant with every client authentication method, refresh,
// revocation (RFC 7009), introspection (RFC 7662), discovery, and JWT access-token verification.
import {
  type AssertionAlgorithm,
  type AssertionSigner,
  type CallOptions,
  type ClientAuthentication,
  type ClientAuthMethod,
  type ConfigContext,
  clientAuthParts,
  createAssertionSigner,
  createSecretAssertionSigner,
  decodeJwtUnverified,
  encodeForm,
  fingerprint,
  HMAC_ASSERTION_ALGORITHMS,
  type HmacAssertionAlgorithm,
  type HttpResponse,
  HttpTransport,
  isHmacAssertionAlgorithm,
  JwksCache,
  nodeCrypto,
  numericDate,
  type ProviderClient,
  refuseExpiredOnArrival,
  type Scope,
  Secret,
  type SecretAssertionSigner,
  type Token,
  TokenmintError,
  type VerifiedJwt,
  verifyJwt,
} from "@tokenmint/core";
import { type Oauth2Options, type ResolvedConfig, resolveConfig } from "./config.js";
import { discoverMetadata, type Endpoints, endpointsFrom } from "./discovery.js";
import { oauth2ErrorMapper } from "./errors.js";
import {
  type IntrospectionResponse,
  type Jwks,
  OPERATIONS,
  parseIntrospectionResponse,
  parseJwks,
  parseTokenResponse,
  PROVIDER_ID,
  REQUEST_ID_HEADERS,
  SECRET_WIRE_NAMES,
  type ServerMetadata,
} from "./generated/index.js";
import { buildGrant, type FormFields, type Oauth2TokenRequest, wireGrantType } from "./grants.js";
import { toScopes, tokenFromResponse } from "./token.js";

const FORM = "application/x-www-form-urlencoded";
/** Asymmetric algorithms only: a JWKS holds public keys, and HMAC or "none" would be algorithm confusion. */
const DEFAULT_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

export type TokenTypeHint = "access_token" | "refresh_token";

/** What an introspection (RFC 7662) says about a token, in canonical form; `raw` keeps every field. */
export interface Introspection {
  readonly active: boolean;
  readonly scopes: readonly Scope[];
  readonly clientId?: string | undefined;
  readonly username?: string | undefined;
  readonly subject?: string | undefined;
  readonly tokenType?: string | undefined;
  readonly audience: readonly string[];
  readonly issuer?: string | undefined;
  readonly id?: string | undefined;
  readonly expiresAt?: Date | undefined;
  readonly issuedAt?: Date | undefined;
  readonly raw: IntrospectionResponse;
}

export interface VerifyOptions extends CallOptions {
  /** Accepted audiences. Required unless `skipAudienceCheck`. */
  readonly audience?: string | readonly string[] | undefined;
  readonly skipAudienceCheck?: boolean | undefined;
  /** Accepted issuers. Default: the server's issuer. */
  readonly issuer?: string | readonly string[] | undefined;
  /** Algorithm allowlist. Default: the asymmetric JWS algorithms. */
  readonly algorithms?: readonly string[] | undefined;
  /** Require RFC 9068's `typ: at+jwt` header (refuses ID tokens and other JWTs). Default false. */
  readonly requireAccessTokenType?: boolean | undefined;
  readonly clockToleranceSec?: number | undefined;
  readonly currentDate?: Date | undefined;
}

export interface VerifiedAccessToken extends VerifiedJwt {
  readonly scopes: readonly Scope[];
}

function asSecret(value: Token | Secret | string, what: string): Secret {
  const s = value instanceof Secret ? value : typeof value === "string" ? new Secret(value) : value !== null && typeof value === "object" && value.value instanceof Secret ? value.value : undefined;
  if (s === undefined || s.length === 0) throw new TokenmintError("invalid_request", `${what} must be a non-empty token, Secret or string`, { provider: PROVIDER_ID });
  return s;
}

/** An introspection answer's NumericDate claim, refused (invalid_response) when no Date can hold it. */
const date = (seconds: number | undefined, claim: string, requestId: string | undefined) => (seconds === undefined ? undefined : numericDate(seconds, `the introspection answer's ${claim}`, { provider: PROVIDER_ID, requestId }));

/** The oauth2 provider client. Build it with {@link createOauth2Client}. */
export class Oauth2Client implements ProviderClient {
  readonly provider = PROVIDER_ID;
  /** Non-secret fingerprint of the configuration (secrets hashed), for the token manager's cache keys. */
  readonly configKey: string;
  readonly config: ResolvedConfig;
  readonly #transport: HttpTransport;
  readonly #signer: AssertionSigner | undefined;
  /** client_secret_jwt signers by algorithm, built at first use (the algorithm may come from the metadata). */
  readonly #secretSigners = new Map<HmacAssertionAlgorithm, Promise<SecretAssertionSigner>>();
  readonly #jwks: JwksCache;
  #metadata: { readonly value: ServerMetadata; readonly at: number } | undefined;
  #metadataFlight: Promise<ServerMetadata> | undefined;

  constructor(config: ResolvedConfig, signer: AssertionSigner | undefined) {
    this.config = config;
    this.#signer = signer;
    const { logger: _logger, ...keyed } = config;
    this.configKey = fingerprint(keyed);
    this.#transport = new HttpTransport({
      provider: PROVIDER_ID,
      attemptTimeoutMs: config.attemptTimeoutMs,
      operationTimeoutMs: config.operationTimeoutMs,
      retry: config.maxAttempts === undefined ? undefined : { maxAttempts: config.maxAttempts },
      requestIdHeaders: REQUEST_ID_HEADERS,
      userAgent: config.userAgent,
      errorFromResponse: oauth2ErrorMapper(),
      logger: config.logger,
      secretNames: SECRET_WIRE_NAMES,
    });
    this.#jwks = new JwksCache((options) => this.getSigningKeys(options), 600_000);
  }

  /**
   * The server's metadata (RFC 8414 / OpenID Connect discovery), fetched once and kept for
   * `metadataCacheMs`; concurrent callers share one fetch. Undefined when only endpoints are configured.
   */
  async discover(options: CallOptions & { readonly forceRefresh?: boolean } = {}): Promise<ServerMetadata | undefined> {
    const { issuer, discoveryUrl } = this.config;
    if (issuer === undefined && discoveryUrl === undefined) return undefined;
    const cached = this.#metadata;
    if (options.forceRefresh !== true && cached !== undefined && Date.now() - cached.at < this.config.metadataCacheMs) return cached.value;
    this.#metadataFlight ??= discoverMetadata(this.#transport, issuer, discoveryUrl, options)
      .then((value) => {
        this.#metadata = { value, at: Date.now() };
        return value;
      })
      .finally(() => {
        this.#metadataFlight = undefined;
      });
    return this.#metadataFlight;
  }

  /** The endpoints in use: configured ones first, discovered ones second. */
  async endpoints(options: CallOptions = {}): Promise<Endpoints> {
    return endpointsFrom(this.config, await this.discover(options));
  }

  /** Requests a token. Everything checkable locally (and against the metadata) is checked before any call. */
  async issue(request: Oauth2TokenRequest, options: CallOptions = {}): Promise<Token> {
    const built = buildGrant(request, this.config);
    const endpoints = await this.endpoints(options);
    const wire = wireGrantType(built.grant);
    const listed = endpoints.metadata?.grant_types_supported;
    if (this.config.checkMetadata && listed !== undefined && !listed.includes(wire)) {
      throw new TokenmintError("unsupported", `the server's metadata does not list the ${wire} grant (grant_types_supported: ${listed.join(", ") || "none"})`, {
        provider: PROVIDER_ID,
        hint: "use a grant the server supports, or pass checkMetadata: false if its metadata is incomplete",
      });
    }
    const auth = await this.#authentication(endpoints, "token");
    // Repeating is harmless only for client credentials with a secret sent as is (another token, nothing
    // consumed): assertions (private_key_jwt, client_secret_jwt) carry a single-use jti and a repeat sends
    // the same one, refresh tokens may rotate, passwords lock accounts when repeated.
    const retrySafe = OPERATIONS.requestToken.retrySafe || (built.grant === "client_credentials" && (auth.method === "client_secret_basic" || auth.method === "client_secret_post"));
    const issuedAt = new Date();
    const response = await this.#post(endpoints.token, built.fields, auth, "requestToken", retrySafe, options);
    const body = parseTokenResponse(response.json(), { provider: PROVIDER_ID, source: "response of the token endpoint" });
    const targets = [...built.resources, ...built.audiences];
    const token = tokenFromResponse(body, { issuedAt, requested: built.scopes, resource: targets.length === 1 ? targets[0] : undefined, exchange: built.grant === "token_exchange", requestId: response.requestId });
    // A token expired on arrival (expires_in 0, or no expires_in and an exp a skewed server clock put in
    // the past) is refused here, for every caller, not only by a TokenManager.
    return refuseExpiredOnArrival(token);
  }

  /**
   * Refreshes a token with its refresh token. Scopes are not sent (the server keeps what it granted); the
   * new token keeps the old refresh token when the server does not rotate it (RFC 6749 section 6).
   */
  async refresh(token: Token, options: CallOptions = {}): Promise<Token> {
    if (token.refreshToken === undefined) throw new TokenmintError("unsupported", "the token has no refresh token", { provider: PROVIDER_ID, hint: "the server issues refresh tokens only for some grants (not client_credentials, RFC 6749 section 4.4.3)" });
    const fresh = await this.issue({ grant: "refresh_token", refreshToken: token.refreshToken }, options);
    const scopes = typeof fresh.raw["scope"] === "string" ? fresh.scopes : token.scopes;
    return { ...fresh, scopes, ...(fresh.refreshToken === undefined ? { refreshToken: token.refreshToken } : {}) };
  }

  /**
   * Revokes a token at the server's RFC 7009 endpoint. A canonical Token revokes its refresh token (which
   * ends the grant on most servers) and then its access token. The server answers 200 for unknown tokens
   * too, so success means "not usable any more", not "was valid".
   */
  async revoke(target: Token | Secret | string, options: CallOptions & { readonly tokenTypeHint?: TokenTypeHint } = {}): Promise<void> {
    const endpoints = await this.endpoints(options);
    if (endpoints.revocation === undefined) throw this.#notAdvertised("revocation_endpoint", "revocationEndpoint");
    const auth = await this.#authentication(endpoints, "revocation");
    const items: Array<[Secret, TokenTypeHint | undefined]> = [];
    if (target !== null && typeof target === "object" && !(target instanceof Secret)) {
      if (target.refreshToken !== undefined) items.push([target.refreshToken, "refresh_token"]);
      items.push([asSecret(target, "the token"), "access_token"]);
    } else items.push([asSecret(target, "the token"), options.tokenTypeHint]);
    for (const [token, hint] of items) {
      const fields: FormFields = [["token", token]];
      if (hint !== undefined) fields.push(["token_type_hint", hint]);
      await this.#post(endpoints.revocation, fields, auth, "revokeToken", OPERATIONS.revokeToken.retrySafe, options);
    }
  }

  /** Asks the server's RFC 7662 endpoint whether a token is active, and what it grants. */
  async introspect(target: Token | Secret | string, options: CallOptions & { readonly tokenTypeHint?: TokenTypeHint } = {}): Promise<Introspection> {
    const endpoints = await this.endpoints(options);
    if (endpoints.introspection === undefined) throw this.#notAdvertised("introspection_endpoint", "introspectionEndpoint");
    const auth = await this.#authentication(endpoints, "introspection");
    const fields: FormFields = [["token", asSecret(target, "the token")]];
    if (options.tokenTypeHint !== undefined) fields.push(["token_type_hint", options.tokenTypeHint]);
    const response = await this.#post(endpoints.introspection, fields, auth, "introspectToken", OPERATIONS.introspectToken.retrySafe, options);
    const raw = parseIntrospectionResponse(response.json(), { provider: PROVIDER_ID, source: "response of the introspection endpoint" });
    const audience = raw.aud === undefined ? [] : typeof raw.aud === "string" ? [raw.aud] : raw.aud.filter((a): a is string => typeof a === "string");
    if (!raw.active) return { active: false, scopes: [], audience: [], raw };
    return {
      active: true,
      scopes: toScopes((raw.scope ?? "").split(" ").filter((s) => s !== ""), audience.length === 1 ? audience[0] : undefined),
      clientId: raw.client_id,
      username: raw.username,
      subject: raw.sub,
      tokenType: raw.token_type,
      audience,
      issuer: raw.iss,
      id: raw.jti,
      expiresAt: date(raw.exp, "exp", response.requestId),
      issuedAt: date(raw.iat, "iat", response.requestId),
      raw,
    };
  }

  /** Fetches the server's signing keys (its jwks_uri). */
  async getSigningKeys(options: CallOptions = {}): Promise<Jwks> {
    const endpoints = await this.endpoints(options);
    if (endpoints.jwks === undefined) throw this.#notAdvertised("jwks_uri", "jwksUri");
    const response = await this.#transport.send({ method: "GET", url: endpoints.jwks, headers: { accept: "application/json" } }, { ...options, retrySafe: OPERATIONS.getSigningKeys.retrySafe, operation: "getSigningKeys" });
    return parseJwks(response.json(), { provider: PROVIDER_ID, source: "response of the jwks_uri" });
  }

  /**
   * Verifies a JWT access token against the server's keys (core's verifyJwt): signature with an algorithm
   * allowlist, issuer, audience, expiry; refetches the keys once for an unknown kid (key rotation).
   */
  async verify(token: Token | Secret | string, options: VerifyOptions = {}): Promise<VerifiedAccessToken> {
    const value = asSecret(token, "the token");
    if (options.audience === undefined && options.skipAudienceCheck !== true) {
      throw new TokenmintError("configuration", "verify needs the expected audience", { provider: PROVIDER_ID, hint: "pass audience (the resource server), or skipAudienceCheck: true" });
    }
    let header: Record<string, unknown>;
    try {
      header = decodeJwtUnverified(value).header as Record<string, unknown>;
    } catch {
      throw new TokenmintError("invalid_token", "the token is not a JWT, so it cannot be verified locally", { provider: PROVIDER_ID, hint: "ask the server with introspect()" });
    }
    if (options.requireAccessTokenType === true && String(header["typ"]).toLowerCase() !== "at+jwt" && String(header["typ"]).toLowerCase() !== "application/at+jwt") {
      throw new TokenmintError("invalid_token", `the token's typ is ${JSON.stringify(header["typ"])}, not at+jwt (RFC 9068)`, { provider: PROVIDER_ID });
    }
    const issuer = options.issuer ?? (await this.endpoints(options)).issuer;
    const once = async (refresh: boolean) =>
      verifyJwt(value, {
        jwks: await this.#jwks.get(options, refresh),
        algorithms: options.algorithms ?? DEFAULT_ALGORITHMS,
        issuer,
        audience: options.skipAudienceCheck === true ? undefined : options.audience,
        clockToleranceSec: options.clockToleranceSec,
        currentDate: options.currentDate,
        requiredClaims: ["exp"],
      });
    let verified: VerifiedJwt;
    try {
      try {
        verified = await once(false);
      } catch (error) {
        if (error instanceof TokenmintError && error.providerCode === "ERR_JWKS_NO_MATCHING_KEY" && this.#jwks.age() > 5_000) verified = await once(true);
        else throw error;
      }
    } catch (error) {
      if (error instanceof TokenmintError && error.provider === undefined) throw new TokenmintError(error.code, error.message, { provider: PROVIDER_ID, providerCode: error.providerCode, retryable: error.retryable, cause: error });
      throw error;
    }
    const claims = verified.claims as Record<string, unknown>;
    const aud = typeof options.audience === "string" ? options.audience : undefined;
    const scope = typeof claims["scope"] === "string" ? claims["scope"] : "";
    return { ...verified, scopes: toScopes(scope.split(" ").filter((s) => s !== ""), aud) };
  }

  #notAdvertised(field: string, option: string): TokenmintError {
    return new TokenmintError("unsupported", `the server does not advertise a ${field}`, { provider: PROVIDER_ID, hint: `configure ${option} if it has one` });
  }

  /** The client authentication for one endpoint: the configured method, or the best the metadata allows. */
  async #authentication(endpoints: Endpoints, endpoint: "token" | "revocation" | "introspection"): Promise<ClientAuthentication> {
    const metadata = endpoints.metadata;
    const listed = metadata?.[`${endpoint}_endpoint_auth_methods_supported`] ?? (endpoint === "token" ? undefined : metadata?.token_endpoint_auth_methods_supported);
    const { clientId, clientSecret } = this.config;
    let method: ClientAuthMethod | undefined = this.config.clientAuth;
    if (method === undefined) {
      if (clientSecret === undefined) method = "private_key_jwt";
      else if (listed === undefined || listed.includes("client_secret_basic")) method = "client_secret_basic";
      else if (listed.includes("client_secret_post")) method = "client_secret_post";
      else if (listed.includes("client_secret_jwt")) method = "client_secret_jwt";
      else method = "client_secret_basic";
    }
    if (this.config.checkMetadata && listed !== undefined && !listed.includes(method)) {
      throw new TokenmintError("unsupported", `the server's metadata does not list ${method} for its ${endpoint} endpoint (${listed.join(", ") || "none"})`, {
        provider: PROVIDER_ID,
        hint: "choose a listed clientAuth, or pass checkMetadata: false if the metadata is incomplete",
      });
    }
    if (method === "private_key_jwt") {
      const signer = this.#signer;
      if (signer === undefined) throw new TokenmintError("configuration", "private_key_jwt needs a private key", { provider: PROVIDER_ID });
      // RFC 7523 section 3: the audience identifies the server; its issuer works for every endpoint.
      return { method, clientId, signer, audience: this.config.assertionAudience ?? endpoints.issuer ?? endpoints.token };
    }
    if (clientSecret === undefined) throw new TokenmintError("configuration", `${method} needs a client secret`, { provider: PROVIDER_ID });
    if (method === "client_secret_jwt") {
      const signer = await this.#secretSigner(this.#hmacAlgorithm(endpoints, endpoint), clientSecret);
      // OpenID Connect Core section 9: the audience SHOULD be the token endpoint (for every endpoint).
      return { method, clientId, signer, audience: this.config.assertionAudience ?? endpoints.token };
    }
    return { method, clientId, clientSecret };
  }

  /**
   * The HMAC algorithm of client_secret_jwt at one endpoint: the configured one (refused before any call
   * when the metadata lists others), else HS256 or the first HMAC algorithm the metadata lists.
   */
  #hmacAlgorithm(endpoints: Endpoints, endpoint: "token" | "revocation" | "introspection"): HmacAssertionAlgorithm {
    const metadata = endpoints.metadata;
    const listed = metadata?.[`${endpoint}_endpoint_auth_signing_alg_values_supported`] ?? metadata?.token_endpoint_auth_signing_alg_values_supported;
    const configured = this.config.assertionAlgorithm;
    const check = this.config.checkMetadata && listed !== undefined;
    if (isHmacAssertionAlgorithm(configured)) {
      if (check && !listed.includes(configured)) throw this.#unlistedAlgorithm(configured, endpoint, listed);
      return configured;
    }
    const offered = listed === undefined ? "HS256" : HMAC_ASSERTION_ALGORITHMS.find((a) => listed.includes(a));
    if (offered !== undefined) return offered;
    if (check) throw this.#unlistedAlgorithm("an HMAC algorithm", endpoint, listed);
    return "HS256";
  }

  #unlistedAlgorithm(what: string, endpoint: string, listed: readonly string[]): TokenmintError {
    return new TokenmintError("unsupported", `the server's metadata does not list ${what} for client_secret_jwt at its ${endpoint} endpoint (${listed.join(", ") || "none"})`, {
      provider: PROVIDER_ID,
      hint: "pass an assertionAlgorithm the server lists, another clientAuth, or checkMetadata: false if the metadata is incomplete",
    });
  }

  /** One signer per algorithm; the secret's length is checked against it (RFC 7518 section 3.2) when it is built. */
  #secretSigner(algorithm: HmacAssertionAlgorithm, clientSecret: Secret): Promise<SecretAssertionSigner> {
    let signer = this.#secretSigners.get(algorithm);
    if (signer === undefined) {
      signer = createSecretAssertionSigner({ clientSecret, algorithm, provider: PROVIDER_ID });
      this.#secretSigners.set(algorithm, signer);
      signer.catch(() => this.#secretSigners.delete(algorithm));
    }
    return signer;
  }

  /** One form POST with client authentication; secrets are revealed only into the body and headers sent. */
  async #post(url: string, fields: FormFields, auth: ClientAuthentication, operation: keyof typeof OPERATIONS, retrySafe: boolean, options: CallOptions): Promise<HttpResponse> {
    const parts = await clientAuthParts(auth, PROVIDER_ID);
    const headers: Record<string, string> = { "content-type": FORM, accept: "application/json" };
    for (const [name, value] of Object.entries(parts.headers)) headers[name] = value.reveal();
    return this.#transport.send({ method: "POST", url, headers, body: encodeForm([...fields, ...parts.form]) }, { ...options, retrySafe, operation });
  }
}

/**
 * Builds an oauth2 client from options and the environment (`OAUTH2_ISSUER` or `OAUTH2_TOKEN_ENDPOINT`,
 * `OAUTH2_CLIENT_ID`, `OAUTH2_CLIENT_SECRET`, ...). Nothing is fetched yet: metadata is discovered at the first call.
 *
 * @example
 * const client = await createOauth2Client({ issuer: "https://auth.example.com", clientId: "my-app", clientSecret });
 * const token = await client.issue({ grant: "client_credentials", scope: "read", resource: "https://api.example.com" });
 */
export async function createOauth2Client(options: Oauth2Options = {}, context: ConfigContext = {}): Promise<Oauth2Client> {
  const config = resolveConfig(options, context);
  const key = config.privateKey;
  const configured = isHmacAssertionAlgorithm(config.assertionAlgorithm) ? undefined : config.assertionAlgorithm;
  const signer = key === undefined ? undefined : await createAssertionSigner({ privateKey: key, algorithm: configured ?? defaultAlgorithm(key), keyId: config.keyId, provider: PROVIDER_ID });
  return new Oauth2Client(config, signer);
}

/** RS256 for RSA keys; for EC keys the algorithm of their curve (RFC 7518 section 3.4). */
function defaultAlgorithm(pem: Secret): AssertionAlgorithm | undefined {
  try {
    const key = nodeCrypto().createPrivateKey(pem.reveal());
    if (key.asymmetricKeyType !== "ec") return undefined;
    return ({ prime256v1: "ES256", secp384r1: "ES384", secp521r1: "ES512" } as const)[key.asymmetricKeyDetails?.namedCurve as "prime256v1"];
  } catch {
    return undefined; // the signer reports an unreadable key, without quoting it
  }
}
