// The refresh lock: SET NX PX with a random fencing value; renewed while its holder works; released
// (and announced) only by its owner, in Lua so that check and delete are one step.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { RedisClient } from "./client.js";

/** Deletes the lock if it still holds our value, then announces the release (the entry id) to waiters. */
const RELEASE = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('del', KEYS[1])
  redis.call('publish', ARGV[2], ARGV[3])
  return 1
end
return 0`;

/** Extends the lock if it still holds our value. */
const RENEW = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0`;

/**
 * Writes the entry only while the lock still holds our value: a holder whose lock expired during a slow
 * provider call (and was taken over) must not overwrite the newer holder's token with its older one.
 * The lock and the entry share a hash tag, so this runs on one Cluster node.
 */
const FENCED_SET = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

/**
 * A lock value names its holder for operators (`GET` shows which process refreshes) and carries 128
 * random bits, so no other holder, not even a restarted process with the same pid, can release it.
 */
export function fencingValue(): string {
  return `${process.pid}@${hostname()}:${randomBytes(16).toString("hex")}`;
}

export async function tryAcquire(client: RedisClient, lockKey: string, fence: string, ttlMs: number): Promise<boolean> {
  return (await client.set(lockKey, fence, "PX", ttlMs, "NX")) === "OK";
}

export async function renew(client: RedisClient, lockKey: string, fence: string, ttlMs: number): Promise<boolean> {
  return Number(await client.eval(RENEW, 1, lockKey, fence, ttlMs)) === 1;
}

export async function release(client: RedisClient, lockKey: string, fence: string, channel: string, id: string): Promise<boolean> {
  return Number(await client.eval(RELEASE, 1, lockKey, fence, channel, id)) === 1;
}

/** Sets `entryKey` to `value` (with a TTL) if `lockKey` still holds `fence`; false when the lock was lost. */
export async function fencedSet(client: RedisClient, lockKey: string, entryKey: string, fence: string, value: Buffer | string, ttlMs: number): Promise<boolean> {
  return Number(await client.eval(FENCED_SET, 2, lockKey, entryKey, fence, value, ttlMs)) === 1;
}
