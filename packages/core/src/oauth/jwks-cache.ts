// Keeps an authorization server's JWKS for a while and fetches it once for concurrent callers. The
// provider fetches it through its own transport (not jose's remote set): some servers require a client
// token for it, and the transport brings timeouts, retries and canonical errors.
import type { JSONWebKeySet } from "jose";
import type { CallOptions } from "../tokens/types.js";

export class JwksCache {
  readonly #fetch: (options: CallOptions) => Promise<JSONWebKeySet>;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #value: { readonly jwks: JSONWebKeySet; readonly fetchedAt: number } | undefined;
  #flight: Promise<JSONWebKeySet> | undefined;

  constructor(fetch: (options: CallOptions) => Promise<JSONWebKeySet>, ttlMs: number, now: () => number = Date.now) {
    this.#fetch = fetch;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** Milliseconds since the cached JWKS was fetched (Infinity when none). */
  age(): number {
    return this.#value === undefined ? Number.POSITIVE_INFINITY : this.#now() - this.#value.fetchedAt;
  }

  async get(options: CallOptions, forceRefresh = false): Promise<JSONWebKeySet> {
    if (!forceRefresh && this.#value !== undefined && this.age() < this.#ttlMs) return this.#value.jwks;
    this.#flight ??= this.#fetch(options)
      .then((jwks) => {
        this.#value = { jwks, fetchedAt: this.#now() };
        return jwks;
      })
      .finally(() => {
        this.#flight = undefined;
      });
    return this.#flight;
  }
}
