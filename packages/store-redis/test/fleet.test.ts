// Many processes, one Redis: the distributed refresh lock must make one upstream call per token.
import { type IdcsEmulator, startEmulator } from "@tokenmint/provider-idcs/emulator";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEncryptionKey } from "../src/index.js";
import { type Done, type FleetWorker, startFleet, stopFleet, type WorkerConfig } from "./fleet.js";
import { type TestRedis, testRedis, uniquePrefix } from "./helpers.js";

let redis: TestRedis;
let emu: IdcsEmulator;
const encryptionKey = generateEncryptionKey().reveal();

function config(extra: Partial<WorkerConfig> = {}): WorkerConfig {
  const app = emu.credentials.secretApp;
  return { redisUrl: redis.url, encryptionKey, keyPrefix: uniquePrefix(), domainUrl: emu.url, clientId: app.clientId, clientSecret: app.clientSecret, managers: 4, pollIntervalMs: 100, expiryMarginMs: 1000, refreshWindowMs: 3000, ...extra };
}

function expectAllSucceeded(results: readonly Done[], callers: number): string {
  for (const r of results) {
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(callers);
  }
  const digests = new Set(results.flatMap((r) => r.digests));
  expect(digests.size).toBe(1);
  return [...digests][0]!;
}

beforeAll(async () => {
  redis = await testRedis();
  // 8 s tokens, so that a proactive refresh comes due within the test (expiry margin 1 s, window 3 s).
  emu = await startEmulator({ accessTokenLifetimeSec: 8 });
});

afterAll(async () => {
  await emu?.close();
  await redis?.stop();
});

describe("a fleet of 8 processes on one Redis", () => {
  it("makes exactly one upstream call for 8 x 1,000 concurrent cold getToken(), and one per proactive refresh", async () => {
    const fleet = await startFleet(8, config());
    try {
      const before = emu.server.count("token");
      const cold = await Promise.all(fleet.map((w) => w.burst(1000)));
      const first = expectAllSucceeded(cold, 1000);
      expect(emu.server.count("token") - before).toBe(1);

      // Past the refresh point (issued + 8 s - 1 s margin - 3 s window = 4 s): 32 managers in 8 processes
      // each start a background refresh; the lock lets one of them call the provider.
      await new Promise((r) => setTimeout(r, 4300));
      const refreshed = await Promise.all(fleet.map((w) => w.ask({ type: "until-refreshed", previous: first, timeoutMs: 5000 }) as Promise<Done>));
      for (const r of refreshed) {
        expect(r.errors).toEqual([]);
        expect(r.digests).not.toContain(first);
      }
      expect(new Set(refreshed.flatMap((r) => r.digests)).size).toBe(1);
      expect(emu.server.count("token") - before).toBe(2);
    } finally {
      await stopFleet(fleet);
    }
  }, 60_000);

  it("lets another process complete the refresh when the lock holder is killed mid-refresh", async () => {
    const lockTtlMs = 1500;
    const cfg = config({ lockTtlMs, managers: 1 });
    const fleet = await startFleet(3, cfg);
    const spy = new Redis(redis.url);
    try {
      // Whoever calls the provider first hangs there (20 s) until we kill it.
      const fault = emu.server.faults.inject({ route: "token", kind: "latency", delayMs: 20_000 });
      const before = emu.server.count("token");
      const bursts = new Map<FleetWorker, Promise<Done>>(fleet.map((w) => [w, w.burst(100)]));
      const lock = await waitFor(async () => (await spy.keys(`${cfg.keyPrefix}*:lock`))[0], 10_000);
      const holderPid = Number((await spy.get(lock))!.split("@")[0]);
      const holder = fleet.find((w) => w.pid === holderPid);
      expect(holder, `the lock names a worker pid (${holderPid})`).toBeDefined();
      await waitFor(async () => fault.remaining === 0 || undefined, 10_000); // its upstream call is in flight
      const killedAt = Date.now();
      holder!.process.kill("SIGKILL");
      await expect(bursts.get(holder!)).rejects.toThrow(/SIGKILL/);

      const survivors = await Promise.all(fleet.filter((w) => w !== holder).map((w) => bursts.get(w)!));
      const tookOverIn = Date.now() - killedAt;
      expectAllSucceeded(survivors, 100);
      // The dead holder's lock expired (no more renewals) and exactly one survivor called the provider.
      expect(tookOverIn).toBeLessThan(lockTtlMs + 3000);
      expect(emu.server.count("token") - before).toBe(1);
    } finally {
      spy.disconnect();
      emu.server.faults.clear();
      await stopFleet(fleet);
    }
  }, 60_000);
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

