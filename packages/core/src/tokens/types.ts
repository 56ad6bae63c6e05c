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
}
