// The one check of a token's expiry on arrival, shared by every provider's issue path and the
// TokenManager: a token that is already expired when it arrives is refused, never handed out.
import { TokenmintError } from "../errors.js";
import type { Token } from "../generated/types.js";

/**
 * The TokenManager's default `expiryMarginMs`: a token with less than this left is never served from
 * its cache, and one that arrives with less is refused. 10 s. (A provider's issue path refuses only a
 * token already expired, margin 0, so that a manager configured with a smaller margin still gets
 * short-lived tokens.)
 */
export const EXPIRY_MARGIN_MS = 10_000;

export interface ExpiryCheckOptions {
  /** The clock, in ms since the epoch. Default Date.now(). */
  readonly now?: number | undefined;
  /** Less than this left counts as expired too. Default 0: refused when the expiry is not after now. */
  readonly marginMs?: number | undefined;
}

/**
 * The `invalid_response` error for a token whose expiry is not after now (plus `marginMs`, when given):
 * undefined when the token is usable or has no known expiry. The error says when the token expires and
 * what the local clock reads (never the token), with `details.expiresAt` and `details.checkedAt`
 * (RFC 3339), `details.expiredOnArrival: true` and the token's `id` when it has one, so a provider can
 * report a server-side token the caller did not get.
 */
export function expiredOnArrival(token: Token, options: ExpiryCheckOptions = {}): TokenmintError | undefined {
  const expiresAt = token.expiresAt?.getTime();
  if (expiresAt === undefined || Number.isNaN(expiresAt)) return undefined;
  const now = options.now ?? Date.now();
  const marginMs = options.marginMs ?? 0;
  if (expiresAt - marginMs > now) return undefined;
  const left = expiresAt - now;
  const when =
    left <= 0
      ? `already expired (it expires at ${new Date(expiresAt).toISOString()}; this machine's clock reads ${new Date(now).toISOString()}, ${seconds(-left)} later)`
      : `about to expire (${seconds(left)} left, less than the ${seconds(marginMs)} margin)`;
  return new TokenmintError("invalid_response", `the provider issued a token that is ${when}`, {
    provider: token.provider,
    requestId: token.requestId,
    hint: "is the local or the provider's clock off? Check this machine's time (NTP) and issue again; a server clock skewed into the past makes tokens that expire before they arrive",
    details: { expiredOnArrival: true, expiresAt: new Date(expiresAt).toISOString(), checkedAt: new Date(now).toISOString(), ...(token.id === undefined ? {} : { tokenId: token.id }) },
  });
}

/** Returns the token when it is usable on arrival; throws {@link expiredOnArrival}'s error otherwise. */
export function refuseExpiredOnArrival(token: Token, options: ExpiryCheckOptions = {}): Token {
  const error = expiredOnArrival(token, options);
  if (error !== undefined) throw error;
  return token;
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s >= 10 ? `${Math.round(s)} s` : `${Number(s.toFixed(1))} s`;
}

/** The latest time a JavaScript Date holds, in ms since the epoch (ECMA-262 21.4.1.1). */
const MAX_DATE_MS = 8.64e15;

/**
 * An RFC 7519 NumericDate (seconds since the epoch, e.g. a JWT's `exp`) as a Date, or `invalid_response`
 * naming `what` (e.g. "the token's exp claim") when it is not a finite number a Date can hold: such a
 * value would otherwise become an Invalid Date that every later comparison silently gets wrong.
 */
export function numericDate(seconds: number, what: string, options: { provider?: string | undefined; requestId?: string | undefined } = {}): Date {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) throw new TokenmintError("invalid_response", `${what} is not a time a date can hold`, { provider: options.provider, requestId: options.requestId });
  return new Date(ms);
}
