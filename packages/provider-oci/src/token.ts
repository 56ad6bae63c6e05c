// A GenerateScopedAccessToken answer -> the canonical Token. Expiry and issue time come from the JWT's
// claims (oci-cli reads `exp` the same way to print "db-token is valid until ...").
import type { KeyObject } from "node:crypto";
import { decodeJwtUnverified, nodeCrypto, numericDate, type Scope, type Secret, type Token, TokenmintError } from "@tokenmint/core";
import { parseScopedAccessTokenClaims, type ScopedAccessTokenClaims } from "./generated/index.js";
import { DB_SCOPE_PREFIX, DB_SCOPE_RESOURCE } from "./scopes.js";

const PROVIDER = "oci";

export interface TokenParts {
  /** The JWT from the response body. */
  readonly jwt: Secret;
  /** The scope asked for. */
  readonly requestedScope: string;
  /** The public key sent, to check the token is bound to it. */
  readonly publicKey: KeyObject;
  /** The generated private key, when the library made the pair. */
  readonly privateKey?: Secret | undefined;
  readonly requestId?: string | undefined;
  /** The response body as parsed (secret fields wrapped). */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A granted scope in canonical form, without refusing spellings our grammar does not know. */
function grantedScope(raw: string): Scope {
  return raw.startsWith(DB_SCOPE_PREFIX) ? { raw, resource: DB_SCOPE_RESOURCE, name: raw.slice(DB_SCOPE_PREFIX.length) } : { raw, name: raw };
}

/** Reads the claims of a scoped access token without verifying it (it came over TLS from the service). */
export function readTokenClaims(jwt: Secret | string): ScopedAccessTokenClaims {
  let claims: unknown;
  try {
    claims = decodeJwtUnverified(jwt).claims;
  } catch {
    throw new TokenmintError("invalid_response", "the token in the response is not a JWT", { provider: PROVIDER });
  }
  return parseScopedAccessTokenClaims(claims, { provider: PROVIDER, source: "claims of the scoped access token" });
}

/**
 * When the token carries the public key as a `jwk` claim, it must be the key we sent: a token bound to
 * another key is useless to the database client holding our private key.
 */
function checkBinding(claims: ScopedAccessTokenClaims, publicKey: KeyObject, requestId: string | undefined): void {
  const jwk = claims.jwk as Record<string, unknown> | undefined;
  if (jwk === undefined || jwk["kty"] !== "RSA" || typeof jwk["n"] !== "string" || typeof jwk["e"] !== "string") return;
  const ours = publicKey.export({ format: "jwk" });
  let theirs: KeyObject;
  try {
    theirs = nodeCrypto().createPublicKey({ key: { kty: "RSA", n: jwk["n"], e: jwk["e"] }, format: "jwk" });
  } catch {
    throw new TokenmintError("invalid_response", "the token's jwk claim is not a valid RSA key", { provider: PROVIDER, requestId });
  }
  const exported = theirs.export({ format: "jwk" });
  if (exported.n !== ours.n || exported.e !== ours.e) {
    throw new TokenmintError("invalid_response", "the token is bound to a different public key than the one sent", { provider: PROVIDER, requestId });
  }
}

/** Builds the canonical token. */
export function tokenFromResponse(parts: TokenParts): Token {
  const claims = readTokenClaims(parts.jwt);
  checkBinding(claims, parts.publicKey, parts.requestId);
  const where = { provider: PROVIDER, requestId: parts.requestId };
  const expiresAt = numericDate(claims.exp, "the token's exp claim", where);
  const issuedAt = claims.iat === undefined ? undefined : numericDate(claims.iat, "the token's iat claim", where);
  const scope = typeof claims.scope === "string" && claims.scope.length > 0 ? claims.scope : parts.requestedScope;
  const token: Token = {
    provider: PROVIDER,
    value: parts.jwt,
    tokenType: "Bearer",
    expiresAt,
    scopes: [grantedScope(scope)],
    raw: { ...parts.raw },
  };
  if (issuedAt !== undefined && !Number.isNaN(issuedAt.getTime())) token.issuedAt = issuedAt;
  if (parts.privateKey !== undefined) token.privateKey = parts.privateKey;
  if (parts.requestId !== undefined) token.requestId = parts.requestId;
  if (typeof claims["jti"] === "string" && claims["jti"].length > 0) token.id = claims["jti"];
  return token;
}
