// The emulator's token endpoint: client_credentials, password, refresh_token (rotation with replay
// detection) and RFC 8693 token exchange; RFC 8707 resource indicators and `audience`; JWT access tokens
// (RFC 9068) signed with the server's key; RFC 6749 error bodies.
import { randomUUID } from "node:crypto";
import { verifyJwt } from "@tokenmint/core";
import type { TokenSigner } from "@tokenmint/core/emulator";
import type { Directory, EmulatorClient, EmulatorUser, IssuedAccessToken } from "./directory.js";
import { OAuthError } from "./oauth-error.js";

export const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
export const JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";

/** What the endpoints share: the directory, the signing key, the issuer and the lifetimes. */
export interface ServerContext {
  readonly directory: Directory;
  readonly signer: TokenSigner;
  issuer: string;
  readonly defaultResource: string;
  readonly accessTokenLifetimeSec: number;
  readonly refreshTokenLifetimeSec: number;
  readonly rotateRefreshTokens: boolean;
}

export interface TokenAnswer {
  readonly body: Record<string, unknown>;
}

function single(form: URLSearchParams, name: string): string | undefined {
  const all = form.getAll(name);
  if (all.length > 1) throw new OAuthError(400, "invalid_request", `${name} must not be repeated`);
  return all[0];
}

function requireParam(form: URLSearchParams, name: string): string {
  const value = single(form, name);
  if (value === undefined || value === "") throw new OAuthError(400, "invalid_request", `${name} is missing`);
  return value;
}

function scopesOf(form: URLSearchParams): string[] | undefined {
  const text = single(form, "scope");
  return text === undefined ? undefined : text.split(" ").filter((s) => s !== "");
}

/** RFC 8707 resources and `audience` values: known to the server and allowed for the client, else invalid_target. */
function targetsOf(form: URLSearchParams, client: EmulatorClient): string[] {
  const targets = [...form.getAll("resource"), ...form.getAll("audience")];
  for (const t of form.getAll("resource")) {
    let url: URL | undefined;
    try {
      url = new URL(t);
    } catch {
      url = undefined;
    }
    if (url === undefined || url.hash !== "") throw new OAuthError(400, "invalid_target", "resource must be an absolute URI without a fragment");
  }
  for (const t of targets) if (!client.resources.has(t)) throw new OAuthError(400, "invalid_target", `${t} is not a resource this client may ask tokens for`);
  return [...new Set(targets)];
}

function checkScopes(asked: readonly string[], allowed: ReadonlySet<string> | readonly string[]): void {
  const set = new Set(allowed);
  const bad = asked.find((s) => !set.has(s));
  if (bad !== undefined) throw new OAuthError(400, "invalid_scope", `the scope ${bad} is not allowed`);
}

export class TokenEndpoint {
  readonly #s: ServerContext;

  constructor(context: ServerContext) {
    this.#s = context;
  }

  /** Handles one authenticated token request. */
  async handle(client: EmulatorClient, form: URLSearchParams, nowMs: number): Promise<TokenAnswer> {
    const grant = requireParam(form, "grant_type");
    const known = ["client_credentials", "password", "refresh_token", TOKEN_EXCHANGE];
    if (!known.includes(grant)) throw new OAuthError(400, "unsupported_grant_type", `grant_type ${grant} is not supported`);
    if (!client.grants.has(grant)) throw new OAuthError(400, "unauthorized_client", `the client may not use the ${grant} grant`);
    switch (grant) {
      case "client_credentials":
        return this.#clientCredentials(client, form, nowMs);
      case "password":
        return this.#password(client, form, nowMs);
      case "refresh_token":
        return this.#refresh(client, form, nowMs);
      default:
        return this.#exchange(client, form, nowMs);
    }
  }

