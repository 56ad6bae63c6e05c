// The IDCS client: token requests for every grant and client authentication method, refresh, JWKS and
// discovery, and access-token verification.
import {
  type AssertionSigner,
  type CallOptions,
  type ClientAuthentication,
  type ConfigContext,
  clientAuthParts,
  createAssertionSigner,
  encodeForm,
  fingerprint,
  HttpTransport,
  JwksCache,
  type ProviderClient,
  refuseExpiredOnArrival,
  type Scope,
  Secret,
  type Token,
  TokenmintError,
  verifyJwt,
} from "@tokenmint/core";
import type { JSONWebKeySet } from "jose";
import { type IdcsOptions, type ResolvedConfig, resolveConfig } from "./config.js";
import { idcsErrorMapper } from "./errors.js";
import { OPERATIONS, type OpenIdConfiguration, parseJwks, parseOpenIdConfiguration, parseTokenResponse, REQUEST_ID_HEADERS, SECRET_WIRE_NAMES } from "./generated/index.js";
import { type GrantName, grantedScopes, type ResolvedScopes, resolveScopes, type ScopeSelection } from "./scopes.js";
import { type IdcsAccessTokenClaims, tokenFromResponse } from "./token.js";

const PROVIDER = "idcs";
export const TOKEN_PATH = OPERATIONS.requestToken.path;
export const JWKS_PATH = OPERATIONS.getSigningKeys.path;
export const DISCOVERY_PATH = OPERATIONS.getOpenIdConfiguration.path;
export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** Seed 003's content type, charset included. */
const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded;charset=UTF-8";

interface RequestCommon {
  /** Scopes, as the console offers them, or raw scope strings. Default: Available Scopes (none on refresh). */
  readonly scope?: ScopeSelection | string | readonly string[] | undefined;
  /** The console's Include Refresh Token: adds offline_access after checking the app and resource server allow it (ignored on refresh). */
  readonly includeRefreshToken?: boolean | undefined;
}

/** One token request. Secrets may be given as strings; they are wrapped at once. */
export type IdcsTokenRequest = RequestCommon &
  (
    | { readonly grant: "client_credentials" }
    | { readonly grant: "password"; readonly username: string; readonly password: string | Secret }
    /** User assertion grant: the library signs an assertion for `user` with the app's key, or sends `assertion` as given. */
    | { readonly grant: "jwt_bearer"; readonly user?: string | undefined; readonly assertion?: string | Secret | undefined }
    | { readonly grant: "refresh_token"; readonly refreshToken: string | Secret }
  );

export interface VerifyAccessTokenOptions extends CallOptions {
  /** Accepted audiences (the resource server's audience; the domain URL for IDCS APIs). Required unless `skipAudienceCheck`. */
  readonly audience?: string | readonly string[] | undefined;
  /** Verify without an audience check (e.g. to inspect a token of unknown purpose). */
  readonly skipAudienceCheck?: boolean | undefined;
  /** Accepted issuers. Default: the client's issuer (https://identity.oraclecloud.com/). */
  readonly issuer?: string | readonly string[] | undefined;
  /** Algorithm allowlist. Default RS256 (what IDCS signs with). */
  readonly algorithms?: readonly string[] | undefined;
  readonly clockToleranceSec?: number | undefined;
  readonly currentDate?: Date | undefined;
  /** Refuse tokens whose `tok_type` is present and not `AT` (e.g. ID tokens). Default true. */
  readonly requireAccessToken?: boolean | undefined;
}

export interface VerifiedAccessToken {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: IdcsAccessTokenClaims;
  readonly scopes: readonly Scope[];
}

const GRANTS: readonly GrantName[] = ["client_credentials", "password", "jwt_bearer", "refresh_token"];

function requestError(message: string, hint?: string): TokenmintError {
  return new TokenmintError("invalid_request", message, { provider: PROVIDER, hint });
}

function asSecret(value: string | Secret, what: string): Secret {
  const s = value instanceof Secret ? value : typeof value === "string" ? new Secret(value) : undefined;
  if (s === undefined) throw requestError(`${what} must be a string`);
  if (s.length === 0) throw requestError(`${what} is empty`);
  return s;
}

function toSelection(scope: RequestCommon["scope"]): ScopeSelection | undefined {
  if (scope === undefined) return undefined;
  if (typeof scope === "string" || Array.isArray(scope)) return { kind: "raw", scopes: scope as string | readonly string[] };
  return scope as ScopeSelection;
}

