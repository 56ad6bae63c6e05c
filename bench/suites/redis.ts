// Redis token store: cached reads through Redis as a ratio to a raw GET of the same key with the same
// client (the floor: one round trip), and upstream calls for 10,000 requests from a fleet of 8
// processes on a cold cache (goal 1), next to the same fleet without the refresh lock. Starts its own
// redis-server (Debian's redis-server package, as .ci/run installs it) and the IDCS emulator.
import { Secret, type Token } from "@tokenmint/core";
import { startEmulator } from "@tokenmint/provider-idcs/emulator";
import { entryNames, generateEncryptionKey, RedisTokenStore } from "@tokenmint/store-redis";
import { startRedisServer } from "@tokenmint/store-redis/testing";
import { startFleet, stopFleet, type WorkerConfig } from "../../packages/store-redis/test/fleet.js";
import { fmt, measure, ratio } from "../harness.js";
import type { Row } from "../report.js";

const IN_FLIGHT = 32;
const FLEET = 8;
const FLEET_REQUESTS = 10_000;

export async function redisSuite(): Promise<Row[]> {
  const server = await startRedisServer();
  const emu = await startEmulator();
  try {
    return [...(await cachedReads(server.url)), ...(await fleetCalls(server.url, emu))];
  } finally {
    await emu.close();
    await server.stop();
  }
}

/** `n` operations with IN_FLIGHT of them outstanding at a time, as a busy service would issue them. */
async function inFlight(n: number, op: () => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(IN_FLIGHT, n) }, async () => {
      while (next++ < n) await op();
    }),
  );
}

async function cachedReads(url: string): Promise<Row[]> {
  const store = new RedisTokenStore({ redis: url, encryptionKey: generateEncryptionKey(), keyPrefix: "bench:" });
  try {
    await store.ready();
    const key = "idcs:bench-config:bench-request";
    // A realistic entry: an RS256 JWT-sized value, scopes and raw response fields.
    const token: Token = {
      provider: "idcs",
      value: new Secret(`eyJ${"x".repeat(1100)}`),
      tokenType: "Bearer",
      issuedAt: new Date(),
      expiresAt: new Date(Date.now() + 3_600_000),
      scopes: [{ raw: "urn:opc:idm:t.user.me", resource: "urn:opc:idm:", name: "t.user.me" }],
      raw: { token_type: "Bearer", expires_in: 3600 },
    };
    await store.set(key, token);
    const redisKey = entryNames("bench:", key).token;
    const client = store.client;
    const [raw, ours] = await measure([
      { name: "baseline: raw GET of the same key, same client", run: (n) => inFlight(n, () => client.getBuffer(redisKey)) },
      { name: "RedisTokenStore.get (GET + AES-256-GCM open + token parse)", run: (n) => inFlight(n, () => store.get(key)) },
    ]);
    const r = ratio(ours!, raw!);
    return [
      { figure: "cached reads through Redis / raw GET of the same key", value: r.median, spread: [r.min, r.max], goal: ">= 0.8", context: `${fmt(ours!.median)}/s vs ${fmt(raw!.median)}/s, ${IN_FLIGHT} in flight, loopback redis-server` },
      { figure: "cached reads through Redis per second", value: ours!.median, goal: "context only: absolute figures vary with the machine", context: `rounds: ${ours!.perRound.map(fmt).join(", ")}` },
    ];
  } finally {
    await store.close();
  }
}

async function fleetCalls(url: string, emu: Awaited<ReturnType<typeof startEmulator>>): Promise<Row[]> {
  const app = emu.credentials.secretApp;
  const encryptionKey = generateEncryptionKey().reveal();
  const callers = FLEET_REQUESTS / FLEET;
  const run = async (lock: boolean, prefix: string) => {
    const config: WorkerConfig = { redisUrl: url, encryptionKey, keyPrefix: prefix, domainUrl: emu.url, clientId: app.clientId, clientSecret: app.clientSecret, managers: 1, lock };
    const fleet = await startFleet(FLEET, config);
    try {
      const before = emu.server.count("token");
      const results = await Promise.all(fleet.map((w) => w.burst(callers)));
      const failed = results.reduce((sum, r) => sum + r.failed, 0);
      return { upstream: emu.server.count("token") - before, failed, ms: Math.max(...results.map((r) => r.ms)) };
    } finally {
      await stopFleet(fleet);
    }
  };
  const locked = await run(true, "bench-fleet-locked:");
  const unlocked = await run(false, "bench-fleet-unlocked:");
  return [
    {
      figure: `upstream calls per ${FLEET_REQUESTS.toLocaleString("en")} cold requests from ${FLEET} processes`,
      value: locked.upstream,
      goal: "1",
      context: `without the refresh lock: ${unlocked.upstream}; failed getToken(): ${locked.failed}; slowest process ${locked.ms.toFixed(0)} ms`,
    },
  ];
}
