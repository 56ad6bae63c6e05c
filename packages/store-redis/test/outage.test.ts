// Redis down, restarted or frozen: getToken() must keep working, warn once per outage, and come back.
import { issueSource, type LogEvent, Secret, type TokenSource } from "@tokenmint/core";
import { TokenManager } from "@tokenmint/core/tokens";
import { createIdcsClient } from "@tokenmint/provider-idcs";
import { type IdcsEmulator, startEmulator } from "@tokenmint/provider-idcs/emulator";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { entryNames, generateEncryptionKey, RedisTokenStore } from "../src/index.js";
import { type RedisServer, startRedisServer } from "../src/testing/index.js";
import { uniquePrefix } from "./helpers.js";

let emu: IdcsEmulator;
let source: TokenSource;
let server: RedisServer;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  const app = emu.credentials.secretApp;
  const client = await createIdcsClient({ domainUrl: emu.url, clientId: app.clientId, clientSecret: app.clientSecret }, { env: {} });
  source = issueSource(client, { grant: "client_credentials" });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await emu?.close();
});

/** A redis-server of this test alone (it gets killed), a store on it, and a manager. */
async function setup(options: { commandTimeoutMs?: number; probeIntervalMs?: number } = {}) {
  server = await startRedisServer();
  cleanups.push(async () => {
    if (server.pid !== undefined) process.kill(server.pid, "SIGCONT");
    await server.stop();
  });
  const events: LogEvent[] = [];
  const prefix = uniquePrefix();
  const store = new RedisTokenStore({ redis: server.url, encryptionKey: generateEncryptionKey(), keyPrefix: prefix, commandTimeoutMs: options.commandTimeoutMs ?? 200, probeIntervalMs: options.probeIntervalMs ?? 200, logger: (e) => events.push(e) });
  cleanups.push(() => store.close());
  await store.ready();
  const manager = new TokenManager({ store });
  const spy = new Redis(server.url, { retryStrategy: () => 50, maxRetriesPerRequest: 0, lazyConnect: true });
  spy.on("error", () => {});
  cleanups.push(async () => spy.disconnect());
  const tokenKey = entryNames(prefix, source.key).token;
  return { store, manager, events, tokenKey, spy };
}

const outageWarnings = (events: readonly LogEvent[]) => events.filter((e) => e.level === "warn" && e.message.startsWith("Redis token store unavailable"));
const recoveries = (events: readonly LogEvent[]) => events.filter((e) => e.level === "info" && e.message === "Redis token store available again");

describe("Redis outages", () => {
  it("keeps every getToken() working while Redis is killed and restarted mid-run, warns once, and recovers", async () => {
    const { store, manager, events, tokenKey, spy } = await setup();
    let calls = 0;
    const failures: unknown[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        manager.clear(); // every round is a cold load, so each one goes through Redis
        const results = await Promise.allSettled(Array.from({ length: 50 }, () => manager.getToken(source)));
        calls += results.length;
        for (const r of results) if (r.status === "rejected") failures.push(r.reason);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    const upstreamBefore = emu.server.count("token");
    await server.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 1000));
    const upstreamDuringOutage = emu.server.count("token") - upstreamBefore;
    await server.restart();
    // Back within the reconnect delay (at most 1 s) and the next write fills the new, empty Redis.
    await waitUntil(async () => !store.degraded && (await spy.exists(tokenKey)) === 1, 5000);
    await new Promise((r) => setTimeout(r, 300));
    running = false;
    await load;

    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(500);
    expect(upstreamDuringOutage).toBeGreaterThan(0); // served by the provider meanwhile, as it must be
    expect(outageWarnings(events)).toHaveLength(1);
    expect(recoveries(events)).toHaveLength(1);
    // Reads come from Redis again: a cold manager makes no upstream call.
    const after = emu.server.count("token");
    manager.clear();
    await manager.getToken(source);
    expect(emu.server.count("token")).toBe(after);
  }, 30_000);

  it("bounds every command when Redis hangs (SIGSTOP), fails fast during the outage, and notices recovery without traffic", async () => {
    const { store, manager, events, tokenKey, spy } = await setup({ commandTimeoutMs: 1000, probeIntervalMs: 200 });
    await manager.getToken(source);
    expect(await spy.exists(tokenKey)).toBe(1);
    process.kill(server.pid!, "SIGSTOP");

    manager.clear();
    let started = performance.now();
    await manager.getToken(source);
    const first = performance.now() - started;
    expect(first).toBeGreaterThanOrEqual(950); // it did wait for Redis, once
    expect(first).toBeLessThan(1000 + 1500); // one command timeout, then the provider
    expect(store.degraded).toBe(true);

    manager.clear();
    started = performance.now();
    await manager.getToken(source);
    const second = performance.now() - started;
    expect(second).toBeLessThan(500); // no waiting on Redis during the outage

    // An invalidation during the outage is replayed when Redis answers again.
    await manager.invalidate(source.key);
    process.kill(server.pid!, "SIGCONT");
    await waitUntil(async () => !store.degraded, 5000);
    await waitUntil(async () => (await spy.exists(tokenKey)) === 0, 2000);
    expect(outageWarnings(events)).toHaveLength(1);
    expect(recoveries(events)).toHaveLength(1);
  }, 30_000);

  it("works from the provider when Redis is unreachable from the start, with one warning", async () => {
    const events: LogEvent[] = [];
    const store = new RedisTokenStore({ redis: "redis://127.0.0.1:1", encryptionKey: new Secret("a".repeat(64)), commandTimeoutMs: 200, logger: (e) => events.push(e) });
    cleanups.push(() => store.close());
    const manager = new TokenManager({ store });
    for (let i = 0; i < 5; i++) {
      manager.clear();
      await expect(manager.getToken(source)).resolves.toBeDefined();
    }
    await expect(store.ready({ timeoutMs: 300 })).rejects.toMatchObject({ code: "network" });
    expect(outageWarnings(events)).toHaveLength(1);
    expect(events.filter((e) => e.level === "warn")).toHaveLength(1);
  });
});

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
