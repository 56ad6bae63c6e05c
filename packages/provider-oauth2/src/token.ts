// A token response -> the canonical Token: type, expiry (from expires_in, else the JWT's exp), scopes
// with their resource, refresh token, RFC 8693's issued token type.
import { decodeJwtUnverified, numericDate, type Scope, type Secret, type Token, TokenmintError } from "@tokenmint/core";
import { PROVIDER_ID, type TokenResponse } from "./generated/index.js";
import { TOKEN_TYPES } from "./grants.js";

export interface ResponseContext {
  /** When the request was sent: expiry counts from here. */
  readonly issuedAt: Date;
  /** Scopes asked for: the granted ones when the answer names none (RFC 6749 section 5.1). */
  readonly requested: readonly string[];
  /** The one resource or audience asked for, recorded on the scopes; undefined for none or several. */
  readonly resource: string | undefined;
  /** Whether this was a token exchange (then token_type N_A is legal, RFC 8693 section 2.2.1). */
  readonly exchange: boolean;
  readonly requestId: string | undefined;
}

/** Claims of a JWT access token, read without verification (only to learn its expiry and id). */
export function peekClaims(token: Secret): Record<string, unknown> | undefined {
  try {
    return decodeJwtUnverified(token).claims as Record<string, unknown>;
  } catch {
    return undefined; // opaque tokens are normal
  }
}

/** Whether a token is an RFC 9068 JWT access token (`typ: at+jwt`), read without verification. */
function isRfc9068(token: Secret): boolean {
  try {
    const typ = String(decodeJwtUnverified(token).header.typ).toLowerCase();
    return typ === "at+jwt" || typ === "application/at+jwt";
  } catch {
    return false;
  }
}

export function toScopes(raw: readonly string[], resource: string | undefined): Scope[] {
  return raw.map((s) => (resource === undefined ? { raw: s, name: s } : { raw: s, resource, name: s }));
}

/** Maps a parsed token response to the canonical Token. */
export function tokenFromResponse(response: TokenResponse, context: ResponseContext): Token {
  const type = response.token_type;
  const issuedType = response.issued_token_type;
  const notAnAccessToken = context.exchange && issuedType !== undefined && issuedType !== TOKEN_TYPES.access_token;
  let tokenType: string;
  if (type.toLowerCase() === "bearer") tokenType = "Bearer";
  else if (type === "N_A" && notAnAccessToken) tokenType = "N_A";
  else {
    throw new TokenmintError("invalid_response", `the token endpoint returned token_type ${JSON.stringify(type)}; tokenmint presents Bearer tokens only`, {
      provider: PROVIDER_ID,
      requestId: context.requestId,
      hint: type.toLowerCase() === "dpop" ? "the server issued a DPoP-bound token, which needs proofs tokenmint does not send" : undefined,
    });
  }
  const claims = peekClaims(response.access_token);
  const exp = typeof claims?.["exp"] === "number" ? numericDate(claims["exp"], "the access token's exp claim", { provider: PROVIDER_ID, requestId: context.requestId }) : undefined;
  const expiresAt = response.expires_in !== undefined ? new Date(context.issuedAt.getTime() + Math.floor(response.expires_in * 1000)) : exp;
  // RFC 6749 section 5.1: no `scope` means "as requested". Some servers (oidc-provider) also omit it when
  // they granted none of it; a JWT access token's own scope claim settles that, and an RFC 9068 token
  // (typ at+jwt) without one carries no scope at all.
  const claimScope = typeof claims?.["scope"] === "string" ? claims["scope"] : isRfc9068(response.access_token) ? "" : undefined;
  const scopeText = response.scope ?? claimScope;
  const granted = scopeText === undefined ? context.requested : scopeText.split(" ").filter((s) => s !== "");
  const jti = claims?.["jti"];
  return {
    provider: PROVIDER_ID,
    value: response.access_token,
    tokenType,
    issuedAt: context.issuedAt,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    scopes: toScopes(granted, context.resource),
    ...(response.refresh_token === undefined ? {} : { refreshToken: response.refresh_token }),
    ...(typeof jti === "string" && jti !== "" ? { id: jti } : {}),
    ...(context.requestId === undefined ? {} : { requestId: context.requestId }),
    // Secret fields of the response stay wrapped (the generated parser made them Secrets).
    raw: { ...response },
  };
}
