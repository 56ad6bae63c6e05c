// The store on a real Redis: key names, encryption at rest, TTL, the refresh lock, bad input.
import { inspect } from "node:util";
import { issueSource, type LogEvent, Secret, type Token, TokenmintError, type TokenSource } from "@tokenmint/core";
import { TokenManager } from "@tokenmint/core/tokens";
import { createIdcsClient } from "@tokenmint/provider-idcs";
import { type IdcsEmulator, startEmulator } from "@tokenmint/provider-idcs/emulator";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { entryNames, generateEncryptionKey, RedisTokenStore, type RedisTokenStoreOptions } from "../src/index.js";
import { startRedisServer } from "../src/testing/index.js";
import { type TestRedis, testRedis, uniquePrefix } from "./helpers.js";

let redis: TestRedis;
let spy: Redis;
let emu: IdcsEmulator;
let source: TokenSource;
const cleanups: (() => Promise<void>)[] = [];
const LIFETIME_SEC = 600;

beforeAll(async () => {
  redis = await testRedis();
  spy = new Redis(redis.url);
  emu = await startEmulator({ accessTokenLifetimeSec: LIFETIME_SEC });
  const app = emu.credentials.secretApp;
  const client = await createIdcsClient({ domainUrl: emu.url, clientId: app.clientId, clientSecret: app.clientSecret }, { env: {} });
  source = issueSource(client, { grant: "client_credentials", scope: { kind: "idcs", roles: ["Me"] } });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  spy?.disconnect();
  await emu?.close();
  await redis?.stop();
});

function store(options: Partial<RedisTokenStoreOptions> = {}): RedisTokenStore {
  const s = new RedisTokenStore({ redis: redis.url, encryptionKey: generateEncryptionKey(), keyPrefix: uniquePrefix(), ...options });
  cleanups.push(() => s.close());
  return s;
}

function token(value: string, lifetimeMs = 60_000, extra: Partial<Token> = {}): Token {
  const now = Date.now();
  return { provider: "test", value: new Secret(value), tokenType: "Bearer", issuedAt: new Date(now), expiresAt: new Date(now + lifetimeMs), scopes: [], raw: {}, ...extra };
}

async function allEntries(prefix: string): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  let cursor = "0";
  do {
    const [next, keys] = await spy.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 100);
    cursor = next;
    for (const key of keys) {
      const value = await spy.getBuffer(key);
      if (value !== null) entries.set(key, value);
    }
  } while (cursor !== "0");
  return entries;
}

