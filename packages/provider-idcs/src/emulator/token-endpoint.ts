// The emulated /oauth2/v1/token: RFC 6749 grants (client_credentials, password, refresh_token) and the
// RFC 7523 jwt-bearer grant, with client_secret_basic, client_secret_post and private_key_jwt client
// authentication, IDCS scopes and the one-resource-server rule, and RFC 6749 section 5.2 errors.
import { randomBytes, randomUUID } from "node:crypto";
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { type EmulatorDomain, type EmulatorApp, type EmulatorGrant, type EmulatorUser, IDCS_API_AUDIENCE } from "./domain.js";

export const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
export const IDCS_ISSUER = "https://identity.oraclecloud.com/";
const OFFLINE_ACCESS = "offline_access";
const MY_SCOPES = "urn:opc:idm:__myscopes__";

const GRANT_NAMES: Readonly<Record<string, EmulatorGrant>> = {
  client_credentials: "client_credentials",
  password: "password",
  [JWT_BEARER]: "jwt_bearer",
  refresh_token: "refresh_token",
};

/** An answer of the endpoint. */
export interface EndpointAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

export interface TokenEndpointSettings {
  readonly domain: EmulatorDomain;
  /** The domain URL the emulator serves (no trailing slash). */
  readonly domainUrl: string;
  readonly tenant: string;
  /** Default access token lifetime, seconds (3600, seed 003). */
  readonly accessTokenLifetimeSec: number;
  readonly refreshTokenLifetimeSec: number;
  /** Issue a new refresh token on each refresh and retire the old one. */
  readonly rotateRefreshTokens: boolean;
  /** Issue refresh tokens for client_credentials (RFC 6749 section 4.4.3 says SHOULD NOT; off by default). */
  readonly refreshTokenForClientCredentials: boolean;
  /** Seconds of clock skew tolerated on assertions. */
  readonly clockToleranceSec: number;
  /** Signs access tokens with the domain's key. */
  readonly signAccessToken: (claims: Record<string, unknown>) => Promise<string>;
}

/** What the endpoint saw of one request (no secrets). */
export interface TokenRequestLogEntry {
  readonly grantType: string | undefined;
  readonly clientAuth: string | undefined;
  readonly clientId: string | undefined;
  readonly scope: string | undefined;
  /** `issued` or the OAuth2 error code. */
  readonly outcome: string;
}

class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

const noStore = { "cache-control": "no-store", pragma: "no-cache" };

/** Audiences IDCS accepts in assertions: its issuer (with or without `/`), the domain URL, the token endpoint. */
function acceptedAudiences(domainUrl: string): Set<string> {
  return new Set([IDCS_ISSUER, IDCS_ISSUER.slice(0, -1), domainUrl, `${domainUrl}/`, `${domainUrl}/oauth2/v1/token`]);
}

interface ClientAuthResult {
  readonly app: EmulatorApp;
  readonly method: "client_secret_basic" | "client_secret_post" | "private_key_jwt";
}

function single(form: URLSearchParams, name: string): string | undefined {
  const values = form.getAll(name);
  if (values.length > 1) throw new OAuthError("invalid_request", `the parameter ${name} is repeated`);
  return values[0];
}

function decodeBasic(header: string): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  return { id: text.slice(0, colon), secret: text.slice(colon + 1) };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

export class TokenEndpoint {
  readonly #s: TokenEndpointSettings;
  /** Requests that reached the endpoint, by outcome: for tests that check nothing was sent. */
  readonly counts = { requests: 0, issued: 0, refused: 0 };
  /** The last requests (at most 100): grant, client authentication method and outcome, for tests. */
  readonly log: TokenRequestLogEntry[] = [];

  constructor(settings: TokenEndpointSettings) {
    this.#s = settings;
  }

  /** Handles one request; `now` is the request's clock (ms), which the kit's clock-skew fault shifts. */
  async handle(contentType: string | undefined, authorization: string | undefined, body: string, now: number): Promise<EndpointAnswer> {
    this.counts.requests++;
    const seen: { clientAuth?: string; clientId?: string } = {};
    const form = new URLSearchParams(body);
    const record = (outcome: string) => {
      if (this.log.length >= 100) this.log.shift();
      this.log.push({ grantType: form.get("grant_type") ?? undefined, clientAuth: seen.clientAuth, clientId: seen.clientId, scope: form.get("scope") ?? undefined, outcome });
    };
    try {
      const answer = await this.#handle(contentType, authorization, form, seen, now);
      this.counts.issued++;
      record("issued");
      return answer;
    } catch (error) {
      this.counts.refused++;
      if (!(error instanceof OAuthError)) throw error;
      record(error.error);
      return { status: error.status, headers: { ...noStore, ...error.headers }, body: { error: error.error, error_description: error.description } };
    }
  }

