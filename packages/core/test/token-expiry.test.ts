import { describe, expect, it } from "vitest";
import { EXPIRY_MARGIN_MS, expiredOnArrival, numericDate, refuseExpiredOnArrival, Secret, type Token, TokenmintError } from "../src/index.js";
import { TokenManager } from "../src/tokens/index.js";

const NOW = Date.UTC(2030, 0, 1);
const VALUE = "eyJ.secret-token-value.sig";

function token(expiresAt: number | undefined, extra: Partial<Token> = {}): Token {
  return { provider: "test", value: new Secret(VALUE), tokenType: "Bearer", ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt) }), scopes: [], raw: {}, ...extra };
}

describe("expiredOnArrival / refuseExpiredOnArrival", () => {
  it("passes a token whose expiry is after now, and one without a known expiry", () => {
    expect(expiredOnArrival(token(NOW + 1), { now: NOW })).toBeUndefined();
    expect(expiredOnArrival(token(undefined), { now: NOW })).toBeUndefined();
    const t = token(NOW + 3_600_000);
    expect(refuseExpiredOnArrival(t, { now: NOW })).toBe(t);
  });

  it("refuses an expired token with a typed invalid_response that names the times, never the value", () => {
    const error = expiredOnArrival(token(NOW - 3_600_000, { id: "tok-1", requestId: "req-1" }), { now: NOW });
    expect(error).toBeInstanceOf(TokenmintError);
    expect(error).toMatchObject({ code: "invalid_response", provider: "test", requestId: "req-1", retryable: false });
    expect(error!.message).toMatch(/already expired \(it expires at .*; this machine's clock reads .*, 3600 s later\)/);
    expect(error!.hint).toMatch(/clock/);
    expect(error!.details).toEqual({ expiredOnArrival: true, expiresAt: new Date(NOW - 3_600_000).toISOString(), checkedAt: new Date(NOW).toISOString(), tokenId: "tok-1" });
    expect(JSON.stringify(error)).not.toContain(VALUE);
    // An expiry equal to now is not after it.
    expect(() => refuseExpiredOnArrival(token(NOW), { now: NOW })).toThrow(/already expired/);
  });

  it("with a margin (the TokenManager's), a token with less than it left is refused too", () => {
    expect(expiredOnArrival(token(NOW + EXPIRY_MARGIN_MS), { now: NOW, marginMs: EXPIRY_MARGIN_MS })?.message).toMatch(/about to expire \(10 s left, less than the 10 s margin\)/);
    expect(expiredOnArrival(token(NOW + 5_000), { now: NOW, marginMs: 1_000 })).toBeUndefined();
    expect(expiredOnArrival(token(NOW + 500), { now: NOW, marginMs: 1_000 })?.code).toBe("invalid_response");
    expect(expiredOnArrival(token(NOW + 500), { now: NOW })).toBeUndefined();
  });

  it("is the check the TokenManager applies, with its own margin and clock", async () => {
    const manager = new TokenManager({ now: () => NOW, expiryMarginMs: 1_000 });
    await expect(manager.getToken({ key: "a", issue: async () => token(NOW - 1) })).rejects.toMatchObject({ code: "invalid_response", details: { expiredOnArrival: true } });
    await expect(manager.getToken({ key: "b", issue: async () => token(NOW + 2_000) })).resolves.toMatchObject({ provider: "test" });
  });
});

describe("numericDate", () => {
  it("turns RFC 7519 NumericDates into Dates, fractions included", () => {
    expect(numericDate(1_893_456_000, "exp").toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(numericDate(1.5, "iat").getTime()).toBe(1500);
    expect(numericDate(8.64e12, "exp").getTime()).toBe(8.64e15);
  });

  it("refuses what no Date can hold with invalid_response naming the claim, not an Invalid Date", () => {
    for (const bad of [8.64e12 + 1, -8.64e12 - 1, 1e300, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(() => numericDate(bad, "the token's exp claim", { provider: "p", requestId: "r-1" })).toThrow(expect.objectContaining({ code: "invalid_response", provider: "p", requestId: "r-1", message: "the token's exp claim is not a time a date can hold" }));
    }
  });
});