describe("entries in Redis", () => {
  it("are ciphertext under hashed key names, with a TTL that follows the token's expiry", async () => {
    const prefix = uniquePrefix();
    const key = generateEncryptionKey();
    const s = store({ keyPrefix: prefix, encryptionKey: key });
    const manager = new TokenManager({ store: s });
    const issued = await manager.getToken(source);
    const entries = await allEntries(prefix);
    expect(entries.size).toBe(1);
    const [name, value] = [...entries][0]!;

    // The name: prefix, provider, SHA-256 of the manager's key; no configuration or request in clear.
    expect(name).toBe(entryNames(prefix, source.key).token);
    expect(name).toMatch(new RegExp(`^${prefix}idcs:\\{[A-Za-z0-9_-]{43}\\}:token$`));
    const app = emu.credentials.secretApp;
    const jwt = issued.value.reveal();
    const canaries = [jwt, ...jwt.split("."), app.clientSecret, app.clientId, source.key, source.key.split(":")[1]!, "urn:opc:idm", "Bearer", "client_credentials", key.reveal()];
    for (const canary of canaries) {
      expect(name).not.toContain(canary);
      expect(value.toString("latin1")).not.toContain(canary);
      expect(value.toString("base64")).not.toContain(canary);
    }
    // It is a sealed entry: version 1, the key's id, and it opens to the very token.
    expect(value[0]).toBe(1);
    const reread = await s.get(source.key);
    expect(reread?.value.reveal()).toBe(jwt);
    expect(reread?.scopes).toEqual(issued.scopes);

    // TTL: the token's remaining lifetime (600 s), not a fixed default.
    const pttl = await spy.pttl(name);
    const remaining = issued.expiresAt!.getTime() - Date.now();
    expect(pttl).toBeGreaterThan(remaining - 2000);
    expect(pttl).toBeLessThanOrEqual(remaining + 50);
    expect(pttl).toBeLessThanOrEqual(LIFETIME_SEC * 1000);
  });

  it("sets the TTL from each token's own expiry, and never stores tokens that are expired or have no expiry", async () => {
    const prefix = uniquePrefix();
    const s = store({ keyPrefix: prefix });
    await s.set("test:a:1", token("short", 5_000));
    await s.set("test:a:2", token("long", 3_600_000));
    await s.set("test:a:3", token("expired", -1000));
    await s.set("test:a:4", token("forever", 1, { expiresAt: undefined }));
    expect(await spy.pttl(entryNames(prefix, "test:a:1").token)).toBeLessThanOrEqual(5_000);
    expect(await spy.pttl(entryNames(prefix, "test:a:1").token)).toBeGreaterThan(3_000);
    expect(await spy.pttl(entryNames(prefix, "test:a:2").token)).toBeGreaterThan(3_590_000);
    expect((await allEntries(prefix)).size).toBe(2);
    expect(await s.get("test:a:3")).toBeUndefined();
    await s.delete("test:a:1");
    expect(await s.get("test:a:1")).toBeUndefined();
    expect((await s.get("test:a:2"))?.value.reveal()).toBe("long");
  });

  it("refuses entries sealed with another key, or moved under another name, with a clear configuration error", async () => {
    const prefix = uniquePrefix();
    const keyA = generateEncryptionKey();
    const keyB = generateEncryptionKey();
    const a = store({ keyPrefix: prefix, encryptionKey: keyA });
    const b = store({ keyPrefix: prefix, encryptionKey: keyB });
    await a.set("test:k:1", token("value-sealed-by-a"));
    const error = await b.get("test:k:1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenmintError);
    expect(error).toMatchObject({ code: "configuration" });
    expect((error as Error).message).toMatch(/sealed with encryption key id [0-9a-f]{8}, which is not configured here/);
    for (const text of [(error as Error).message, JSON.stringify(error), inspect(error)]) {
      expect(text).not.toContain(keyA.reveal());
      expect(text).not.toContain(keyB.reveal());
      expect(text).not.toContain("value-sealed-by-a");
    }

    // The Redis key is authenticated with the value: a copy under another entry's name does not open.
    await spy.set(entryNames(prefix, "test:k:2").token, (await spy.getBuffer(entryNames(prefix, "test:k:1").token))!);
    await expect(a.get("test:k:2")).rejects.toMatchObject({ code: "configuration", message: expect.stringMatching(/altered or moved/) });
    await spy.set(entryNames(prefix, "test:k:3").token, "not an entry");
    await expect(a.get("test:k:3")).rejects.toMatchObject({ code: "configuration", message: expect.stringMatching(/not a tokenmint store-redis entry/) });
  });

  it("reads entries of a previous key while keys rotate, and writes with the new one", async () => {
    const prefix = uniquePrefix();
    const oldKey = generateEncryptionKey();
    const newKey = generateEncryptionKey();
    await store({ keyPrefix: prefix, encryptionKey: oldKey }).set("test:r:1", token("rotated"));
    const rotated = store({ keyPrefix: prefix, encryptionKey: newKey, previousEncryptionKeys: [oldKey] });
    expect((await rotated.get("test:r:1"))?.value.reveal()).toBe("rotated");
    await rotated.set("test:r:1", token("rotated-2"));
    // Now only the new key opens it.
    await expect(store({ keyPrefix: prefix, encryptionKey: oldKey }).get("test:r:1")).rejects.toMatchObject({ code: "configuration" });
    expect((await store({ keyPrefix: prefix, encryptionKey: newKey }).get("test:r:1"))?.value.reveal()).toBe("rotated-2");
  });

  it("clears the entries of one provider, or all of them", async () => {
    const prefix = uniquePrefix();
    const s = store({ keyPrefix: prefix });
    await s.set("alpha:c:1", token("1"));
    await s.set("alpha:c:2", token("2"));
    await s.set("beta:c:1", token("3"));
    expect(await s.clear({ provider: "alpha" })).toBe(2);
    expect(await s.get("beta:c:1")).toBeDefined();
    expect(await s.clear()).toBe(1);
    expect((await allEntries(prefix)).size).toBe(0);
  });
});

describe("the refresh lock", () => {
  it("lets one holder at a time in, across connections, and names the holder's pid in the lock", async () => {
    const prefix = uniquePrefix();
    const stores = [store({ keyPrefix: prefix }), store({ keyPrefix: prefix }), store({ keyPrefix: prefix })];
    let inside = 0;
    let most = 0;
    let entered = 0;
    const lockName = entryNames(prefix, "test:lock:1").lock;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        stores[i % 3]!.withLock("test:lock:1", async () => {
          inside++;
          most = Math.max(most, inside);
          entered++;
          expect(await spy.get(lockName)).toMatch(new RegExp(`^${process.pid}@.+:[0-9a-f]{32}$`));
          await new Promise((r) => setTimeout(r, 5));
          inside--;
        }),
      ),
    );
    expect(entered).toBe(30);
    expect(most).toBe(1);
    expect(await spy.exists(lockName)).toBe(0);
  });

  it("is released only by its owner, and renewed while its holder works", async () => {
    const prefix = uniquePrefix();
    const s = store({ keyPrefix: prefix, lockTtlMs: 300 });
    const lockName = entryNames(prefix, "test:lock:2").lock;
    await s.withLock("test:lock:2", async () => {
      await new Promise((r) => setTimeout(r, 800)); // longer than the TTL: renewals keep it
      expect(await spy.pttl(lockName)).toBeGreaterThan(0);
      await spy.set(lockName, "another-holder", "PX", 10_000); // as if it had expired and been taken over
    });
    expect(await spy.get(lockName)).toBe("another-holder");
    await spy.del(lockName);
  });

  it("fences the holder's write: a holder that lost its lock does not overwrite the new holder's token, and says so", async () => {
    const prefix = uniquePrefix();
    const events: LogEvent[] = [];
    const s = store({ keyPrefix: prefix, logger: (e) => events.push(e) });
    const names = entryNames(prefix, "test:fence:1");
    // While the lock is ours, the write lands.
    await s.withLock("test:fence:1", async () => s.set("test:fence:1", token("first")));
    expect(await spy.exists(names.token)).toBe(1);
    const before = await spy.getBuffer(names.token);
    // The lock expires during a slow refresh and another process takes it over and stores its token.
    await s.withLock("test:fence:1", async () => {
      await spy.set(names.lock, "another-holder", "PX", 10_000);
      await spy.set(names.token, "newer-token-of-the-other-holder", "PX", 10_000);
      await s.set("test:fence:1", token("stale"));
    });
    expect(await spy.get(names.token)).toBe("newer-token-of-the-other-holder");
    expect(events.map((e) => e.message).join("\n")).toMatch(/refresh lock expired .* this one is not stored/);
    expect(JSON.stringify(events)).not.toContain("stale");
    // Outside any lock (a store without a manager's refresh), writes are plain.
    await spy.del(names.lock);
    await s.set("test:fence:1", token("plain"));
    expect((await spy.getBuffer(names.token))?.equals(before!)).toBe(false);
    expect(await spy.get(names.token)).not.toBe("newer-token-of-the-other-holder");
  });

  it("passes reject() and invalidate() on to the other processes' memory, not only the store", async () => {
    const prefix = uniquePrefix();
    const encryptionKey = generateEncryptionKey();
    const a = store({ keyPrefix: prefix, encryptionKey });
    const b = store({ keyPrefix: prefix, encryptionKey });
    const managerA = new TokenManager({ store: a });
    const managerB = new TokenManager({ store: b });
    try {
      const first = await managerA.getToken(source);
      expect((await managerB.getToken(source)).value.reveal()).toBe(first.value.reveal()); // from the store, now in B's memory
      const before = emu.server.count("token");

      // A resource server refused the token in process A: B stops serving it without seeing a 401 itself.
      await managerA.reject(first);
      const second = await managerA.getToken(source);
      expect(second.value.reveal()).not.toBe(first.value.reveal());
      await waitFor(async () => (await managerB.getToken(source)).value.reveal() !== first.value.reveal());
      expect((await managerB.getToken(source)).value.reveal()).toBe(second.value.reveal()); // A's new token, from the store
      expect(emu.server.count("token") - before).toBe(1);

      // invalidate() in A: B drops its copy as well and shares the next token.
      await managerA.invalidate(source.key);
      await waitFor(async () => (await managerB.getToken(source)).value.reveal() !== second.value.reveal());
      expect((await managerA.getToken(source)).value.reveal()).toBe((await managerB.getToken(source)).value.reveal());
      expect(emu.server.count("token") - before).toBe(2);

      // Announcements carry hashes only.
      const seen: string[] = [];
      const listener = new Redis(redis.url);
      cleanups.push(async () => listener.disconnect());
      await listener.subscribe(`${prefix}invalidated`);
      listener.on("message", (_channel: string, message: string) => seen.push(message));
      const third = await managerA.getToken(source);
      await managerA.reject(third);
      await waitFor(async () => seen.length > 0);
      expect(seen.join("")).not.toContain(third.value.reveal());
      expect(seen.join("")).not.toContain(source.key);
    } finally {
      managerA.close();
      managerB.close();
    }
  });

  it("wakes a waiter by pub/sub as soon as the holder releases", async () => {
    const prefix = uniquePrefix();
    const holder = store({ keyPrefix: prefix });
    const waiter = store({ keyPrefix: prefix, pollIntervalMs: 10_000 }); // so only the release message can wake it
    // The waiter's subscription is set up on first use.
    await waiter.withLock("test:lock:0", async () => {});
    let releasedAt = 0;
    const held = holder.withLock("test:lock:3", async () => {
      await new Promise((r) => setTimeout(r, 300));
      releasedAt = performance.now();
    });
    await new Promise((r) => setTimeout(r, 50));
    const enteredAt = await waiter.withLock("test:lock:3", async () => performance.now());
    await held;
    expect(enteredAt - releasedAt).toBeLessThan(1500); // not the 10 s poll
  });

  it("bounds the wait on a holder that is stuck: the waiter calls the provider without the lock, and says so", async () => {
    const prefix = uniquePrefix();
    const events: LogEvent[] = [];
    const holder = store({ keyPrefix: prefix });
    const waiter = store({ keyPrefix: prefix, lockWaitMs: 300, pollIntervalMs: 50, logger: (e) => events.push(e) });
    let release!: () => void;
    const held = holder.withLock("test:lock:4", () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    expect(await waiter.withLock("test:lock:4", async () => "ran")).toBe("ran");
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(events.map((e) => e.message)).toContain("waited too long for another process's token refresh; calling the provider without the lock");
    release();
    await held;
  });

  it("stops waiting when the caller aborts", async () => {
    const prefix = uniquePrefix();
    const holder = store({ keyPrefix: prefix });
    const waiter = store({ keyPrefix: prefix });
    let release!: () => void;
    const held = holder.withLock("test:lock:5", () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(waiter.withLock("test:lock:5", async () => "ran", { signal: controller.signal })).rejects.toMatchObject({ code: "aborted" });
    release();
    await held;
  });

  it("passes the refresh's own error through and releases the lock", async () => {
    const prefix = uniquePrefix();
    const s = store({ keyPrefix: prefix });
    const failure = new TokenmintError("invalid_credentials", "no", { provider: "test" });
    await expect(s.withLock("test:lock:6", async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(await spy.exists(entryNames(prefix, "test:lock:6").lock)).toBe(0);
  });
});

describe("configuration and secrets", () => {
  it("rejects bad options with configuration errors that name the option", () => {
    const key = generateEncryptionKey();
    const bad: [Partial<RedisTokenStoreOptions>, RegExp][] = [
      [{ redis: "" }, /needs `redis`/],
      [{ encryptionKey: undefined }, /needs an encryptionKey/],
      [{ encryptionKey: new Uint8Array(16) }, /encryptionKey must be 32 bytes for AES-256-GCM \(got 16\)/],
      [{ encryptionKey: new Secret("correct horse battery staple") }, /encryptionKey must be 32 bytes, given as 64 hex digits or as base64/],
      [{ encryptionKey: new Secret("c2hvcnQ=") }, /encryptionKey must be 32 bytes/],
      [{ previousEncryptionKeys: [new Uint8Array(31)] }, /previousEncryptionKeys\[0\] must be 32 bytes/],
      [{ keyPrefix: "a{b}:" }, /keyPrefix .* without braces/],
      [{ lockTtlMs: 0 }, /lockTtlMs must be a positive number/],
      [{ commandTimeoutMs: Number.NaN }, /commandTimeoutMs must be a positive number/],
    ];
    for (const [options, message] of bad) {
      let thrown: unknown;
      try {
        new RedisTokenStore({ redis: "redis://127.0.0.1:1", encryptionKey: key, ...options } as RedisTokenStoreOptions);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, String(message)).toBeInstanceOf(TokenmintError);
      expect(thrown).toMatchObject({ code: "configuration", message: expect.stringMatching(message) });
      expect((thrown as Error).message).not.toContain("correct horse");
    }
    // 64 hex digits, base64 and raw bytes are all accepted.
    for (const encryptionKey of [new Secret("ab".repeat(32)), generateEncryptionKey(), new Uint8Array(32)]) {
      const s = new RedisTokenStore({ redis: "redis://127.0.0.1:1", encryptionKey, commandTimeoutMs: 100 });
      cleanups.push(() => s.close());
    }
  });

  it("never shows the encryption key or the Redis password in inspect, JSON or logs", async () => {
    const server = await startRedisServer({ args: ["--requirepass", "right-password-canary-1234"] });
    cleanups.push(() => server.stop());
    const key = generateEncryptionKey();
    const events: LogEvent[] = [];
    const wrong = `redis://:wrong-password-canary-5678@127.0.0.1:${server.port}`;
    const s = store({ redis: wrong, encryptionKey: key, commandTimeoutMs: 300, logger: (e) => events.push(e) });
    const manager = new TokenManager({ store: s, logger: (e) => events.push(e) });
    await expect(manager.getToken(source)).resolves.toBeDefined(); // the provider still answers
    await expect(s.ready({ timeoutMs: 300 })).rejects.toMatchObject({ code: "network" });
    expect(events.some((e) => e.message.startsWith("Redis token store unavailable"))).toBe(true);
    const texts = [inspect(s, { depth: 5, showHidden: true }), JSON.stringify(s), JSON.stringify(events), inspect(events, { depth: 5 })];
    for (const text of texts) {
      expect(text).not.toContain(key.reveal());
      expect(text).not.toContain("wrong-password-canary-5678");
    }

    // The right password works, and a URL is all it takes.
    const good = store({ redis: `redis://:right-password-canary-1234@127.0.0.1:${server.port}` });
    await good.ready();
    await good.set("test:p:1", token("with-password"));
    expect((await good.get("test:p:1"))?.value.reveal()).toBe("with-password");
  });

  it("says how to get redis-server when the binary is missing", async () => {
    await expect(startRedisServer({ binary: "/nonexistent/redis-server" })).rejects.toMatchObject({
      code: "configuration",
      message: expect.stringMatching(/redis-server not found .*apt-get install -y redis-server/),
    });
  });
});

async function waitFor(probe: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
