import { randomBytes } from "node:crypto";
import { Cluster } from "ioredis";
import { type CallOptions, type Logger, scrubText, silentLogger, type StoreEvent, type Token, TokenmintError, type TokenStore } from "@tokenmint/core";
import { duplicateClient, type OwnedClient, openClient, type RedisClient, type RedisConnection } from "./client.js";
import { openToken, sealToken } from "./codec.js";
import { type EncryptionKey, type EncryptionKeyInput, encryptionKey } from "./encryption-key.js";
import { isUnavailable, RedisHealth, unavailable } from "./health.js";
import { fencedSet, fencingValue, release, renew, tryAcquire } from "./lock.js";
import { announceChannel, checkPrefix, DEFAULT_PREFIX, type EntryNames, entryNames, releaseChannel } from "./naming.js";
import { ReleaseNotifier } from "./notifier.js";

export interface RedisTokenStoreOptions {
  /**
   * Which Redis: a URL (`redis://`, `rediss://` for TLS), ioredis options (a single node, or Sentinel
   * with `sentinels` + `name`), or a client you built (`new Redis(...)`, `new Cluster(...)`), which the
   * store uses as is and never closes.
   */
  redis: RedisConnection;
  /** 32-byte AES-256-GCM key sealing every value (a Secret holding 64 hex digits or base64, or raw bytes). */
  encryptionKey: EncryptionKeyInput;
  /** Keys that sealed older entries, still accepted for reading while rotating keys. */
  previousEncryptionKeys?: readonly EncryptionKeyInput[] | undefined;
  /** Prefix of every Redis key and of the pub/sub channel. Default `tokenmint:`. */
  keyPrefix?: string | undefined;
  /** Longest wait for one Redis command before the store treats Redis as unavailable. Default 500 ms. */
  commandTimeoutMs?: number | undefined;
  /** The refresh lock expires this long after its holder last renewed it (every third of it). Default 10 s. */
  lockTtlMs?: number | undefined;
  /** Longest wait for another process's refresh before calling the provider without the lock. Default 30 s. */
  lockWaitMs?: number | undefined;
  /** Waiters look at the lock at least this often (pub/sub normally wakes them at once). Default 250 ms. */
  pollIntervalMs?: number | undefined;
  /** During an outage on a connected but failing Redis, try one command this often. Default 1 s. */
  probeIntervalMs?: number | undefined;
  /** Receives one warning per outage and one notice per recovery. */
  logger?: Logger | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
}

/**
 * A token store on Redis, shared by every process and machine that uses the same Redis and key.
 *
 * - Keys: `<prefix><provider>:{<sha256 of the manager's key>}:token`; nothing from the configuration or
 *   the request appears in clear. Values: the token sealed with AES-256-GCM; the Redis TTL is the
 *   token's remaining lifetime.
 * - {@link withLock}: the refresh lock (`SET NX PX` with a random fencing value, renewed while held,
 *   released only by its owner in Lua, releases announced by pub/sub), so that the token manager makes
 *   one upstream call per token across the fleet; a dead holder's lock expires and another takes over.
 *   The holder's write is fenced: it lands only while the lock still holds its value, so a holder
 *   that outlived its lock (a stalled process) cannot overwrite the token of the one that took over.
 * - Redis down or slow: commands give up after `commandTimeoutMs`, then fail fast until Redis is back;
 *   reads miss, writes are skipped, deletes are replayed on recovery, the lock is skipped. Token
 *   retrieval keeps working from the provider and the manager's in-process cache, with one warning.
 *
 * @example
 * const store = new RedisTokenStore({ redis: process.env.REDIS_URL!, encryptionKey: new Secret(process.env.TOKEN_CACHE_KEY!) });
 * const manager = new TokenManager({ store });
 */
export class RedisTokenStore implements TokenStore {
  readonly #redis: OwnedClient;
  readonly #keys: readonly EncryptionKey[];
  readonly #prefix: string;
  readonly #channel: string;
  readonly #commandTimeoutMs: number;
  readonly #lockTtlMs: number;
  readonly #lockWaitMs: number;
  readonly #pollIntervalMs: number;
  readonly #now: () => number;
  readonly #logger: Logger;
  /** Fencing value of each entry whose refresh lock this store holds now. */
  readonly #held = new Map<string, string>();
  readonly #health: RedisHealth;
  readonly #notifier: ReleaseNotifier;
  readonly #pendingDeletes = new Set<string>();
  readonly #nameCache = new Map<string, EntryNames>();
  /** Manager key of each entry id this store has named: announcements carry ids, never keys. */
  readonly #keysById = new Map<string, string>();
  readonly #announceChannel: string;
  /** Tells this store's own announcements apart from other processes' on the shared channel. */
  readonly #instance = randomBytes(8).toString("hex");
  readonly #opened = new Map<string, { readonly sealed: Buffer; readonly token: Token }>();
  readonly #onError = (error: unknown) => this.#health.failed(error);
  readonly #onReady = () => this.#health.succeeded();
  #closed = false;

