// Maps IDCS answers (token responses, tokens.tok files) to the canonical Token.
import { decodeJwtUnverified, numericDate, type Scope, type Secret, type Token, TokenmintError } from "@tokenmint/core";
import type { TokenResponse } from "./generated/index.js";
import { grantedScopes, IDCS_API_RESOURCE, OFFLINE_ACCESS } from "./scopes.js";

const PROVIDER = "idcs";

/** Claims of an IDCS access token (reference notes part A). Other claims are kept as they are. */
export interface IdcsAccessTokenClaims {
  readonly sub?: string;
  readonly client_id?: string;
  readonly client_name?: string;
  readonly scope?: string;
  readonly aud?: string | readonly string[];
  /** `AT` for access tokens. */
  readonly tok_type?: string;
  readonly user_id?: string;
  readonly tenant?: string;
  readonly iss?: string;
  readonly exp?: number;
  readonly iat?: number;
  readonly jti?: string;
  readonly [claim: string]: unknown;
}

/** Claims of a JWT access token read without verification, or undefined for an opaque token. */
export function peekClaims(token: Secret): IdcsAccessTokenClaims | undefined {
  try {
    return decodeJwtUnverified(token).claims as IdcsAccessTokenClaims;
  } catch {
    return undefined;
  }
}

function audiences(claims: IdcsAccessTokenClaims | undefined): string[] {
  const aud = claims?.aud;
  return aud === undefined ? [] : typeof aud === "string" ? [aud] : [...aud];
}

/**
 * The resource server of a token when the request does not tell (a tokens.tok file): IDCS API tokens
 * carry `urn:opc:idm:` scopes; other tokens name their resource server in `aud`, next to the domain's
 * own audiences (`urn:opc:lbaas:...`, the domain URL), which are skipped.
 */
function resourceFromClaims(claims: IdcsAccessTokenClaims | undefined): string | undefined {
  const scope = claims?.scope?.split(/\s+/).filter((s) => s && s !== OFFLINE_ACCESS) ?? [];
  if (scope.length > 0 && scope.every((s) => s.startsWith(IDCS_API_RESOURCE))) return IDCS_API_RESOURCE;
  const candidates = audiences(claims).filter((a) => !a.startsWith("urn:opc:lbaas:") && !/\.identity\.oraclecloud\.com\/?$/.test(a));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** A claim's NumericDate; an absent or non-numeric claim is no date, an impossible one an error. */
function date(seconds: unknown, claim: string, requestId?: string): Date | undefined {
  return typeof seconds === "number" ? numericDate(seconds, `the access token's ${claim} claim`, { provider: PROVIDER, requestId }) : undefined;
}

export interface ResponseContext {
  /** When the request was sent (expires_in counts from the answer; sending time errs on the safe side). */
  readonly issuedAt: Date;
  /** Scopes asked for, and their resource server. */
  readonly requested: { readonly scopes: readonly Scope[]; readonly resource: string | undefined } | undefined;
  readonly requestId: string | undefined;
  /** Whether offline_access was asked for: then a missing refresh token is an error. */
  readonly refreshTokenExpected: boolean;
}

/** Maps a parsed token response to the canonical Token. */
export function tokenFromResponse(response: TokenResponse, context: ResponseContext): Token {
  if (response.token_type.toLowerCase() !== "bearer") {
    throw new TokenmintError("invalid_response", `the token endpoint returned token_type ${JSON.stringify(response.token_type)}, expected Bearer`, { provider: PROVIDER, requestId: context.requestId });
  }
  if (context.refreshTokenExpected && response.refresh_token === undefined) {
    throw new TokenmintError("unsupported", "a refresh token was asked for (offline_access) but the identity domain issued none", {
      provider: PROVIDER,
      requestId: context.requestId,
      hint: "enable the Refresh Token grant in the application and allow refresh tokens on the resource server, or do not include a refresh token",
    });
  }
  const claims = peekClaims(response.access_token);
  const expiresAt = response.expires_in !== undefined ? new Date(context.issuedAt.getTime() + response.expires_in * 1000) : date(claims?.exp, "exp", context.requestId);
  const resource = context.requested?.resource ?? resourceFromClaims(claims);
  const scopeText = response.scope ?? claims?.scope;
  let scopes: Scope[] = scopeText === undefined ? [...(context.requested?.scopes ?? [])] : grantedScopes(scopeText, resource, audiences(claims));
  // IDCS does not repeat offline_access in the token's scope: record it when a refresh token came back.
  if (response.refresh_token !== undefined && !scopes.some((s) => s.raw === OFFLINE_ACCESS)) scopes = [...scopes, { raw: OFFLINE_ACCESS, name: OFFLINE_ACCESS }];
  return {
    provider: PROVIDER,
    value: response.access_token,
    tokenType: "Bearer",
    issuedAt: context.issuedAt,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    scopes,
    ...(response.refresh_token === undefined ? {} : { refreshToken: response.refresh_token }),
    ...(typeof claims?.jti === "string" ? { id: claims.jti } : {}),
    ...(context.requestId === undefined ? {} : { requestId: context.requestId }),
    raw: { ...response },
  };
}

/**
 * A canonical Token from an access token alone (a console tokens.tok): expiry, issue time, scopes and id
 * come from its claims, read without verification.
 */
export function tokenFromAccessToken(accessToken: Secret, refreshToken: Secret | undefined, options: { source?: string } = {}): Token {
  const claims = peekClaims(accessToken);
  if (claims === undefined) {
    throw new TokenmintError("invalid_token", `${options.source ? `${options.source}: ` : ""}the access token is not a JWT`, { provider: PROVIDER });
  }
  const resource = resourceFromClaims(claims);
  const scopes = grantedScopes(claims.scope, resource, audiences(claims));
  if (refreshToken !== undefined && !scopes.some((s) => s.raw === OFFLINE_ACCESS)) scopes.push({ raw: OFFLINE_ACCESS, name: OFFLINE_ACCESS });
  const issuedAt = date(claims.iat, "iat");
  const expiresAt = date(claims.exp, "exp");
  return {
    provider: PROVIDER,
    value: accessToken,
    tokenType: "Bearer",
    ...(issuedAt === undefined ? {} : { issuedAt }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    scopes,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(typeof claims.jti === "string" ? { id: claims.jti } : {}),
    raw: { app_access_token: accessToken, ...(refreshToken === undefined ? {} : { app_refresh_token: refreshToken }) },
  };
}
