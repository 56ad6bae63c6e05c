// One process of a simulated fleet: a RedisTokenStore shared by a few TokenManagers (as several
// libraries in one service would have), all asking the IDCS emulator for one token. Driven over IPC
// by fleet.ts, so the parent decides when every process starts (a cold start at the same instant).
import { createHash } from "node:crypto";
import { issueSource, type LogEvent, Secret, type Token, type TokenSource, type TokenStore } from "@tokenmint/core";
import { TokenManager } from "@tokenmint/core/tokens";
import { createIdcsClient } from "@tokenmint/provider-idcs";
import { RedisTokenStore } from "../src/index.js";
import type { WorkerConfig, WorkerReply, WorkerRequest } from "./fleet.js";

let store: RedisTokenStore | undefined;
let managers: TokenManager[] = [];
let source: TokenSource | undefined;
const events: LogEvent[] = [];

const send = (reply: WorkerReply) => process.send?.(reply);
const digest = (token: Token) => createHash("sha256").update(token.value.reveal()).digest("hex").slice(0, 16);

async function setup(config: WorkerConfig): Promise<void> {
  store = new RedisTokenStore({
    redis: config.redisUrl,
    encryptionKey: new Secret(config.encryptionKey),
    keyPrefix: config.keyPrefix,
    lockTtlMs: config.lockTtlMs,
    pollIntervalMs: config.pollIntervalMs,
    logger: (e) => events.push(e),
  });
  await store.ready();
  const client = await createIdcsClient({ domainUrl: config.domainUrl, clientId: config.clientId, clientSecret: config.clientSecret, maxAttempts: 1 }, { env: {} });
  source = issueSource(client, { grant: "client_credentials" });
  const shared = store;
  const plain: TokenStore = { get: (k) => shared.get(k), set: (k, t) => shared.set(k, t), delete: (k) => shared.delete(k) };
  managers = Array.from({ length: config.managers }, () => new TokenManager({ store: config.lock === false ? plain : shared, expiryMarginMs: config.expiryMarginMs, refreshWindowMs: config.refreshWindowMs, logger: (e) => events.push(e) }));
}

/** `callers` concurrent getToken() spread over the managers; every outcome is reported, none thrown. */
async function burst(callers: number): Promise<WorkerReply> {
  const started = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: callers }, (_, i) => managers[i % managers.length]!.getToken(source!)));
  const digests = new Set<string>();
  const errors: string[] = [];
  for (const o of outcomes) {
    if (o.status === "fulfilled") digests.add(digest(o.value));
    else errors.push(o.reason instanceof Error ? `${(o.reason as { code?: string }).code ?? o.reason.name}: ${o.reason.message}` : String(o.reason));
  }
  return { type: "done", pid: process.pid, ok: callers - errors.length, errors: errors.slice(0, 5), failed: errors.length, digests: [...digests], ms: performance.now() - started, events: events.map((e) => `${e.level}: ${e.message}`) };
}

/** Waits until every manager serves a token other than `previous` (a proactive refresh landed). */
async function untilRefreshed(previous: string, timeoutMs: number): Promise<WorkerReply> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const reply = await burst(managers.length * 10);
    if (reply.type === "done" && (reply.failed > 0 || !reply.digests.includes(previous) || Date.now() > until)) return reply;
    await new Promise((r) => setTimeout(r, 25));
  }
}

process.on("message", (message: WorkerRequest) => {
  const run = async () => {
    if (message.type === "config") {
      await setup(message.config);
      send({ type: "ready", pid: process.pid });
    } else if (message.type === "burst") {
      send(await burst(message.callers));
    } else if (message.type === "until-refreshed") {
      send(await untilRefreshed(message.previous, message.timeoutMs));
    } else if (message.type === "exit") {
      await store?.close();
      process.exit(0);
    }
  };
  run().catch((error: unknown) => {
    send({ type: "error", pid: process.pid, message: error instanceof Error ? error.message : String(error) });
  });
});
