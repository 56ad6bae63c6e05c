// Keeps a domain's JWKS for a while and fetches it once for concurrent callers. The JWKS is fetched
// through the client's transport (not jose's remote set) because the domain may require a client token.
import type { CallOptions } from "@tokenmint/core";
import type { JSONWebKeySet } from "jose";

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
