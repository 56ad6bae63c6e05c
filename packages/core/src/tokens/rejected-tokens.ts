import type { Token } from "../generated/types.js";
import { nodeCrypto } from "../builtins.js";

/** A stable, non-secret name for a token value: its SHA-256 (the value itself is never kept). */
export function tokenDigest(token: Token): string {
  return nodeCrypto().createHash("sha256").update(token.value.reveal()).digest("base64url");
}

const PRUNE_AT = 1_024;
const MAX_REMEMBERED = 10_000;

/**
 * Digests of tokens a resource server refused, each kept until the token would have expired anyway
 * (an expired token is never served, so the entry has nothing left to guard). Bounded: past 10,000
 * live entries the oldest are forgotten.
 */
export class RejectedTokens {
  readonly #until = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  add(digest: string, until: number): void {
    this.#until.delete(digest); // re-insert: Map order is the eviction order
    this.#until.set(digest, until);
    if (this.#until.size > PRUNE_AT) this.#prune();
  }

  has(digest: string): boolean {
    const until = this.#until.get(digest);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#until.delete(digest);
    return false;
  }

  get size(): number {
    return this.#until.size;
  }

  #prune(): void {
    const now = this.#now();
    for (const [digest, until] of this.#until) if (until <= now) this.#until.delete(digest);
    for (const digest of this.#until.keys()) {
      if (this.#until.size <= MAX_REMEMBERED) break;
      this.#until.delete(digest);
    }
  }
}
