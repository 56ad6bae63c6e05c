// jose is loaded on first verification only: it is most of core's import time, and decoding needs none of it.
import type { JSONWebKeySet, JWTPayload, JWTVerifyGetKey, ProtectedHeaderParameters } from "jose";
import { TokenmintError } from "./errors.js";
import { Secret } from "./secret.js";

/** A JWT's header and claims, read without verifying anything. */
export interface DecodedJwt {
  readonly header: ProtectedHeaderParameters;
  readonly claims: JWTPayload;
}

/**
 * Decodes a JWT without verifying its signature: for display and for reading `exp`/`iat` of a token
 * the provider just handed us over TLS. Never use the result for an authorisation decision.
 */
export function decodeJwtUnverified(token: string | Secret): DecodedJwt {
  const value = token instanceof Secret ? token.reveal() : token;
  const parts = value.split(".");
  const header = parts.length === 3 ? decodePart(parts[0]!) : undefined;
  const claims = parts.length === 3 ? decodePart(parts[1]!) : undefined;
  if (header === undefined || claims === undefined || typeof header["alg"] !== "string") {
    throw new TokenmintError("invalid_token", "not a JWT (expected three base64url parts with JSON header and claims)");
  }
  return { header: header as ProtectedHeaderParameters, claims: claims as JWTPayload };
}

function decodePart(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Where verification keys come from: a JWKS URL (fetched and cached), a JWKS document, or a jose key getter. */
export type JwksSource = string | URL | JSONWebKeySet | JWTVerifyGetKey;

export interface VerifyJwtOptions {
  jwks: JwksSource;
  /** Accepted algorithms. Required: there is no default that is safe for every issuer. */
  algorithms: readonly string[];
  issuer?: string | readonly string[] | undefined;
  audience?: string | readonly string[] | undefined;
  /** Seconds of clock difference tolerated on exp/nbf/iat. Default 30. */
  clockToleranceSec?: number | undefined;
  /** Claims that must be present. */
  requiredClaims?: readonly string[] | undefined;
  /** Current time, for tests. */
  currentDate?: Date | undefined;
  /** Timeout of a JWKS fetch, ms. Default 5000. */
  jwksTimeoutMs?: number | undefined;
}

export interface VerifiedJwt extends DecodedJwt {}

/** Turns a JWKS source into a key getter once, so a remote JWKS is fetched once and cached. */
export function createJwks(source: JwksSource, options: { timeoutMs?: number } = {}): JWTVerifyGetKey {
  if (typeof source === "function") return source;
  if (typeof source === "string" || source instanceof URL) {
    let url: URL;
    try {
      url = new URL(source);
    } catch {
      throw new TokenmintError("configuration", "jwks must be an http(s) URL, a JWKS document, or a key getter");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new TokenmintError("configuration", `jwks URL must be http(s), got ${url.protocol}`);
    return lazyGetter(async () => (await import("jose")).createRemoteJWKSet(url, { timeoutDuration: options.timeoutMs ?? 5000 }));
  }
  if (!Array.isArray((source as JSONWebKeySet).keys)) throw new TokenmintError("configuration", "jwks document has no \"keys\" array");
  const document = source as JSONWebKeySet;
  return lazyGetter(async () => (await import("jose")).createLocalJWKSet(document));
}

/** A key getter that builds the real (jose) getter on first use and reuses it, so a remote JWKS stays cached. */
function lazyGetter(build: () => Promise<JWTVerifyGetKey>): JWTVerifyGetKey {
  let getter: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    getter ??= build();
    return (await getter)(header, token);
  };
}

/**
 * Verifies a JWT: signature against the JWKS with an algorithm allowlist, then issuer, audience and
 * time claims (exp, nbf, and an iat not in the future) with a clock tolerance. Every failure is a TokenmintError `invalid_token` naming the
 * reason (never the token).
 */
export async function verifyJwt(token: string | Secret, options: VerifyJwtOptions): Promise<VerifiedJwt> {
  if (options.algorithms.length === 0) throw new TokenmintError("configuration", "verifyJwt needs a non-empty algorithms allowlist");
  if (options.algorithms.some((a) => a.toLowerCase() === "none")) throw new TokenmintError("configuration", "the \"none\" algorithm cannot be allowed");
  const value = token instanceof Secret ? token.reveal() : token;
  const keys = createJwks(options.jwks, { timeoutMs: options.jwksTimeoutMs ?? 5000 });
  const jose = await import("jose");
  try {
    const result = await jose.jwtVerify(value, keys, {
      algorithms: [...options.algorithms],
      issuer: options.issuer === undefined ? undefined : typeof options.issuer === "string" ? options.issuer : [...options.issuer],
      audience: options.audience === undefined ? undefined : typeof options.audience === "string" ? options.audience : [...options.audience],
      clockTolerance: options.clockToleranceSec ?? 30,
      requiredClaims: options.requiredClaims ? [...options.requiredClaims] : undefined,
      currentDate: options.currentDate,
    });
    // jose checks iat only with maxTokenAge; a token "issued" in the future means one of the clocks is
    // off, which would also make expiry checks wrong: say so (as PyJWT's ImmatureSignatureError does).
    const iat = result.payload.iat;
    const nowSec = Math.floor((options.currentDate?.getTime() ?? Date.now()) / 1000);
    if (typeof iat === "number" && iat > nowSec + (options.clockToleranceSec ?? 30)) {
      throw new TokenmintError("invalid_token", `the token's iat is ${Math.round(iat - nowSec)} s in the future: the issuer's clock or this machine's is off`, { providerCode: "ERR_JWT_IAT_IN_FUTURE" });
    }
    return { header: result.protectedHeader, claims: result.payload };
  } catch (error) {
    throw verificationError(error, jose.errors);
  }
}

function verificationError(error: unknown, joseErrors: typeof import("jose").errors): TokenmintError {
  if (error instanceof TokenmintError) return error;
  if (error instanceof joseErrors.JWTExpired) return new TokenmintError("invalid_token", "token expired (exp is in the past)", { providerCode: error.code });
  if (error instanceof joseErrors.JWTClaimValidationFailed) return new TokenmintError("invalid_token", `claim "${error.claim}" check failed: ${error.reason}`, { providerCode: error.code });
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new TokenmintError("invalid_token", "token algorithm is not in the allowlist", { providerCode: error.code });
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new TokenmintError("invalid_token", "signature verification failed", { providerCode: error.code });
  if (error instanceof joseErrors.JWKSNoMatchingKey) return new TokenmintError("invalid_token", "no key in the JWKS matches the token's kid/alg", { providerCode: error.code });
  if (error instanceof joseErrors.JWKSTimeout) return new TokenmintError("timeout", "fetching the JWKS timed out", { providerCode: error.code });
  if (error instanceof joseErrors.JWKSInvalid || error instanceof joseErrors.JWKSMultipleMatchingKeys) return new TokenmintError("invalid_response", `JWKS problem: ${error.message}`, { providerCode: error.code });
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return new TokenmintError("invalid_token", `malformed token: ${error.message}`, { providerCode: error.code });
  if (error instanceof joseErrors.JOSENotSupported) return new TokenmintError("invalid_token", `unsupported token: ${error.message}`, { providerCode: error.code });
  if (error instanceof joseErrors.JOSEError) return new TokenmintError("invalid_token", `verification failed (${error.code})`, { providerCode: error.code });
  return new TokenmintError("network", "could not fetch the JWKS", { cause: error });
}