  async #clientCredentials(client: EmulatorClient, form: URLSearchParams, nowMs: number): Promise<TokenAnswer> {
    const asked = scopesOf(form);
    if (asked !== undefined) checkScopes(asked, client.scopes);
    const aud = targetsOf(form, client);
    // RFC 6749 section 4.4.3: no refresh token for client credentials.
    return this.#answer(await this.#mint(client, undefined, asked ?? [...client.scopes], aud, nowMs), undefined);
  }

  async #password(client: EmulatorClient, form: URLSearchParams, nowMs: number): Promise<TokenAnswer> {
    const user = this.#s.directory.checkPassword(requireParam(form, "username"), requireParam(form, "password"));
    if (user === undefined) throw new OAuthError(400, "invalid_grant", "invalid resource owner credentials");
    const asked = scopesOf(form);
    if (asked !== undefined) checkScopes(asked, client.scopes);
    const scope = asked ?? [...client.scopes];
    const aud = targetsOf(form, client);
    const family = randomUUID();
    const access = await this.#mint(client, user, scope, aud, nowMs, family);
    const refresh = client.grants.has("refresh_token") ? this.#newRefresh(client, user.username, scope, aud, family, nowMs) : undefined;
    return this.#answer(access, refresh);
  }

  async #refresh(client: EmulatorClient, form: URLSearchParams, nowMs: number): Promise<TokenAnswer> {
    const value = requireParam(form, "refresh_token");
    const directory = this.#s.directory;
    const grant = directory.refreshTokens.get(value);
    if (grant === undefined || grant.clientId !== client.clientId) throw new OAuthError(400, "invalid_grant", "refresh token not found");
    if (grant.used) {
      // A rotated refresh token presented again: stolen or replayed. End the whole grant (OAuth 2.0
      // Security BCP, refresh token rotation).
      directory.revokeFamily(grant.family);
      throw new OAuthError(400, "invalid_grant", "refresh token already used");
    }
    if (!grant.active) throw new OAuthError(400, "invalid_grant", "refresh token revoked");
    if (grant.exp * 1000 <= nowMs) throw new OAuthError(400, "invalid_grant", "refresh token expired");
    const user = directory.users.get(grant.username);
    if (user === undefined) throw new OAuthError(400, "invalid_grant", "the refresh token's user no longer exists");
    // A narrower scope may be asked for (RFC 6749 section 6); never a wider one.
    const asked = scopesOf(form);
    if (asked !== undefined) checkScopes(asked, grant.scope);
    const access = await this.#mint(client, user, asked ?? [...grant.scope], [...grant.aud], nowMs, grant.family);
    let refresh: string | undefined;
    if (this.#s.rotateRefreshTokens) {
      grant.used = true;
      refresh = this.#newRefresh(client, user.username, grant.scope, grant.aud, grant.family, nowMs);
    }
    return this.#answer(access, refresh);
  }

  async #exchange(client: EmulatorClient, form: URLSearchParams, nowMs: number): Promise<TokenAnswer> {
    const subject = await this.#inspectSubject(requireParam(form, "subject_token"), requireParam(form, "subject_token_type"), "subject", nowMs);
    let actor: IssuedAccessToken | undefined;
    const actorToken = single(form, "actor_token");
    if (actorToken !== undefined) actor = await this.#inspectSubject(actorToken, requireParam(form, "actor_token_type"), "actor", nowMs);
    else if (form.has("actor_token_type")) throw new OAuthError(400, "invalid_request", "actor_token_type without actor_token");
    const requested = single(form, "requested_token_type") ?? ACCESS_TOKEN_TYPE;
    if (requested !== ACCESS_TOKEN_TYPE && requested !== JWT_TOKEN_TYPE) throw new OAuthError(400, "invalid_request", `requested_token_type ${requested} is not supported`);
    const aud = targetsOf(form, client);
    // Never more than the subject token carried.
    const asked = scopesOf(form);
    if (asked !== undefined) checkScopes(asked, subject.scope);
    const user = subject.username === undefined ? undefined : this.#s.directory.users.get(subject.username);
    const access = await this.#mint(client, user, asked ?? [...subject.scope], aud, nowMs, undefined, { sub: subject.sub, ...(actor === undefined ? {} : { act: { sub: actor.sub } }) });
    return { body: { ...this.#answer(access, undefined).body, issued_token_type: requested } };
  }

  /** A subject or actor token must be an access token this server issued, still active. */
  async #inspectSubject(token: string, type: string, role: string, nowMs: number): Promise<IssuedAccessToken> {
    if (type !== ACCESS_TOKEN_TYPE && type !== JWT_TOKEN_TYPE) throw new OAuthError(400, "invalid_request", `${role}_token_type ${type} is not supported (access_token or jwt)`);
    const issued = await this.introspectAccessToken(token, nowMs);
    if (issued === undefined) throw new OAuthError(400, "invalid_grant", `the ${role} token is invalid, expired or revoked`);
    return issued;
  }

  /** The issued access token this value is, when it verifies and is still active. */
  async introspectAccessToken(token: string, nowMs: number): Promise<IssuedAccessToken | undefined> {
    try {
      const { claims } = await verifyJwt(token, { jwks: this.#s.signer.jwks(), algorithms: [this.#s.signer.alg], issuer: this.#s.issuer, currentDate: new Date(nowMs), clockToleranceSec: 0, requiredClaims: ["exp", "jti"] });
      const issued = this.#s.directory.accessTokens.get(String(claims.jti));
      return issued?.active === true ? issued : undefined;
    } catch {
      return undefined;
    }
  }

  #newRefresh(client: EmulatorClient, username: string, scope: readonly string[], aud: readonly string[], family: string, nowMs: number): string {
    return this.#s.directory.newRefreshToken({ clientId: client.clientId, username, scope: [...scope], aud: [...aud], exp: Math.floor(nowMs / 1000) + this.#s.refreshTokenLifetimeSec, family });
  }

  /** Signs an RFC 9068 JWT access token and records it. */
  async #mint(client: EmulatorClient, user: EmulatorUser | undefined, scope: readonly string[], aud: readonly string[], nowMs: number, family?: string, extra: Record<string, unknown> = {}): Promise<{ token: string; issued: IssuedAccessToken }> {
    const iat = Math.floor(nowMs / 1000);
    const audience = aud.length > 0 ? [...aud] : [this.#s.defaultResource];
    const issued: IssuedAccessToken = {
      jti: randomUUID(),
      clientId: client.clientId,
      sub: typeof extra["sub"] === "string" ? extra["sub"] : (user?.username ?? client.clientId),
      username: user?.username,
      scope: [...scope],
      aud: audience,
      iat,
      exp: iat + this.#s.accessTokenLifetimeSec,
      family,
      active: true,
    };
    const claims = { ...extra, iss: this.#s.issuer, sub: issued.sub, aud: audience.length === 1 ? audience[0] : audience, client_id: client.clientId, scope: scope.join(" "), iat, exp: issued.exp, jti: issued.jti };
    const token = await this.#s.signer.sign(claims, { typ: "at+jwt" });
    this.#s.directory.accessTokens.set(issued.jti, issued);
    return { token, issued };
  }

  #answer(access: { token: string; issued: IssuedAccessToken }, refresh: string | undefined): TokenAnswer {
    return {
      body: {
        access_token: access.token,
        token_type: "Bearer",
        expires_in: access.issued.exp - access.issued.iat,
        scope: access.issued.scope.join(" "),
        ...(refresh === undefined ? {} : { refresh_token: refresh }),
      },
    };
  }
}
