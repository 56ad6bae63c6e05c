// Core's TokenManager and FileTokenStore against a real provider emulator (IDCS), in this process and
// across child processes sharing one store file. Lives here because the CLI package already has the
// providers as dev dependencies; core must not depend on any provider.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeJwtUnverified, issueSource } from "@tokenmint/core";
import { FileTokenStore, TokenManager } from "@tokenmint/core/tokens";
import { createIdcsClient } from "@tokenmint/provider-idcs";
import { type IdcsEmulator, startEmulator } from "@tokenmint/provider-idcs/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const WORKER = fileURLToPath(new URL("./fixtures/cache-worker.mjs", import.meta.url));
const CLI_DIR = fileURLToPath(new URL("..", import.meta.url));

let emu: IdcsEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "tokenmint-shared-store-"));
});
afterAll(async () => emu?.close());

const client = () => createIdcsClient({ domainUrl: emu.url, clientId: emu.credentials.secretApp.clientId, clientSecret: emu.credentials.secretApp.clientSecret }, { env: {} });
const jti = (value: string) => String(decodeJwtUnverified(value).claims["jti"]);

interface Worker {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  result: Promise<{ values: string[]; ms: number }>;
  exited: Promise<number | null>;
}

function startWorker(store: string, callers: number, lockTtlMs = 30_000): Worker {
  const config = { store, domainUrl: emu.url, clientId: emu.credentials.secretApp.clientId, clientSecret: emu.credentials.secretApp.clientSecret, callers, lockTtlMs };
  // The worker imports the packages' built output (plain node), resolved from the CLI package.
  const child = spawn(process.execPath, [WORKER, JSON.stringify(config)], { cwd: CLI_DIR, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const lines = new Promise<string[]>((resolve) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      resolve(out.split("\n"));
    });
  });
  const lineMatching = (test: (l: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const hit = out.split("\n").find(test);
        if (hit !== undefined) resolve(hit);
      };
      child.stdout.on("data", check);
      void lines.then(check);
      void exited.then(() => {
        check();
        reject(new Error(`worker exited before answering (stderr: ${err.slice(0, 800)})`));
      });
    });
  return {
    child,
    exited,
    ready: lineMatching((l) => l === "ready").then(() => undefined),
    result: lineMatching((l) => l.startsWith("{")).then((l) => JSON.parse(l) as { values: string[]; ms: number }),
  };
}

describe("TokenManager with the IDCS emulator", () => {
  it("does not serve a refresh held open by latency when invalidate() came during it", async () => {
    const manager = new TokenManager();
    const source = issueSource(await client(), { grant: "client_credentials" as const });
    const before = emu.tokenRequests.issued;
    const latency = emu.server.faults.inject({ kind: "latency", route: "token", delayMs: 600 });
    const early = manager.getToken(source); // its upstream call is now held open by the emulator
    while (latency.remaining > 0) await new Promise((r) => setTimeout(r, 5));
    await manager.invalidate(source.key);
    const late = manager.getToken(source);
    const [a, b] = await Promise.all([early, late]);
    // The held-open call completed at the emulator (two tokens were issued), but nobody got its token:
    // the caller that asked before invalidate() was handed the one issued after it.
    expect(emu.tokenRequests.issued - before).toBe(2);
    expect(jti(a.value.reveal())).toBe(jti(b.value.reveal()));
    const next = await manager.getToken(source);
    expect(next.value.reveal()).toBe(b.value.reveal());
    expect(emu.tokenRequests.issued - before).toBe(2);
  });

  it("after reject(), hands out a new token though the refused one has not expired", async () => {
    const manager = new TokenManager();
    const source = issueSource(await client(), { grant: "client_credentials" as const });
    const first = await manager.getToken(source);
    await manager.reject(first);
    const second = await manager.getToken(source);
    expect(second.value.reveal()).not.toBe(first.value.reveal());
    expect(first.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 60_000);
  });
});

describe("FileTokenStore shared by processes, against the IDCS emulator", () => {
  it("8 processes x 200 concurrent getToken() on a cold store make exactly one upstream call", async () => {
    const store = join(dir, "cold.json");
    const before = emu.tokenRequests.issued;
    const workers = Array.from({ length: 8 }, () => startWorker(store, 200));
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin.end("go\n"); // all at once: the store is cold for every one
    const results = await Promise.all(workers.map((w) => w.result));
    await Promise.all(workers.map((w) => w.exited));
    expect(emu.tokenRequests.issued - before).toBe(1);
    const values = new Set(results.flatMap((r) => r.values));
    expect(values.size).toBe(1);
    expect((await new FileTokenStore({ path: store }).keys()).length).toBe(1);
    expect((await readdir(dirname(store))).filter((f) => f.startsWith("cold.json.") || f.startsWith(".cold.json"))).toEqual([]);
  }, 60_000);

  it("another process completes within the lock expiry when the lock holder is SIGKILLed mid-refresh", async () => {
    const store = join(dir, "killed.json");
    const lockTtlMs = 8_000;
    const before = emu.tokenRequests.requests;
    const latency = emu.server.faults.inject({ kind: "latency", route: "token", delayMs: 60_000 });
    const holder = startWorker(store, 10, lockTtlMs);
    void holder.result.catch(() => {}); // it is killed before it answers
    await holder.ready;
    holder.child.stdin.end("go\n");
    while (latency.remaining > 0) await new Promise((r) => setTimeout(r, 5)); // its upstream call is held open
    const locks = (await readdir(dir)).filter((f) => f.startsWith("killed.json.key-") && f.endsWith(".lock"));
    expect(locks).toHaveLength(1);
    expect((JSON.parse(await readFile(join(dir, locks[0]!), "utf8")) as { pid: number }).pid).toBe(holder.child.pid);
    const waiter = startWorker(store, 10, lockTtlMs);
    await waiter.ready;
    waiter.child.stdin.end("go\n");
    await new Promise((r) => setTimeout(r, 300));
    const killedAt = Date.now();
    holder.child.kill("SIGKILL");
    await holder.exited;
    const result = await waiter.result;
    expect(Date.now() - killedAt).toBeLessThan(lockTtlMs);
    expect(result.values).toHaveLength(1);
    expect(emu.tokenRequests.requests - before).toBe(1); // the held-open request has not reached the handler yet
    latency.cancel();
    await waiter.exited;
  }, 60_000);
});