/** The IDCS provider client. Build it with {@link createIdcsClient}. */
export class IdcsClient implements ProviderClient {
  readonly provider = PROVIDER;
  readonly configKey: string;
  readonly config: ResolvedConfig;
  readonly #transport: HttpTransport;
  readonly #signer: AssertionSigner | undefined;
  readonly #jwks: JwksCache;

  constructor(config: ResolvedConfig, signer: AssertionSigner | undefined) {
    this.config = config;
    this.#signer = signer;
    this.configKey = fingerprint({
      domainUrl: config.domainUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      clientAuth: config.clientAuth,
      privateKey: config.privateKey,
      keyId: config.keyId,
      certificate: config.certificate,
      assertionAudience: config.assertionAudience,
      // Declared capabilities change what "available" scopes mean on the wire: part of the cache key.
      app: config.app,
      resourceServers: config.resourceServers,
      issuer: config.issuer,
    });
    this.#transport = new HttpTransport({
      provider: PROVIDER,
      attemptTimeoutMs: config.attemptTimeoutMs,
      operationTimeoutMs: config.operationTimeoutMs,
      retry: config.maxAttempts === undefined ? undefined : { maxAttempts: config.maxAttempts },
      requestIdHeaders: REQUEST_ID_HEADERS,
      userAgent: config.userAgent,
      errorFromResponse: idcsErrorMapper(),
      logger: config.logger,
      secretNames: SECRET_WIRE_NAMES,
    });
    this.#jwks = new JwksCache((options) => this.#fetchJwks(options), config.jwksCacheMs);
  }

  /** The token endpoint URL. */
  get tokenEndpoint(): string {
    return `${this.config.domainUrl}${TOKEN_PATH}`;
  }

  /** Requests a token. Everything that can be checked locally is checked before any call. */
  async issue(request: IdcsTokenRequest, options: CallOptions = {}): Promise<Token> {
    if (request === null || typeof request !== "object") throw requestError("the token request must be an object");
    const grant = request.grant;
    if (!GRANTS.includes(grant)) throw requestError(`unknown grant ${JSON.stringify(grant)}`, `use one of ${GRANTS.join(", ")}`);
    const declared = this.config.app?.grants;
    if (declared !== undefined && !declared.includes(grant)) {
      throw new TokenmintError("unsupported", `the application is not configured for the ${grant} grant`, { provider: PROVIDER, hint: `allowed grants declared in app.grants: ${declared.join(", ") || "none"}` });
    }
    const selection = toSelection(request.scope) ?? (grant === "refresh_token" ? undefined : { kind: "available" as const });
    const includeRefresh = request.includeRefreshToken === true;
    // On refresh, IDCS keeps the original token's scopes: a scope is sent only when the caller gives one.
    const resolved = selection === undefined ? undefined : resolveScopes(selection, includeRefresh && grant !== "refresh_token", this.config);
    const form: Array<readonly [string, string | Secret]> = [];
    switch (request.grant) {
      case "client_credentials":
        form.push(["grant_type", "client_credentials"]);
        break;
      case "password":
        if (typeof request.username !== "string" || request.username.length === 0) throw requestError("the password grant needs a username");
        form.push(["grant_type", "password"], ["username", request.username], ["password", asSecret(request.password, "password")]);
        break;
      case "jwt_bearer":
        form.push(["grant_type", JWT_BEARER_GRANT], ["assertion", await this.#userAssertionFor(request.user, request.assertion)]);
        break;
      case "refresh_token":
        form.push(["grant_type", "refresh_token"], ["refresh_token", asSecret(request.refreshToken, "refreshToken")]);
        break;
    }
    if (resolved !== undefined) form.push(["scope", resolved.wire]);
    return this.#requestToken(form, {
      // The spec declares requestToken not retry-safe, as one operation serves every grant. Refined per
      // grant: client_credentials with a client secret only ever yields another token when repeated.
      // Everything else carries a single-use jti (assertions), a refresh token that may rotate, or a
      // user's password (repeated failures lock accounts): repeated only when provably not processed.
      retrySafe: OPERATIONS.requestToken.retrySafe || (grant === "client_credentials" && this.config.clientAuth !== "private_key_jwt"),
      requested: resolved,
      refreshTokenExpected: includeRefresh && grant !== "refresh_token",
      options,
    });
  }

  /**
   * Refreshes a token with its refresh token (the refresh_token grant). The new token keeps the old
   * refresh token when the domain does not rotate it (RFC 6749 section 6).
   */
  async refresh(token: Token, options: CallOptions = {}): Promise<Token> {
    if (token.refreshToken === undefined) {
      throw new TokenmintError("unsupported", "the token has no refresh token", { provider: PROVIDER, hint: "issue it with includeRefreshToken: true (the console's Include Refresh Token)" });
    }
    const form: Array<readonly [string, string | Secret]> = [
      ["grant_type", "refresh_token"],
      ["refresh_token", token.refreshToken],
    ];
    const requestedScopes = token.scopes.filter((s) => s.resource !== undefined);
    const resource = requestedScopes[0]?.resource;
    const fresh = await this.#requestToken(form, { retrySafe: OPERATIONS.requestToken.retrySafe, requested: { scopes: token.scopes, resource, wire: "" }, refreshTokenExpected: false, options });
    return fresh.refreshToken === undefined ? { ...fresh, refreshToken: token.refreshToken } : fresh;
  }

  /** Signs a user assertion for the jwt-bearer grant (sub = user, iss = client id). */
  async userAssertion(user: string, now?: number): Promise<Secret> {
    if (typeof user !== "string" || user.length === 0) throw requestError("the user assertion needs a user name");
    const signer = this.#requireSigner("the JWT assertion grant");
    return signer.sign({ iss: this.config.clientId, sub: user, aud: this.config.assertionAudience, lifetimeSec: this.config.assertionLifetimeSec }, now);
  }

  /** Fetches the domain's signing keys (cached for `jwksCacheMs`). */
  getSigningKeys(options: CallOptions & { forceRefresh?: boolean } = {}): Promise<JSONWebKeySet> {
    return this.#jwks.get(options, options.forceRefresh === true);
  }

  /** Fetches the domain's OpenID discovery document. */
  async discover(options: CallOptions = {}): Promise<OpenIdConfiguration> {
    const response = await this.#transport.send({ method: "GET", url: `${this.config.domainUrl}${DISCOVERY_PATH}`, headers: { accept: "application/json" } }, { ...options, retrySafe: OPERATIONS.getOpenIdConfiguration.retrySafe, operation: "getOpenIdConfiguration" });
    return parseOpenIdConfiguration(response.json(), { provider: PROVIDER, source: `response of GET ${DISCOVERY_PATH}` });
  }

  /**
   * Verifies an access token against the domain's JWKS: signature with an algorithm allowlist (RS256 by
   * default), issuer, audience, expiry; then decodes its claims and scopes.
   */
  async verify(token: Token | Secret | string, options: VerifyAccessTokenOptions = {}): Promise<VerifiedAccessToken> {
    const value = typeof token === "string" ? new Secret(token) : token instanceof Secret ? token : token.value;
    if (options.audience === undefined && options.skipAudienceCheck !== true) {
      throw new TokenmintError("configuration", "verify needs the expected audience", { provider: PROVIDER, hint: "pass audience (the resource server's audience), or skipAudienceCheck: true to inspect a token of unknown purpose" });
    }
    const verifyOnce = async (forceRefresh: boolean) => {
      const jwks = await this.#jwks.get(options, forceRefresh);
      return verifyJwt(value, {
        jwks,
        algorithms: options.algorithms ?? ["RS256"],
        issuer: options.issuer ?? this.config.issuer,
        audience: options.skipAudienceCheck === true ? undefined : options.audience,
        clockToleranceSec: options.clockToleranceSec,
        currentDate: options.currentDate,
        requiredClaims: ["exp"],
      });
    };
    let verified: Awaited<ReturnType<typeof verifyJwt>>;
    try {
      try {
        verified = await verifyOnce(false);
      } catch (error) {
        // An unknown kid after a key rollover: fetch the keys again, at most once a minute.
        if (error instanceof TokenmintError && error.providerCode === "ERR_JWKS_NO_MATCHING_KEY" && this.#jwks.age() > 60_000) verified = await verifyOnce(true);
        else throw error;
      }
    } catch (error) {
      if (error instanceof TokenmintError && error.provider === undefined) throw new TokenmintError(error.code, error.message, { provider: PROVIDER, providerCode: error.providerCode, retryable: error.retryable, cause: error });
      throw error;
    }
    const claims = verified.claims as IdcsAccessTokenClaims;
    // (An iat in the future is refused by core's verifyJwt.)
    if (options.requireAccessToken !== false && claims.tok_type !== undefined && claims.tok_type !== "AT") {
      throw new TokenmintError("invalid_token", `the token is not an access token (tok_type ${JSON.stringify(claims.tok_type)})`, { provider: PROVIDER });
    }
    const aud = claims.aud === undefined ? [] : typeof claims.aud === "string" ? [claims.aud] : [...claims.aud];
    const resource = typeof options.audience === "string" ? options.audience : undefined;
    return { header: verified.header as Readonly<Record<string, unknown>>, claims, scopes: grantedScopes(claims.scope, resource, aud) };
  }

  async #fetchJwks(options: CallOptions): Promise<JSONWebKeySet> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.config.jwksWithClientToken) {
      const token = await this.issue({ grant: "client_credentials", scope: { kind: "raw", scopes: this.config.jwksTokenScope } }, options);
      headers["authorization"] = `Bearer ${token.value.reveal()}`;
    }
    const response = await this.#transport.send({ method: "GET", url: `${this.config.domainUrl}${JWKS_PATH}`, headers }, { ...options, retrySafe: OPERATIONS.getSigningKeys.retrySafe, operation: "getSigningKeys" });
    const jwks = parseJwks(response.json(), { provider: PROVIDER, source: `response of GET ${JWKS_PATH}` });
    return jwks as unknown as JSONWebKeySet;
  }

  #requireSigner(what: string): AssertionSigner {
    if (this.#signer === undefined) {
      throw new TokenmintError("configuration", `${what} needs the application's private key`, { provider: PROVIDER, hint: "pass privateKey/privateKeyFile (IDCS_PRIVATE_KEY_FILE) and keyId or certificate" });
    }
    return this.#signer;
  }

  async #userAssertionFor(user: string | undefined, assertion: string | Secret | undefined): Promise<Secret> {
    if (assertion !== undefined) {
      if (user !== undefined) throw requestError("give either user (the library signs the assertion) or assertion, not both");
      return asSecret(assertion, "assertion");
    }
    if (user === undefined) throw requestError("the JWT assertion grant needs the user (the assertion's subject) or a signed assertion");
    return this.userAssertion(user);
  }

  #clientAuthentication(): ClientAuthentication {
    const c = this.config;
    if (c.clientAuth === "private_key_jwt") {
      return { method: "private_key_jwt", clientId: c.clientId, signer: this.#requireSigner("private_key_jwt"), audience: c.assertionAudience, lifetimeSec: c.assertionLifetimeSec };
    }
    // resolveConfig guarantees the secret for the secret methods.
    return { method: c.clientAuth, clientId: c.clientId, clientSecret: c.clientSecret! };
  }

  async #requestToken(
    grantFields: ReadonlyArray<readonly [string, string | Secret]>,
    context: { retrySafe: boolean; requested: ResolvedScopes | undefined; refreshTokenExpected: boolean; options: CallOptions },
  ): Promise<Token> {
    const auth = await clientAuthParts(this.#clientAuthentication(), PROVIDER);
    const headers: Record<string, string> = { "content-type": FORM_CONTENT_TYPE, accept: "application/json" };
    for (const [name, value] of Object.entries(auth.headers)) headers[name] = value.reveal();
    const body = encodeForm([...grantFields, ...auth.form]);
    const issuedAt = new Date();
    const response = await this.#transport.send({ method: "POST", url: this.tokenEndpoint, headers, body }, { signal: context.options.signal, deadline: context.options.deadline, retrySafe: context.retrySafe, operation: "requestToken" });
    const parsed = parseTokenResponse(response.json(), { provider: PROVIDER, source: `response of POST ${TOKEN_PATH}` });
    // Without expires_in the expiry is the JWT's exp, which a server clock behind (or a stale answer)
    // puts in the past: such a token is refused here, for every caller, not only by a TokenManager.
    return refuseExpiredOnArrival(tokenFromResponse(parsed, { issuedAt, requested: context.requested, requestId: response.requestId, refreshTokenExpected: context.refreshTokenExpected }));
  }
}

/** Builds a client: resolves the configuration and imports the signing key once. */
export async function createIdcsClient(options: IdcsOptions = {}, context: ConfigContext = {}): Promise<IdcsClient> {
  const config = resolveConfig(options, context);
  const signer =
    config.privateKey === undefined
      ? undefined
      : await createAssertionSigner({ privateKey: config.privateKey, algorithm: config.assertionAlgorithm, keyId: config.keyId, certificate: config.certificate, provider: PROVIDER });
  return new IdcsClient(config, signer);
}
