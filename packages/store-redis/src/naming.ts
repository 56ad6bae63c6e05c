// Redis key names. Nothing from the request or the configuration appears in clear: the manager's key
// (provider + configuration fingerprint + request fingerprint) is hashed again with SHA-256.
import { createHash } from "node:crypto";
import { TokenmintError } from "@tokenmint/core";

/** The Redis names of one cache entry. */
export interface EntryNames {
  /** Provider id, readable, so operators can see and clear one provider's entries (`SCAN MATCH`). */
  readonly provider: string;
  /** base64url SHA-256 of the manager's key; also the message published when the entry changes. */
  readonly id: string;
  /** Holds the sealed token, with a TTL that follows its expiry. */
  readonly token: string;
  /** The refresh lock. Shares the token's hash tag, so both live in one Cluster slot. */
  readonly lock: string;
}

export const DEFAULT_PREFIX = "tokenmint:";

export function checkPrefix(prefix: string): string {
  if (typeof prefix !== "string" || prefix.length > 128 || /[{}\s]/.test(prefix)) {
    throw new TokenmintError("configuration", "keyPrefix must be a string of at most 128 characters without braces or white space (braces would change the Redis Cluster hash tag)");
  }
  return prefix;
}

export function entryNames(prefix: string, key: string): EntryNames {
  const head = key.slice(0, key.indexOf(":"));
  const provider = /^[a-z0-9][a-z0-9._-]{0,63}$/i.test(head) ? head : "unknown";
  const id = createHash("sha256").update(key, "utf8").digest("base64url");
  const base = `${prefix}${provider}:{${id}}`;
  return { provider, id, token: `${base}:token`, lock: `${base}:lock` };
}

/** The pub/sub channel on which a released lock is announced (message: the entry id). */
export function releaseChannel(prefix: string): string {
  return `${prefix}released`;
}

/** The pub/sub channel on which invalidations and refusals are announced to the other processes. */
export function announceChannel(prefix: string): string {
  return `${prefix}invalidated`;
}
