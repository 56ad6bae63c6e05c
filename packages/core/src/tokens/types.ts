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
}
