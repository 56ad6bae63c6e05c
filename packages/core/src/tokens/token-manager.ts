import { TokenmintError } from "../errors.js";
import type { Token } from "../generated/types.js";
import { silentLogger, type Logger } from "../logger.js";
import type { CallOptions, TokenSource, TokenStore } from "./types.js";

export interface TokenManagerOptions {
  /** Second-level cache (file, Redis). The manager always keeps its own in-memory cache in front. */
  store?: TokenStore | undefined;
  /** Refresh this long before expiry (capped at half the token's lifetime). Default 5 minutes. */
  refreshWindowMs?: number | undefined;
  /** A token with less than this left is treated as expired and never served. Default 10 s. */
  expiryMarginMs?: number | undefined;
  /** After a failed background refresh, wait this long before trying again. Default 5 s. */
  refreshRetryMs?: number | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
  logger?: Logger | undefined;
}

export interface GetTokenOptions extends CallOptions {
  /** Ignore cached tokens and issue a new one (concurrent callers still share it). */
  forceRefresh?: boolean | undefined;
}

interface Entry {
  readonly token: Token;
  readonly promise: Promise<Token>;
  readonly refreshAt: number;
  readonly expiresAt: number;
  retryRefreshAt: number;
}

interface Flight {
  readonly promise: Promise<Token>;
  readonly generation: number;
}

/**
 * Hands out tokens from any provider with an in-memory cache, proactive refresh before expiry,
 * single-flight (concurrent callers of one key share one upstream call), and a pluggable store.
 * A failed background refresh keeps serving the still-valid token; an expired token is never served.
 */
export class TokenManager {
  readonly #entries = new Map<string, Entry>();
  readonly #flights = new Map<string, Flight>();
  // Bumped by invalidate(): a refresh that started under an older generation is not cached.
  readonly #generations = new Map<string, number>();
  readonly #store: TokenStore | undefined;
  readonly #refreshWindowMs: number;
  readonly #expiryMarginMs: number;
  readonly #refreshRetryMs: number;
  readonly #now: () => number;
  readonly #logger: Logger;

  constructor(options: TokenManagerOptions = {}) {
    this.#store = options.store;
    this.#refreshWindowMs = options.refreshWindowMs ?? 5 * 60_000;
    this.#expiryMarginMs = options.expiryMarginMs ?? 10_000;
    this.#refreshRetryMs = options.refreshRetryMs ?? 5_000;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Returns a valid token for the source, from cache when possible. */
  getToken(source: TokenSource, options?: GetTokenOptions): Promise<Token> {
    const key = source.key;
    const entry = this.#entries.get(key);
    if (entry !== undefined && options?.forceRefresh !== true) {
      const now = this.#now();
      if (now < entry.refreshAt) return entry.promise;
      if (now < entry.expiresAt) {
        if (now >= entry.retryRefreshAt && !this.#flights.has(key)) this.#refreshInBackground(source, entry);
        return entry.promise;
      }
      this.#entries.delete(key);
    }
    return this.#waitFor(this.#flight(source, options?.forceRefresh === true), options?.signal, source.key);
  }

  /** Forgets the cached token of a key; a refresh already under way will not bring it back. */
  async invalidate(key: string, options?: CallOptions): Promise<void> {
    this.#generations.set(key, (this.#generations.get(key) ?? 0) + 1);
    this.#entries.delete(key);
    this.#flights.delete(key);
    await this.#store?.delete(key, options);
  }

  /** Drops every cached token of this manager (the store is left alone). */
  clear(): void {
    for (const key of this.#entries.keys()) this.#generations.set(key, (this.#generations.get(key) ?? 0) + 1);
    for (const key of this.#flights.keys()) this.#generations.set(key, (this.#generations.get(key) ?? 0) + 1);
    this.#entries.clear();
    this.#flights.clear();
  }

  #refreshInBackground(source: TokenSource, entry: Entry): void {
    this.#flight(source, true).promise.catch((error: unknown) => {
      entry.retryRefreshAt = this.#now() + this.#refreshRetryMs;
      this.#logger({
        level: "warn",
        message: "background token refresh failed; serving the cached token until it expires",
        provider: error instanceof TokenmintError ? error.provider : undefined,
        fields: { code: error instanceof TokenmintError ? error.code : "unknown", expiresAt: new Date(entry.expiresAt).toISOString() },
      });
    });
  }

  #flight(source: TokenSource, skipStore: boolean): Flight {
    const key = source.key;
    const existing = this.#flights.get(key);
    if (existing !== undefined) return existing;
    const generation = this.#generations.get(key) ?? 0;
    const promise = this.#load(source, skipStore, generation).finally(() => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    });
    const flight: Flight = { promise, generation };
    this.#flights.set(key, flight);
    return flight;
  }

  async #load(source: TokenSource, skipStore: boolean, generation: number): Promise<Token> {
    const key = source.key;
    if (this.#store !== undefined && !skipStore) {
      const stored = await this.#store.get(key).catch((error: unknown) => {
        this.#logger({ level: "warn", message: "token store read failed; asking the provider", fields: { error: String(error) } });
        return undefined;
      });
      if (stored !== undefined && this.#usable(stored)) {
        this.#remember(key, stored, generation);
        return stored;
      }
    }
    // The upstream call is shared by every waiting caller, so no single caller's signal may cancel it.
    const token = await source.issue({});
    if (token.expiresAt !== undefined && token.expiresAt.getTime() - this.#expiryMarginMs <= this.#now()) {
      throw new TokenmintError("invalid_response", "the provider issued a token that is already expired (is the local or the server clock off?)", { provider: token.provider });
    }
    if (this.#remember(key, token, generation) && this.#store !== undefined) {
      await this.#store.set(key, token).catch((error: unknown) => {
        this.#logger({ level: "warn", message: "token store write failed; the token stays cached in memory", fields: { error: String(error) } });
      });
    }
    return token;
  }

  /** Caches a token unless the key was invalidated since the load started. */
  #remember(key: string, token: Token, generation: number): boolean {
    if ((this.#generations.get(key) ?? 0) !== generation) return false;
    if (token.expiresAt === undefined) return false; // no known expiry: never serve it from cache
    const expiresAt = token.expiresAt.getTime() - this.#expiryMarginMs;
    const issuedAt = token.issuedAt?.getTime() ?? this.#now();
    const window = Math.min(this.#refreshWindowMs, Math.max(0, (expiresAt - issuedAt) / 2));
    this.#entries.set(key, { token, promise: Promise.resolve(token), refreshAt: expiresAt - window, expiresAt, retryRefreshAt: 0 });
    return true;
  }

  #usable(token: Token): boolean {
    return token.expiresAt !== undefined && token.expiresAt.getTime() - this.#expiryMarginMs > this.#now();
  }

  #waitFor(flight: Flight, signal: AbortSignal | undefined, key: string): Promise<Token> {
    if (signal === undefined) return flight.promise;
    if (signal.aborted) return Promise.reject(abortError(key, signal.reason));
    return new Promise<Token>((resolve, reject) => {
      const onAbort = () => reject(abortError(key, signal.reason));
      signal.addEventListener("abort", onAbort, { once: true });
      flight.promise.then(
        (t) => {
          signal.removeEventListener("abort", onAbort);
          resolve(t);
        },
        (e: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(e);
        },
      );
    });
  }
}

function abortError(_key: string, reason: unknown): TokenmintError {
  return new TokenmintError("aborted", "getToken() aborted by the caller", { cause: reason });
}
