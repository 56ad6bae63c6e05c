// The same store on Redis Cluster and Redis Sentinel, through ioredis's support for both.
import { issueSource, Secret, type Token, type TokenSource } from "@tokenmint/core";
import { TokenManager } from "@tokenmint/core/tokens";
import { createIdcsClient } from "@tokenmint/provider-idcs";
import { type IdcsEmulator, startEmulator } from "@tokenmint/provider-idcs/emulator";
import { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryNames, generateEncryptionKey, RedisTokenStore, type RedisTokenStoreOptions } from "../src/index.js";
import { type RedisServer, startRedisServer } from "../src/testing/index.js";
import { uniquePrefix } from "./helpers.js";

let emu: IdcsEmulator;
let source: TokenSource;
const servers: RedisServer[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  const app = emu.credentials.secretApp;
  const client = await createIdcsClient({ domainUrl: emu.url, clientId: app.clientId, clientSecret: app.clientSecret }, { env: {} });
  source = issueSource(client, { grant: "client_credentials" });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await Promise.all(servers.map((s) => s.stop()));
  await emu?.close();
});

function token(value: string): Token {
  return { provider: "test", value: new Secret(value), tokenType: "Bearer", issuedAt: new Date(), expiresAt: new Date(Date.now() + 60_000), scopes: [], raw: {} };
}

/** Two stores on one topology must share tokens, lock each other out, and wake each other. */
async function exerciseStores(make: (options: Partial<RedisTokenStoreOptions>) => RedisTokenStore): Promise<void> {
  const prefix = uniquePrefix();
  const encryptionKey = generateEncryptionKey();
  const a = make({ keyPrefix: prefix, encryptionKey, pollIntervalMs: 10_000 });
  const b = make({ keyPrefix: prefix, encryptionKey, pollIntervalMs: 10_000 });
  await Promise.all([a.ready(), b.ready()]);

  // Entries spread over many keys (so, in a cluster, many slots on every node).
  for (let i = 0; i < 30; i++) await a.set(`test:k:${i}`, token(`value-${i}`));
  for (let i = 0; i < 30; i++) expect((await b.get(`test:k:${i}`))?.value.reveal()).toBe(`value-${i}`);

  // The lock excludes across clients, and the release message wakes the waiter (polling is 10 s here).
  let releasedAt = 0;
  const held = a.withLock("test:lock", async () => {
    // Held long enough for the waiter's subscription to be in place even on a loaded machine.
    await new Promise((r) => setTimeout(r, 1500));
    releasedAt = performance.now();
  });
  await new Promise((r) => setTimeout(r, 50));
  const enteredAt = await b.withLock("test:lock", async () => performance.now());
  await held;
  expect(enteredAt).toBeGreaterThanOrEqual(releasedAt);
  expect(enteredAt - releasedAt).toBeLessThan(1000);

  // End to end: two managers on two clients make one upstream call.
  const before = emu.server.count("token");
  const managers = [new TokenManager({ store: a }), new TokenManager({ store: b })];
  const tokens = await Promise.all(Array.from({ length: 200 }, (_, i) => managers[i % 2]!.getToken(source)));
  expect(new Set(tokens.map((t) => t.value.reveal())).size).toBe(1);
  expect(emu.server.count("token") - before).toBe(1);

  expect(await a.clear()).toBe(31);
}

describe("Redis Cluster", () => {
  it("keeps each token and its lock in one slot, and works across the nodes of a 3-node cluster", async () => {
    const nodes = await Promise.all([0, 1, 2].map(() => startRedisServer({ args: ["--cluster-enabled", "yes", "--cluster-node-timeout", "2000"] })));
    servers.push(...nodes);
    // Form the cluster by hand (no redis-cli needed): a third of the slots each, then MEET.
    const admins = nodes.map((n) => new Redis(n.url));
    const third = Math.floor(16384 / 3);
    await Promise.all(admins.map((admin, i) => admin.call("CLUSTER", "ADDSLOTSRANGE", String(i * third), String(i === 2 ? 16383 : (i + 1) * third - 1))));
    for (const node of nodes.slice(1)) await admins[0]!.call("CLUSTER", "MEET", "127.0.0.1", String(node.port));
    await waitUntil(async () => (await Promise.all(admins.map((a) => a.call("CLUSTER", "INFO")))).every((info) => String(info).includes("cluster_state:ok")), 15_000);
    for (const admin of admins) admin.disconnect();

    // A token and its lock hash to the same slot, whatever the key.
    const names = entryNames("tokenmint:", source.key);
    const probe = new Redis(nodes[0]!.url);
    closers.push(async () => probe.disconnect());
    expect(await probe.call("CLUSTER", "KEYSLOT", names.token)).toBe(await probe.call("CLUSTER", "KEYSLOT", names.lock));

    await exerciseStores((options) => {
      const cluster = new Cluster([{ host: "127.0.0.1", port: nodes[0]!.port }]);
      const store = new RedisTokenStore({ redis: cluster, encryptionKey: generateEncryptionKey(), ...options });
      closers.push(async () => {
        await store.close();
        cluster.disconnect(); // the caller's client: the store leaves it open
      });
      return store;
    });
  }, 60_000);
});

