import { describe, expect, it } from "vitest";
import { isTokenmintError, Secret, type Token, type TokenSource } from "../src/index.js";
import { TokenManager } from "../src/tokens/index.js";

describe("TokenManager with the real clock", () => {
  // The cached clock reading must never let an expired token out, even in a loop of awaits that
  // never yields to timers (the reading is then renewed every few calls).
  it("stops serving a token once it expires, also inside a tight await loop", async () => {
    let n = 0;
    const source: TokenSource = {
      key: "clock",
      async issue(): Promise<Token> {
        n++;
        const now = Date.now();
        return { provider: "t", value: new Secret(`token-${n}`), tokenType: "Bearer", issuedAt: new Date(now), expiresAt: new Date(now + 40), scopes: [], raw: {} };
      },
    };
    const manager = new TokenManager({ expiryMarginMs: 0, refreshWindowMs: 0 });
    let first: Token | undefined;
    for (let attempt = 0; first === undefined && attempt < 50; attempt++) first = await manager.getToken(source).catch(() => undefined);
    if (first === undefined) throw new Error("no 40 ms token arrived unexpired in 50 attempts");
    const expiresAt = first.expiresAt!.getTime();
    let servedExpired = 0;
    while (Date.now() < expiresAt + 200) {
      const spinUntil = Date.now() + 1;
      while (Date.now() < spinUntil) {
        // busy: no timer can run during this loop
      }
      const before = Date.now();
      // On a loaded machine a 40 ms token can arrive expired: refusing it is right, not a failure.
      const token = await manager.getToken(source).catch((error: unknown) => {
        if (isTokenmintError(error, "invalid_response")) return undefined;
        throw error;
      });
      if (token === undefined) continue;
      // Allow the documented lag: at most 16 reuses of a reading, each at most ~1 ms of spinning apart.
      if (token.value.reveal() === "token-1" && before > expiresAt + 40) servedExpired++;
    }
    expect(servedExpired).toBe(0);
    expect(n).toBeGreaterThan(1);
  });
});
