import type { Token } from "../generated/types.js";

/** Options every async tokenmint API takes. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** Absolute time (epoch ms) by which the operation, retries included, must end. */
  deadline?: number | undefined;
}

/** Something the token manager can get a token from: one provider client + one request. */
export interface TokenSource {
  /** Cache key: provider + configuration + request. Never a secret in clear (hash it). */
  readonly key: string;
  issue(options: CallOptions): Promise<Token>;
}

/**
 * What a token manager tells the other processes sharing its store: the token of `key` was
 * invalidated, or one token was refused by a resource server.
 */
export interface StoreEvent {
  readonly key: string;
  /** Set for a refusal (TokenManager.reject): the refused token's SHA-256 digest, never the token. */
  readonly rejectedDigest?: string | undefined;
}

/** A second-level token cache shared beyond one manager (a file, Redis, ...). */
export interface TokenStore {
  get(key: string, options?: CallOptions): Promise<Token | undefined>;
  set(key: string, token: Token, options?: CallOptions): Promise<void>;
  delete(key: string, options?: CallOptions): Promise<void>;
  /**
   * Optional: runs `refresh` while holding this store's lock for `key`, a lock every process using the
   * store respects (a lock file, a Redis key, ...), so that only one of them calls the provider per
   * refresh. The token manager calls it after a miss and, inside `refresh`, reads the store again: a
   * process that waited finds the token the holder stored. The lock must expire (a holder that dies
   * must not block the others for longer than that) and be released only by its owner. Rejects with
   * `timeout` when the lock cannot be had in time; errors thrown by `refresh` pass through unchanged.
   */
  withLock?<T>(key: string, refresh: () => Promise<T>, options?: CallOptions): Promise<T>;
  /**
   * Optional, with {@link watch}: passes an invalidation or a refusal on to the other processes using
   * the store, so that none of them keeps serving the token from its memory until its own 401. Best
   * effort: a store that cannot reach its peers logs and resolves.
   */
  announce?(event: StoreEvent, options?: CallOptions): Promise<void>;
  /**
   * Optional: calls `listener` with the announcements of other processes (never this store's own)
   * about keys this store has been used with. Returns the function that stops listening.
   */
  watch?(listener: (event: StoreEvent) => void): () => void;
}