describe("Redis Sentinel", () => {
  it("finds the master through the sentinels and works there", async () => {
    const master = await startRedisServer();
    servers.push(master);
    const sentinel = await startRedisServer({
      config: `sentinel monitor tokenmint-master 127.0.0.1 ${master.port} 1\nsentinel down-after-milliseconds tokenmint-master 1000\n`,
      args: ["--sentinel"],
    });
    servers.push(sentinel);
    const sentinels = [{ host: "127.0.0.1", port: sentinel.port }];
    await exerciseStores((options) => {
      const store = new RedisTokenStore({ redis: { sentinels, name: "tokenmint-master" }, encryptionKey: generateEncryptionKey(), ...options });
      closers.push(() => store.close());
      return store;
    });
    // It really went through the master the sentinel named.
    const direct = new Redis(master.url);
    closers.push(async () => direct.disconnect());
    expect(String(await direct.call("CLIENT", "LIST"))).toContain("name=tokenmint-store");
  }, 30_000);
});

describe("Redis Sentinel fail-over", () => {
  it("keeps working after the master is killed and the sentinel promotes the replica", async () => {
    const master = await startRedisServer();
    servers.push(master);
    const replica = await startRedisServer({ args: ["--replicaof", "127.0.0.1", String(master.port)] });
    servers.push(replica);
    const sentinel = await startRedisServer({
      config: [
        `sentinel monitor failover-master 127.0.0.1 ${master.port} 1`,
        "sentinel down-after-milliseconds failover-master 500",
        "sentinel failover-timeout failover-master 3000",
        "sentinel parallel-syncs failover-master 1",
        "",
      ].join("\n"),
      args: ["--sentinel"],
    });
    servers.push(sentinel);
    const replicaClient = new Redis(replica.url);
    const sentinelClient = new Redis(sentinel.url);
    closers.push(async () => {
      replicaClient.disconnect();
      sentinelClient.disconnect();
    });
    // The sentinel must know the replica before it can promote it.
    await waitUntil(async () => String(await replicaClient.info("replication")).includes("master_link_status:up"), 15_000);
    await waitUntil(async () => ((await sentinelClient.call("SENTINEL", "REPLICAS", "failover-master")) as unknown[]).length > 0, 15_000);

    const prefix = uniquePrefix();
    const store = new RedisTokenStore({ redis: { sentinels: [{ host: "127.0.0.1", port: sentinel.port }], name: "failover-master" }, encryptionKey: generateEncryptionKey(), keyPrefix: prefix, commandTimeoutMs: 500 });
    closers.push(() => store.close());
    await store.ready();
    await store.set("test:failover:before", token("before-failover"));
    await waitUntil(async () => (await replicaClient.exists(entryNames(prefix, "test:failover:before").token)) === 1, 5_000);

    await master.kill();
    await waitUntil(async () => {
      const address = (await sentinelClient.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "failover-master")) as string[];
      return address[1] === String(replica.port);
    }, 20_000);

    // Through the promoted replica: the replicated entry is there, writes land, the lock works.
    await waitUntil(async () => (await store.get("test:failover:before"))?.value.reveal() === "before-failover", 20_000);
    await waitUntil(async () => {
      await store.set("test:failover:after", token("after-failover"));
      return (await replicaClient.exists(entryNames(prefix, "test:failover:after").token)) === 1;
    }, 10_000);
    expect(await store.withLock("test:failover:lock", async () => (await replicaClient.exists(entryNames(prefix, "test:failover:lock").lock)) === 1)).toBe(true);
    const before = emu.server.count("token");
    const manager = new TokenManager({ store });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => manager.getToken(source)));
    expect(new Set(tokens.map((t) => t.value.reveal())).size).toBe(1);
    expect(emu.server.count("token") - before).toBe(1);
  }, 90_000);
});

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
