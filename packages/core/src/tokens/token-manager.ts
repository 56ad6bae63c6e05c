import { TokenmintError } from "../errors.js";
import type { Token } from "../generated/types.js";
import { silentLogger, type Logger } from "../logger.js";
import { EXPIRY_MARGIN_MS, refuseExpiredOnArrival } from "./expiry.js";
import { RejectedTokens, tokenDigest } from "./rejected-tokens.js";
import type { CallOptions, StoreEvent, TokenSource, TokenStore } from "./types.js";

export interface TokenManagerOptions {
  /** Second-level cache (file, Redis). The manager always keeps its own in-memory cache in front. */
  store?: TokenStore | undefined;
  /** Refresh this long before expiry (capped at half the token's lifetime). Default 5 minutes. */
  refreshWindowMs?: number | undefined;
  /** A token with less than this left is treated as expired and never served. Default 10 s ({@link EXPIRY_MARGIN_MS}). */
  expiryMarginMs?: number | undefined;
  /** After a failed refresh of a still-valid token, wait this long before trying again. Default 5 s. */
  refreshRetryMs?: number | undefined;
  /**
   * What callers get once a token is inside its refresh window. `background` (default): the token at
   * once, while one refresh runs behind it. `blocking`: they wait for the refresh, for processes too
   * short-lived to see a background refresh land (a CLI run). Either way, when the refresh fails the
   * still-valid token is served (with a warning) until it expires.
   */
  refreshMode?: "background" | "blocking" | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
  logger?: Logger | undefined;
}

export interface GetTokenOptions extends CallOptions {
  /** Ignore cached tokens and issue a new one (concurrent callers still share it). */
  forceRefresh?: boolean | undefined;
}

export interface WithTokenOptions extends GetTokenOptions {
  /**
   * Whether the resource server refused the token, given what the request returned or threw.
   * Default {@link isUnauthorized}: an HTTP status 401 on it (`status`, `statusCode` or `response.status`).
   */
  isRejected?: ((outcome: unknown) => boolean) | undefined;
  /** After a refusal, try once more with a new token. Default true. */
  retry?: boolean | undefined;
}

interface Entry {
  readonly token: Token;
  readonly digest: string;
  readonly promise: Promise<Token>;
  readonly refreshAt: number;
  readonly expiresAt: number;
  retryRefreshAt: number;
}

interface Flight {
  readonly promise: Promise<Token>;
  readonly generation: number;
  /** Whether it replaces the cached token (forced or proactive refresh) rather than loading a missing one. */
  readonly refresh: boolean;
}

const noop = () => {};

/** Thrown inside a load whose key was invalidated meanwhile: its flight starts over instead. */
class Superseded extends Error {}

/**
 * Hands out tokens from any provider with an in-memory cache, proactive refresh before expiry,
 * single-flight (concurrent callers of one key share one upstream call), and a pluggable store.
 *
 * Invalidation wins over refreshes already under way: each key has a generation, bumped by
 * {@link invalidate}; a load that started under an older generation is neither cached nor stored,
 * and its waiting callers are handed a token loaded after the invalidation. A token refused by a
 * resource server ({@link reject}, {@link withToken}) is never served again by this manager.
 * With a store that has `withLock` (the file store, Redis), processes sharing the store make one
 * upstream call per refresh: the lock holder calls the provider, the others read its result.
 */
/** Cached getToken() calls that may reuse one clock reading (see TokenManager#cachedNow). */
const CLOCK_REUSES = 16;