  constructor(options: RedisTokenStoreOptions) {
    if (options === null || typeof options !== "object") throw new TokenmintError("configuration", "RedisTokenStore needs options { redis, encryptionKey }");
    if (options.redis === undefined || options.redis === null || options.redis === "") {
      throw new TokenmintError("configuration", "RedisTokenStore needs `redis`: a redis:// URL, ioredis options, or an ioredis Redis/Cluster client");
    }
    if (options.encryptionKey === undefined) {
      throw new TokenmintError("configuration", "RedisTokenStore needs an encryptionKey (32 bytes): values in Redis are always encrypted", {
        hint: "generate one with generateEncryptionKey() and give every process the same key",
      });
    }
    this.#keys = [encryptionKey(options.encryptionKey), ...(options.previousEncryptionKeys ?? []).map((k, i) => encryptionKey(k, `previousEncryptionKeys[${i}]`))];
    this.#prefix = checkPrefix(options.keyPrefix ?? DEFAULT_PREFIX);
    this.#channel = releaseChannel(this.#prefix);
    this.#commandTimeoutMs = positive(options.commandTimeoutMs, 500, "commandTimeoutMs");
    this.#lockTtlMs = positive(options.lockTtlMs, 10_000, "lockTtlMs");
    this.#lockWaitMs = positive(options.lockWaitMs, 30_000, "lockWaitMs");
    this.#pollIntervalMs = positive(options.pollIntervalMs, 250, "pollIntervalMs");
    const probeIntervalMs = positive(options.probeIntervalMs, 1000, "probeIntervalMs");
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogger;
    // Last: every option is valid by now, so a bad one never leaves a connection behind.
    this.#redis = openClient(options.redis, this.#commandTimeoutMs);
    const secrets = [this.#redis.password].filter((s): s is string => s !== undefined);
    this.#health = new RedisHealth({
      logger: this.#logger,
      status: () => this.#redis.client.status,
      probeIntervalMs,
      now: this.#now,
      scrub: (text) => scrubText(text, secrets),
      probe: async () => {
        await withTimeout(this.#redis.client.ping(), this.#commandTimeoutMs);
      },
    });
    this.#health.onRecovery(() => void this.#replayDeletes());
    this.#redis.client.on("error", this.#onError);
    this.#redis.client.on("ready", this.#onReady);
    this.#announceChannel = announceChannel(this.#prefix);
    this.#notifier = new ReleaseNotifier(this.#channel, this.#announceChannel, () => duplicateClient(this.#redis.client), this.#onError);
  }

  /** The underlying ioredis client (for health checks and administration). */
  get client(): RedisClient {
    return this.#redis.client;
  }

  /** Whether the store currently treats Redis as unavailable. */
  get degraded(): boolean {
    return this.#health.down;
  }