  async #handle(contentType: string | undefined, authorization: string | undefined, form: URLSearchParams, seen: { clientAuth?: string; clientId?: string }, now: number): Promise<EndpointAnswer> {
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType ?? "")) throw new OAuthError("invalid_request", "the request body must be application/x-www-form-urlencoded");
    const { app, method } = await this.#authenticateClient(form, authorization, now);
    seen.clientAuth = method;
    seen.clientId = app.clientId;
    const grantType = single(form, "grant_type");
    if (grantType === undefined || grantType === "") throw new OAuthError("invalid_request", "grant_type is required");
    const grant = GRANT_NAMES[grantType];
    if (grant === undefined) throw new OAuthError("unsupported_grant_type", `the grant type ${grantType} is not supported`);
    if (!app.grants.has(grant)) throw new OAuthError("unauthorized_client", `the client is not authorized for the ${grantType} grant`);

    if (grant === "refresh_token") return this.#refresh(app, form, now);
    let user: EmulatorUser | undefined;
    if (grant === "password") user = this.#passwordUser(form);
    if (grant === "jwt_bearer") user = await this.#assertionUser(app, form, now);
    const scope = this.#resolveScope(app, grant, single(form, "scope"));
    return this.#issue(app, user, scope.scopes, scope.resource, scope.offline, now);
  }

  async #authenticateClient(form: URLSearchParams, authorization: string | undefined, now: number): Promise<ClientAuthResult> {
    const assertion = single(form, "client_assertion");
    const assertionType = single(form, "client_assertion_type");
    const postSecret = single(form, "client_secret");
    const bodyClientId = single(form, "client_id");
    const methods = [authorization !== undefined, assertion !== undefined || assertionType !== undefined, postSecret !== undefined].filter(Boolean).length;
    if (methods > 1) throw new OAuthError("invalid_request", "more than one client authentication method was used");
    const basicFailure = () => new OAuthError("invalid_client", "Client authentication failed.", 401, { "www-authenticate": 'Basic realm="idcs"' });

    if (authorization !== undefined) {
      const creds = decodeBasic(authorization);
      if (creds === undefined) throw basicFailure();
      if (bodyClientId !== undefined && bodyClientId !== creds.id && bodyClientId !== formDecode(creds.id)) throw new OAuthError("invalid_request", "client_id does not match the Authorization header");
      // RFC 6749 section 2.3.1 form-encodes id and secret; curl -u (Oracle's examples) does not: accept both.
      const app = this.#s.domain.checkSecret(creds.id, creds.secret) ?? this.#s.domain.checkSecret(formDecode(creds.id), formDecode(creds.secret));
      if (app === undefined) throw basicFailure();
      return this.#active({ app, method: "client_secret_basic" });
    }
    if (postSecret !== undefined) {
      if (bodyClientId === undefined) throw new OAuthError("invalid_request", "client_id is required with client_secret");
      const app = this.#s.domain.checkSecret(bodyClientId, postSecret);
      if (app === undefined) throw new OAuthError("invalid_client", "Client authentication failed.", 401);
      return this.#active({ app, method: "client_secret_post" });
    }
    if (assertion !== undefined || assertionType !== undefined) {
      if (assertionType !== CLIENT_ASSERTION_TYPE) throw new OAuthError("invalid_client", `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`, 401);
      if (assertion === undefined) throw new OAuthError("invalid_client", "client_assertion is missing", 401);
      const { app, claims } = await this.#verifyAssertion(assertion, undefined, "invalid_client", 401, now);
      if (claims.sub !== app.clientId) throw new OAuthError("invalid_client", "the client assertion's sub must be the client id", 401);
      if (bodyClientId !== undefined && bodyClientId !== app.clientId) throw new OAuthError("invalid_client", "client_id does not match the client assertion", 401);
      return this.#active({ app, method: "private_key_jwt" });
    }
    throw new OAuthError("invalid_client", "Client authentication is required.", 401, { "www-authenticate": 'Basic realm="idcs"' });
  }

  #active(result: ClientAuthResult): ClientAuthResult {
    if (!result.app.active) throw new OAuthError("invalid_client", "The client is inactive.", 401);
    return result;
  }

  /**
   * Verifies a client or user assertion: the issuing app's imported certificate (found by the `iss`
   * claim, matched by `kid` = alias or `x5t`/`x5t#S256`), RS256, audience, expiry, and a fresh `jti`.
   */
  async #verifyAssertion(assertion: string, expectedApp: EmulatorApp | undefined, error: string, status: number, now: number): Promise<{ app: EmulatorApp; claims: JWTPayload }> {
    const fail = (description: string) => new OAuthError(error, description, status);
    let header: ReturnType<typeof decodeProtectedHeader>;
    let issuer: unknown;
    try {
      header = decodeProtectedHeader(assertion);
      issuer = JSON.parse(Buffer.from(assertion.split(".")[1] ?? "", "base64url").toString("utf8")).iss;
    } catch {
      throw fail("the assertion is not a JWT");
    }
    if (typeof issuer !== "string") throw fail("the assertion has no iss");
    const app = expectedApp ?? this.#s.domain.apps.get(issuer);
    if (app === undefined || app.clientId !== issuer) throw fail("the assertion's issuer is not a known client");
    const cert = app.certificate;
    if (cert === undefined) throw fail("the client has no imported certificate to verify assertions with");
    if (header.kid === undefined && header.x5t === undefined && header["x5t#S256"] === undefined) throw fail("the assertion header needs kid or x5t");
    const keyMatches = header.kid === cert.alias || header.x5t === cert.x5t || header["x5t#S256"] === cert.x5tS256;
    if (!keyMatches) throw fail("the assertion's kid/x5t does not match the client's certificate");
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(assertion, cert.publicKey, { algorithms: ["RS256"], clockTolerance: this.#s.clockToleranceSec, currentDate: new Date(now), requiredClaims: ["exp", "sub", "iss"] }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw fail("the assertion has expired");
      if (e instanceof joseErrors.JOSEAlgNotAllowed) throw fail("the assertion must be signed with RS256");
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) throw fail("the assertion signature is invalid");
      throw fail("the assertion is invalid");
    }
    const aud = claims.aud === undefined ? [] : typeof claims.aud === "string" ? [claims.aud] : claims.aud;
    const accepted = acceptedAudiences(this.#s.domainUrl);
    if (!aud.some((a) => accepted.has(a))) throw fail("the assertion's audience is not this identity domain");
    if (typeof claims.jti !== "string" || claims.jti.length === 0) throw fail("the assertion has no jti");
    if (!this.#s.domain.useJti(app.clientId, claims.jti, claims.exp ?? 0, Math.floor(now / 1000))) throw fail("the assertion was already used (jti replay)");
    return { app, claims };
  }

  #passwordUser(form: URLSearchParams): EmulatorUser {
    const username = single(form, "username");
    const password = single(form, "password");
    if (!username || password === undefined) throw new OAuthError("invalid_request", "username and password are required");
    const user = this.#s.domain.checkPassword(username, password);
    if (user === undefined) throw new OAuthError("invalid_grant", "The user credentials are invalid.");
    return user;
  }

  async #assertionUser(app: EmulatorApp, form: URLSearchParams, now: number): Promise<EmulatorUser> {
    const assertion = single(form, "assertion");
    if (!assertion) throw new OAuthError("invalid_request", "assertion is required");
    const { claims } = await this.#verifyAssertion(assertion, app, "invalid_grant", 400, now);
    const user = typeof claims.sub === "string" ? this.#s.domain.users.get(claims.sub) : undefined;
    if (user === undefined || !user.active) throw new OAuthError("invalid_grant", "the assertion's subject is not an active user");
    return user;
  }

  #resolveScope(app: EmulatorApp, grant: EmulatorGrant, scopeText: string | undefined): { scopes: string[]; resource: string; offline: boolean } {
    const requested = (scopeText ?? "").split(" ").filter((s) => s.length > 0);
    const offline = requested.includes(OFFLINE_ACCESS);
    const wanted = requested.filter((s) => s !== OFFLINE_ACCESS);
    if (wanted.length === 0) throw new OAuthError("invalid_scope", "a scope is required");
    const domain = this.#s.domain;
    const granted: string[] = [];
    const resources = new Map<string, string>();
    for (const scope of wanted) {
      if (scope.startsWith(IDCS_API_AUDIENCE)) {
        const held = domain.roleScopes(app);
        if (scope === MY_SCOPES) {
          if (held.size === 0) throw new OAuthError("invalid_scope", "the client has no app roles for the Identity Cloud Service APIs");
          granted.push(...held);
        } else if (held.has(scope)) granted.push(scope);
        else throw new OAuthError("invalid_scope", `the scope ${scope} is not granted to the client`);
        resources.set(IDCS_API_AUDIENCE, "Identity Cloud Service APIs");
        continue;
      }
      const server = domain.serverOfScope(scope);
      if (server === undefined || !server.scopes.includes(scope.slice(server.audience.length))) throw new OAuthError("invalid_scope", `the scope ${scope} is not defined`);
      if (!app.scopes.includes(scope)) throw new OAuthError("invalid_scope", `the scope ${scope} is not allowed for the client`);
      granted.push(scope);
      resources.set(server.audience, server.name);
    }
    if (resources.size > 1) {
      throw new OAuthError("invalid_scope", `the scopes are defined by more than one resource server (${[...resources.values()].join(", ")}); the token cannot be generated`);
    }
    const resource = [...resources.keys()][0]!;
    if (offline) {
      if (!app.grants.has("refresh_token")) throw new OAuthError("invalid_scope", "offline_access: the client is not allowed the refresh_token grant");
      if (grant === "client_credentials" && !this.#s.refreshTokenForClientCredentials) throw new OAuthError("invalid_scope", "offline_access: no refresh token is issued for the client_credentials grant");
      const allowed = resource === IDCS_API_AUDIENCE ? domain.idcsRefreshTokenAllowed : domain.resourceServers.get(resource)?.refreshTokenAllowed === true;
      if (!allowed) throw new OAuthError("invalid_scope", `offline_access: the resource server ${resources.get(resource)} does not allow refresh tokens`);
    }
    return { scopes: [...new Set(granted)], resource, offline };
  }

  async #refresh(app: EmulatorApp, form: URLSearchParams, now: number): Promise<EndpointAnswer> {
    const token = single(form, "refresh_token");
    if (!token) throw new OAuthError("invalid_request", "refresh_token is required");
    const grant = this.#s.domain.refreshTokens.get(token);
    if (grant === undefined || grant.clientId !== app.clientId) throw new OAuthError("invalid_grant", "The refresh token is invalid.");
    if (grant.expiresAt <= now) {
      this.#s.domain.refreshTokens.delete(token);
      throw new OAuthError("invalid_grant", "The refresh token has expired.");
    }
    const user = grant.username === undefined ? undefined : this.#s.domain.users.get(grant.username);
    if (grant.username !== undefined && (user === undefined || !user.active)) throw new OAuthError("invalid_grant", "The refresh token's user is not active.");
    // A narrower scope may be asked for (RFC 6749 section 6); never a wider one.
    const asked = (single(form, "scope") ?? "").split(" ").filter((s) => s.length > 0 && s !== OFFLINE_ACCESS);
    for (const s of asked) if (!grant.scopes.includes(s)) throw new OAuthError("invalid_scope", `the scope ${s} was not granted to the refresh token`);
    // With rotation the old token is retired and a new one issued; without, the client keeps the old one.
    const rotate = this.#s.rotateRefreshTokens;
    if (rotate) this.#s.domain.refreshTokens.delete(token);
    return this.#issue(app, user, asked.length > 0 ? asked : [...grant.scopes], grant.resource, rotate, now);
  }

  async #issue(app: EmulatorApp, user: EmulatorUser | undefined, scopes: string[], resource: string, withRefresh: boolean, now: number): Promise<EndpointAnswer> {
    const domain = this.#s.domain;
    const server = resource === IDCS_API_AUDIENCE ? undefined : domain.resourceServers.get(resource);
    const lifetime = server?.accessTokenLifetimeSec ?? this.#s.accessTokenLifetimeSec;
    const iat = Math.floor(now / 1000);
    // IDCS writes IDCS API scopes in full and other servers' scopes without their audience (which is in aud).
    const scopeClaim = scopes.map((s) => (server === undefined ? s : s.slice(server.audience.length))).join(" ");
    const aud = server === undefined ? [`${this.#s.domainUrl}`, `urn:opc:lbaas:logicalguid=${this.#s.tenant}`] : [server.audience];
    const claims: Record<string, unknown> = {
      sub: user?.username ?? app.clientId,
      sub_type: user === undefined ? "client" : "user",
      client_id: app.clientId,
      client_name: app.name,
      ...(user === undefined ? {} : { user_id: user.id }),
      scope: scopeClaim,
      aud,
      tok_type: "AT",
      tenant: this.#s.tenant,
      iss: IDCS_ISSUER,
      iat,
      exp: iat + lifetime,
      jti: randomUUID().replace(/-/g, ""),
    };
    const accessToken = await this.#s.signAccessToken(claims);
    const body: Record<string, unknown> = { access_token: accessToken, token_type: "Bearer", expires_in: lifetime };
    if (withRefresh) {
      const refreshToken = randomBytes(32).toString("base64url");
      domain.refreshTokens.set(refreshToken, { clientId: app.clientId, username: user?.username, scopes, resource, expiresAt: now + this.#s.refreshTokenLifetimeSec * 1000 });
      body["refresh_token"] = refreshToken;
    }
    return { status: 200, headers: { ...noStore }, body };
  }
}