export class TokenManager {
  readonly #entries = new Map<string, Entry>();
  readonly #flights = new Map<string, Flight>();
  readonly #generations = new Map<string, number>();
  // Store deletions of invalidate() still under way: a load waits for them before it reads the store.
  readonly #pendingDeletes = new Map<string, Promise<void>>();
  // Tokens whose store write is under way, per key.
  readonly #writing = new Map<string, Set<Token>>();
  readonly #rejected: RejectedTokens;
  readonly #store: TokenStore | undefined;
  readonly #refreshWindowMs: number;
  readonly #expiryMarginMs: number;
  readonly #refreshRetryMs: number;
  readonly #blocking: boolean;
  readonly #now: () => number;
  // Reading the clock costs a quarter of a cached getToken(). With the real clock, a reading is reused
  // until a 1 ms timer marks it stale or 16 calls have used it (a loop of awaits never lets the timer
  // run), so it lags by well under the expiry margin; an injected clock is read every time.
  readonly #coarseClock: boolean;
  #clockReading = 0;
  #clockUses = 0;
  #clockTimerArmed = false;
  readonly #staleClock = () => {
    this.#clockTimerArmed = false;
    this.#clockUses = CLOCK_REUSES;
  };
  readonly #logger: Logger;
  readonly #unwatch: (() => void) | undefined;

  constructor(options: TokenManagerOptions = {}) {
    this.#store = options.store;
    this.#refreshWindowMs = options.refreshWindowMs ?? 5 * 60_000;
    this.#expiryMarginMs = options.expiryMarginMs ?? EXPIRY_MARGIN_MS;
    this.#refreshRetryMs = options.refreshRetryMs ?? 5_000;
    const mode = options.refreshMode ?? "background";
    if (mode !== "background" && mode !== "blocking") throw new TokenmintError("configuration", `refreshMode must be "background" or "blocking" (got ${JSON.stringify(mode)})`);
    this.#blocking = mode === "blocking";
    this.#now = options.now ?? Date.now;
    this.#coarseClock = options.now === undefined;
    this.#clockUses = CLOCK_REUSES;
    this.#logger = options.logger ?? silentLogger;
    this.#rejected = new RejectedTokens(this.#now);
    // Another process's invalidate()/reject() reaches this memory cache too, not only the store.
    this.#unwatch = this.#store?.watch?.((event) => this.#onPeerEvent(event));
  }

  /** Stops listening to the store's announcements (other processes' invalidations and refusals). */
  close(): void {
    this.#unwatch?.();
  }

  #onPeerEvent(event: StoreEvent): void {
    const digest = event.rejectedDigest;
    // Invalidated elsewhere (and deleted from the store there): drop it here as invalidate() would.
    if (digest === undefined) this.#forgetInMemory(event.key);
    else this.#retireDigest(digest, this.#dropDigest(digest).expiresAt);
  }

  /** invalidate()'s part in this process: a new generation, and the cached token never served again. */
  #forgetInMemory(key: string): void {
    this.#bump(key);
    const entry = this.#entries.get(key);
    if (entry !== undefined) this.#retire(entry.digest, entry.token);
    this.#entries.delete(key);
    this.#flights.delete(key);
  }

  /** Drops every cache entry holding the token of `digest`; returns the first key and the token's expiry. */
  #dropDigest(digest: string): { key?: string | undefined; expiresAt?: number | undefined } {
    const dropped: { key?: string | undefined; expiresAt?: number | undefined } = {};
    for (const [key, entry] of this.#entries) {
      if (entry.digest !== digest) continue;
      this.#entries.delete(key);
      dropped.key ??= key;
      dropped.expiresAt = entry.token.expiresAt?.getTime();
    }
    return dropped;
  }

  /** Returns a valid token for the source, from cache when possible. */
  getToken(source: TokenSource, options?: GetTokenOptions): Promise<Token> {
    const key = source.key;
    const force = options?.forceRefresh === true;
    const entry = this.#entries.get(key);
    if (entry !== undefined && !force) {
      const now = this.#cachedNow();
      if (now < entry.refreshAt) return entry.promise;
      if (now < entry.expiresAt) {
        // A refresh that just failed is not retried by every caller: serve the valid token meanwhile.
        if (now < entry.retryRefreshAt) return entry.promise;
        if (!this.#blocking) {
          if (!this.#flights.has(key)) this.#refreshInBackground(source, entry);
          return entry.promise;
        }
        return this.#waitFor(this.#flight(source, true), options?.signal, key);
      }
      this.#entries.delete(key);
    }
    return this.#waitFor(this.#flight(source, force), options?.signal, key);
  }

  #cachedNow(): number {
    if (!this.#coarseClock) return this.#now();
    if (this.#clockUses < CLOCK_REUSES) {
      this.#clockUses++;
      return this.#clockReading;
    }
    this.#clockReading = Date.now();
    this.#clockUses = 0;
    if (!this.#clockTimerArmed) {
      this.#clockTimerArmed = true;
      setTimeout(this.#staleClock, 1).unref();
    }
    return this.#clockReading;
  }

  /**
   * Forgets the cached token of a key, here and in the store. A refresh already under way will not
   * bring it back: its result is discarded and its callers get a token loaded afterwards.
   */
  async invalidate(key: string, options?: CallOptions): Promise<void> {
    // The tokens it forgets are never served again here, even if a store write of one of them that
    // was still under way lands after the deletion below (stores need not keep operations in order).
    for (const token of this.#writing.get(key) ?? []) this.#retire(tokenDigest(token), token);
    this.#forgetInMemory(key);
    if (this.#store === undefined) return;
    const deletion = this.#store.delete(key, options);
    const settled = deletion.then(noop, noop);
    this.#pendingDeletes.set(key, settled);
    void settled.then(() => {
      if (this.#pendingDeletes.get(key) === settled) this.#pendingDeletes.delete(key);
    });
    await deletion;
    await this.#announce({ key }, options);
  }

  async #announce(event: StoreEvent, options: CallOptions | undefined): Promise<void> {
    try {
      await this.#store?.announce?.(event, options);
    } catch (error) {
      this.#logger({ level: "warn", message: "could not tell the other processes sharing the token store", fields: { error: String(error) } });
    }
  }

  /**
   * Reports that a resource server refused `token` (e.g. answered 401): this manager never serves it
   * again, even before its expiry, and drops it from the cache and from the store (when the store
   * still holds it under that key), so the next getToken() gets another one. `key` is found from the
   * cache; give it when the token may no longer be cached here.
   */
  async reject(token: Token, options: CallOptions & { key?: string | undefined } = {}): Promise<void> {
    const digest = tokenDigest(token);
    this.#retire(digest, token);
    const dropped = this.#dropDigest(digest);
    const key = options.key ?? dropped.key;
    const store = this.#store;
    if (key === undefined || store === undefined) return;
    // Delete only what is still this token: another process may already have stored a good one.
    const stored = await this.#read(store, key);
    if (stored !== undefined && tokenDigest(stored) === digest) await store.delete(key, options);
    // Other processes may hold it in memory even when the store already has a newer token.
    await this.#announce({ key, rejectedDigest: digest }, options);
  }

  /**
   * Runs a request with a token of `source`. When the request reports the token refused (by default
   * an HTTP 401 on what it returned or threw), the token is {@link reject}ed and the request is tried
   * once more with a new one.
   *
   * @example
   * const res = await manager.withToken(source, (t, o) => fetch(url, { headers: { authorization: `Bearer ${t.value.reveal()}` }, signal: o.signal }));
   */
  async withToken<T>(source: TokenSource, use: (token: Token, options: CallOptions) => Promise<T>, options: WithTokenOptions = {}): Promise<T> {
    const isRejected = options.isRejected ?? isUnauthorized;
    const callOptions: CallOptions = { signal: options.signal, deadline: options.deadline };
    const attempts = options.retry === false ? 1 : 2;
    let token = await this.getToken(source, options);
    for (let attempt = 1; ; attempt++) {
      let result: T;
      try {
        result = await use(token, callOptions);
      } catch (error) {
        if (!isRejected(error)) throw error;
        await this.reject(token, { ...callOptions, key: source.key });
        if (attempt >= attempts) throw error;
        token = await this.getToken(source, callOptions);
        continue;
      }
      if (!isRejected(result)) return result;
      await this.reject(token, { ...callOptions, key: source.key });
      if (attempt >= attempts) return result;
      await discardBody(result);
      token = await this.getToken(source, callOptions);
    }
  }

  /** Drops every cached token of this manager (the store is left alone). */
  clear(): void {
    for (const key of this.#entries.keys()) this.#bump(key);
    for (const key of this.#flights.keys()) this.#bump(key);
    this.#entries.clear();
    this.#flights.clear();
  }

  #retire(digest: string, token: Token): void {
    this.#retireDigest(digest, token.expiresAt?.getTime());
  }

  /** Never serves the token of `digest` again (remembered until its expiry, or a day when unknown). */
  #retireDigest(digest: string, expiresAt: number | undefined): void {
    this.#rejected.add(digest, expiresAt ?? this.#now() + 24 * 3_600_000);
  }

  #bump(key: string): void {
    this.#generations.set(key, this.#generation(key) + 1);
  }

  #generation(key: string): number {
    return this.#generations.get(key) ?? 0;
  }

  #checkGeneration(key: string, generation: number): void {
    if (this.#generation(key) !== generation) throw new Superseded();
  }

  #refreshInBackground(source: TokenSource, entry: Entry): void {
    this.#flight(source, true).promise.catch((error: unknown) => {
      entry.retryRefreshAt = this.#now() + this.#refreshRetryMs;
      this.#warnRefreshFailed(error, entry.expiresAt, "background ");
    });
  }

  #flight(source: TokenSource, refresh: boolean): Flight {
    const key = source.key;
    const existing = this.#flights.get(key);
    // A refresh joins a refresh under way; a plain load joins anything under way. A forced refresh
    // arriving during a plain load runs beside it (never after it: that load may hand its callers
    // over to this flight, and waiting on each other would deadlock); a lock-taking store still
    // serialises the two and lets the second read the first one's token.
    if (existing !== undefined && (!refresh || existing.refresh)) return existing;
    const generation = this.#generation(key);
    const run = async (): Promise<Token> => {
      try {
        const token = await this.#load(source, refresh, generation);
        if (this.#generation(key) === generation && this.#usable(token)) return token;
      } catch (error) {
        if (!(error instanceof Superseded)) throw error;
      }
      // Invalidated or rejected while under way (or expired meanwhile, behind a slow store): discard
      // the result; the callers that waited on this flight get a token loaded after that (from the
      // cache, or joining a load already started).
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
      return this.getToken(source);
    };
    const flight: Flight = {
      generation,
      refresh,
      promise: run().finally(() => {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      }),
    };
    this.#flights.set(key, flight);
    return flight;
  }

  async #load(source: TokenSource, refresh: boolean, generation: number): Promise<Token> {
    const key = source.key;
    await this.#pendingDeletes.get(key);
    this.#checkGeneration(key, generation);
    // Tokens this load is meant to replace (a refresh), and a still-valid one to fall back on.
    const replacing = new Set<string>();
    const current = this.#entries.get(key);
    let fallback = current !== undefined && this.#usable(current.token) ? current.token : undefined;
    if (refresh && current !== undefined) replacing.add(current.digest);
    const store = this.#store;
    if (store === undefined) return this.#issueOrFallBack(source, generation, fallback);
    const stored = await this.#read(store, key);
    if (stored !== undefined) {
      if (!refresh && this.#servable(stored)) {
        this.#remember(key, stored, generation);
        return stored;
      }
      replacing.add(tokenDigest(stored));
      if (fallback === undefined && this.#usable(stored)) fallback = stored;
    }
    if (store.withLock === undefined) return this.#issueOrFallBack(source, generation, fallback);
    let locked = false;
    try {
      return await store.withLock(key, async () => {
        locked = true;
        this.#checkGeneration(key, generation); // invalidated while waiting for the lock
        // Read after lock: a process that held it before us may have stored what we came for.
        const again = await this.#read(store, key);
        if (again !== undefined && (refresh ? this.#fresh(again) && !replacing.has(tokenDigest(again)) : this.#servable(again))) {
          this.#remember(key, again, generation);
          return again;
        }
        if (again !== undefined && fallback === undefined && this.#usable(again)) fallback = again;
        return this.#issueOrFallBack(source, generation, fallback);
      });
    } catch (error) {
      if (locked) throw error;
      this.#logger({ level: "warn", message: "token store lock unavailable; asking the provider without it", fields: { error: String(error) } });
      return this.#issueOrFallBack(source, generation, fallback);
    }
  }

  async #issueOrFallBack(source: TokenSource, generation: number, fallback: Token | undefined): Promise<Token> {
    try {
      return await this.#issue(source, generation);
    } catch (error) {
      // Background refreshes report their own failure; a blocking one serves what is still valid.
      if (error instanceof Superseded || !this.#blocking || fallback === undefined || !this.#usable(fallback)) throw error;
      const entry = this.#remember(source.key, fallback, generation);
      if (entry !== undefined) entry.retryRefreshAt = this.#now() + this.#refreshRetryMs;
      this.#warnRefreshFailed(error, fallback.expiresAt?.getTime() ?? 0, "");
      return fallback;
    }
  }

  async #issue(source: TokenSource, generation: number): Promise<Token> {
    const key = source.key;
    this.#checkGeneration(key, generation); // no upstream call for a result that would be discarded
    // The upstream call is shared by every waiting caller, so no single caller's signal may cancel it.
    const token = await source.issue({});
    refuseExpiredOnArrival(token, { now: this.#now(), marginMs: this.#expiryMarginMs });
    if (this.#rejected.has(tokenDigest(token))) {
      throw new TokenmintError("invalid_token", "the provider issued again a token that a resource server has refused", { provider: token.provider });
    }
    if (this.#remember(key, token, generation) !== undefined && this.#store !== undefined) {
      const writing = this.#writing.get(key) ?? new Set<Token>();
      this.#writing.set(key, writing);
      writing.add(token);
      try {
        await this.#store.set(key, token);
      } catch (error) {
        this.#logger({ level: "warn", message: "token store write failed; the token stays cached in memory", fields: { error: String(error) } });
      } finally {
        writing.delete(token);
        if (writing.size === 0 && this.#writing.get(key) === writing) this.#writing.delete(key);
      }
    }
    return token;
  }

  async #read(store: TokenStore, key: string): Promise<Token | undefined> {
    return store.get(key).catch((error: unknown) => {
      this.#logger({ level: "warn", message: "token store read failed; asking the provider", fields: { error: String(error) } });
      return undefined;
    });
  }

  /** Caches a token unless the key was invalidated since the load started (or it was refused). */
  #remember(key: string, token: Token, generation: number): Entry | undefined {
    if (this.#generation(key) !== generation) return undefined;
    if (token.expiresAt === undefined) return undefined; // no known expiry: never serve it from cache
    const digest = tokenDigest(token);
    if (this.#rejected.has(digest)) return undefined;
    const { expiresAt, refreshAt } = this.#times(token);
    const entry: Entry = { token, digest, promise: Promise.resolve(token), refreshAt, expiresAt, retryRefreshAt: 0 };
    this.#entries.set(key, entry);
    return entry;
  }

  #times(token: Token): { expiresAt: number; refreshAt: number } {
    const expiresAt = (token.expiresAt?.getTime() ?? 0) - this.#expiryMarginMs;
    const issuedAt = token.issuedAt?.getTime() ?? this.#now();
    const window = Math.min(this.#refreshWindowMs, Math.max(0, (expiresAt - issuedAt) / 2));
    return { expiresAt, refreshAt: expiresAt - window };
  }

  /** Valid (outside the expiry margin) and not refused. */
  #usable(token: Token): boolean {
    return token.expiresAt !== undefined && token.expiresAt.getTime() - this.#expiryMarginMs > this.#now() && !this.#rejected.has(tokenDigest(token));
  }

  /** Usable and not yet due for refresh. */
  #fresh(token: Token): boolean {
    return this.#usable(token) && this.#now() < this.#times(token).refreshAt;
  }

  /** What a plain load may hand out: in blocking mode, only a token not yet due for refresh. */
  #servable(token: Token): boolean {
    return this.#blocking ? this.#fresh(token) : this.#usable(token);
  }

  #warnRefreshFailed(error: unknown, expiresAt: number, kind: "background " | ""): void {
    this.#logger({
      level: "warn",
      message: `${kind}token refresh failed; serving the cached token until it expires`,
      provider: error instanceof TokenmintError ? error.provider : undefined,
      fields: { code: error instanceof TokenmintError ? error.code : "unknown", expiresAt: new Date(expiresAt).toISOString() },
    });
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

/** Whether a request's result or error carries HTTP status 401 (`status`, `statusCode` or `response.status`). */
export function isUnauthorized(outcome: unknown): boolean {
  if (typeof outcome !== "object" || outcome === null) return false;
  const o = outcome as { status?: unknown; statusCode?: unknown; response?: unknown };
  if (o.status === 401 || o.statusCode === 401) return true;
  return typeof o.response === "object" && o.response !== null && (o.response as { status?: unknown }).status === 401;
}

/** Frees the connection of a refused fetch Response before retrying (anything else is left alone). */
async function discardBody(result: unknown): Promise<void> {
  const body = typeof result === "object" && result !== null ? (result as { body?: unknown }).body : undefined;
  if (typeof body === "object" && body !== null && typeof (body as { cancel?: unknown }).cancel === "function") {
    await (body as { cancel(): Promise<void> }).cancel().catch(noop);
  }
}

function abortError(_key: string, reason: unknown): TokenmintError {
  return new TokenmintError("aborted", "getToken() aborted by the caller", { cause: reason });
}