  /** Resolves once Redis answers a PING; rejects with `network` if it does not within `timeoutMs` (default 5 s). */
  async ready(options: CallOptions & { timeoutMs?: number | undefined } = {}): Promise<void> {
    const until = Math.min(options.deadline ?? Number.POSITIVE_INFINITY, this.#now() + (options.timeoutMs ?? 5000));
    for (;;) {
      try {
        await withTimeout(this.#redis.client.ping(), this.#commandTimeoutMs);
        this.#health.succeeded();
        return;
      } catch (error) {
        if (this.#now() >= until || options.signal?.aborted) {
          throw new TokenmintError("network", `Redis token store: no answer from Redis (${this.#scrub(error)})`, { retryable: true });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async get(key: string): Promise<Token | undefined> {
    const names = this.#names(key);
    let sealed: Buffer | null;
    try {
      sealed = await this.#command((c) => c.getBuffer(names.token));
    } catch (error) {
      if (isUnavailable(error)) return undefined;
      throw error;
    }
    if (sealed === null) {
      this.#opened.delete(names.token);
      return undefined;
    }
    return this.#open(names, sealed);
  }

  async set(key: string, token: Token): Promise<void> {
    const names = this.#names(key);
    const ttlMs = token.expiresAt === undefined ? 0 : Math.floor(token.expiresAt.getTime() - this.#now());
    // A token without a known expiry is never shared: no process could tell when to stop serving it.
    if (ttlMs <= 0) return;
    const sealed = sealToken(token, this.#keys[0]!, names.token);
    this.#pendingDeletes.delete(names.token);
    this.#remember(names, sealed, token);
    const fence = this.#held.get(names.token);
    if (fence === undefined) {
      await this.#command((c) => c.set(names.token, sealed, "PX", ttlMs)).catch(ignoreUnavailable);
      return;
    }
    const written = await this.#command((c) => fencedSet(c, names.lock, names.token, fence, sealed, ttlMs)).catch((error: unknown) => {
      ignoreUnavailable(error);
      return true;
    });
    if (!written) {
      // The caller still gets its (valid) token; only the shared entry keeps the newer holder's.
      this.#logger({ level: "warn", message: "the refresh lock expired while the provider was called and another process took it over; its token is kept in the shared cache, this one is not stored", fields: { provider: names.provider, lockTtlMs: this.#lockTtlMs } });
    }
  }

  async delete(key: string): Promise<void> {
    const names = this.#names(key);
    this.#opened.delete(names.token);
    try {
      await this.#command((c) => c.del(names.token));
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      // Replayed when Redis is back, so an invalidated token does not come back from the shared cache.
      if (this.#pendingDeletes.size < 100_000) this.#pendingDeletes.add(names.token);
    }
  }

  /**
   * Runs `refresh` holding the refresh lock of `key` across every process using this Redis. Waiters
   * wake when the holder releases (pub/sub) or at the next poll; a holder that died stops renewing,
   * its lock expires after `lockTtlMs` and a waiter takes over. Without Redis, or after `lockWaitMs`
   * of waiting on a holder that is alive but stuck, `refresh` runs without the lock.
   */
  async withLock<T>(key: string, refresh: () => Promise<T>, options: CallOptions = {}): Promise<T> {
    const names = this.#names(key);
    const fence = fencingValue();
    const waitUntil = this.#now() + this.#lockWaitMs;
    const waiter = this.#notifier.register(names.id);
    try {
      for (;;) {
        checkCall(options, this.#now()); // before trying: an aborted caller must not end up holding the lock
        let acquired: boolean;
        try {
          acquired = await this.#command((c) => tryAcquire(c, names.lock, fence, this.#lockTtlMs));
        } catch (error) {
          if (isUnavailable(error)) return await refresh();
          throw error;
        }
        if (acquired) break;
        const left = waitUntil - this.#now();
        if (left <= 0) {
          this.#logger({ level: "warn", message: "waited too long for another process's token refresh; calling the provider without the lock", fields: { provider: names.provider, waitedMs: this.#lockWaitMs } });
          return await refresh();
        }
        await waiter.sleep(Math.min(this.#pollIntervalMs, left, (options.deadline ?? Number.POSITIVE_INFINITY) - this.#now()), options.signal);
      }
    } finally {
      waiter.cancel();
    }
    return this.#holding(names, fence, refresh);
  }

  /**
   * Publishes an invalidation or refusal to the other processes using this Redis and prefix, so they
   * drop the token from their memory too. Carries the entry id (a hash of the key) and the refused
   * token's digest, nothing in clear. Best effort: without Redis it logs and resolves.
   */
  async announce(event: StoreEvent): Promise<void> {
    const names = this.#names(event.key);
    const message = JSON.stringify({ from: this.#instance, id: names.id, ...(event.rejectedDigest === undefined ? {} : { rejected: event.rejectedDigest }) });
    try {
      await this.#command((c) => c.publish(this.#announceChannel, message));
    } catch (error) {
      this.#logger({ level: "warn", message: "could not announce a token invalidation to the other processes; they drop it at their own next 401 or expiry", fields: { provider: names.provider, error: this.#scrub(error) } });
    }
  }

  /** Calls `listener` with other processes' announcements about keys this store has been used with. */
  watch(listener: (event: StoreEvent) => void): () => void {
    return this.#notifier.watch((message) => {
      let parsed: { from?: unknown; id?: unknown; rejected?: unknown };
      try {
        parsed = JSON.parse(message) as typeof parsed;
      } catch {
        return;
      }
      if (parsed.from === this.#instance || typeof parsed.id !== "string") return;
      const key = this.#keysById.get(parsed.id);
      if (key === undefined) return; // never used here, so nothing of it is in this process's memory
      listener(typeof parsed.rejected === "string" ? { key, rejectedDigest: parsed.rejected } : { key });
    });
  }

  /**
   * Deletes this store's entries (of one provider, or all), across every node of a Cluster. Returns how
   * many went.
   */
  async clear(options: { provider?: string | undefined } = {}): Promise<number> {
    const pattern = `${escapeGlob(this.#prefix)}${options.provider === undefined ? "*" : `${escapeGlob(options.provider)}:*`}`;
    this.#opened.clear();
    const client = this.#redis.client;
    const nodes: RedisClient[] = client instanceof Cluster ? client.nodes("master") : [client];
    let removed = 0;
    for (const node of nodes) {
      let cursor = "0";
      do {
        const [next, keys] = await withTimeout(node.scan(cursor, "MATCH", pattern, "COUNT", 500), this.#commandTimeoutMs);
        cursor = next;
        const tokens = keys.filter((k) => k.endsWith(":token"));
        for (const k of tokens) removed += await withTimeout(node.del(k), this.#commandTimeoutMs);
      } while (cursor !== "0");
    }
    return removed;
  }

  /** Closes the subscriber connection, and the client when the store created it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#health.stop();
    await this.#notifier.close();
    this.#redis.client.off("error", this.#onError);
    this.#redis.client.off("ready", this.#onReady);
    if (this.#redis.owned) {
      const client = this.#redis.client;
      // Keep swallowing late connection errors of a client that is going away.
      client.on("error", () => {});
      await withTimeout(client.quit(), this.#commandTimeoutMs).catch(() => client.disconnect());
    }
  }

  async #holding<T>(names: EntryNames, fence: string, refresh: () => Promise<T>): Promise<T> {
    // set() of this entry while the lock is held writes only if the lock is still ours (fencing).
    this.#held.set(names.token, fence);
    // Renew while the refresh runs, so a slow provider call keeps the lock and a dead holder loses it.
    const renewal = setInterval(() => {
      this.#command((c) => renew(c, names.lock, fence, this.#lockTtlMs)).catch(() => {});
    }, Math.max(10, Math.floor(this.#lockTtlMs / 3)));
    renewal.unref();
    try {
      return await refresh();
    } finally {
      this.#held.delete(names.token);
      clearInterval(renewal);
      // If this fails (Redis gone), the lock expires by itself after lockTtlMs.
      await this.#command((c) => release(c, names.lock, fence, this.#channel, names.id)).catch(() => {});
    }
  }

  /** One Redis command, bounded by the command timeout, skipped during an outage. */
  #command<T>(run: (client: RedisClient) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new TokenmintError("configuration", "RedisTokenStore is closed"));
    if (!this.#health.usable()) return Promise.reject(unavailable("outage"));
    const client = this.#redis.client;
    // A client the store made times its commands out itself; a caller's client gets a timer here.
    const pending = this.#redis.owned ? run(client) : withTimeout(run(client), this.#commandTimeoutMs);
    return pending.then(
      (result) => {
        this.#health.succeeded();
        return result;
      },
      (error: unknown) => {
        this.#health.failed(error);
        throw unavailable(this.#scrub(error));
      },
    );
  }

  /** Entry names, memoised: a hot key is hashed once, not on every read. */
  #names(key: string): EntryNames {
    let names = this.#nameCache.get(key);
    if (names === undefined) {
      if (this.#nameCache.size >= MEMO_LIMIT) this.#nameCache.clear();
      names = entryNames(this.#prefix, key);
      this.#nameCache.set(key, names);
      if (this.#keysById.size >= MEMO_LIMIT) this.#keysById.clear();
      this.#keysById.set(names.id, key);
    }
    return names;
  }

  /**
   * Opens an entry, reusing the token last opened from the very same bytes under the same name: the
   * bytes carry their GCM tag and the name is the authenticated data, so equal bytes open to an equal
   * token. A fleet reads each entry many times and it changes once per refresh.
   */
  #open(names: EntryNames, sealed: Buffer): Token {
    const last = this.#opened.get(names.token);
    if (last?.sealed.equals(sealed)) return last.token;
    const token = openToken(sealed, this.#keys, names.token);
    this.#remember(names, sealed, token);
    return token;
  }

  #remember(names: EntryNames, sealed: Buffer, token: Token): void {
    if (this.#opened.size >= MEMO_LIMIT) this.#opened.clear();
    this.#opened.set(names.token, { sealed, token });
  }

  async #replayDeletes(): Promise<void> {
    const keys = [...this.#pendingDeletes];
    this.#pendingDeletes.clear();
    for (const key of keys) {
      await this.#command((c) => c.del(key)).catch(() => {
        if (this.#pendingDeletes.size < 100_000) this.#pendingDeletes.add(key);
      });
    }
  }

  #scrub(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error);
    return this.#redis.password === undefined ? text : scrubText(text, [this.#redis.password]);
  }
}

/** Bound of the per-process memos (entry names, last opened token per entry); cleared whole when full. */
const MEMO_LIMIT = 10_000;

function ignoreUnavailable(error: unknown): void {
  if (!isUnavailable(error)) throw error;
}

function checkCall(options: CallOptions, now: number): void {
  if (options.signal?.aborted) throw new TokenmintError("aborted", "waiting for the Redis refresh lock was aborted by the caller", { cause: options.signal.reason });
  if (options.deadline !== undefined && now >= options.deadline) throw new TokenmintError("timeout", "the deadline passed while waiting for the Redis refresh lock", { retryable: true });
}

/** Races a Redis command against a timer; a late answer or error of the command is dropped. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TokenmintError("configuration", `RedisTokenStore: ${name} must be a positive number of milliseconds`);
  return value;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
