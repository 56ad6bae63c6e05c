// The file token store shared by processes: cached reads per second in 8 concurrent processes (ratio to
// the physical floor of a file cache, measured in alternating rounds in each process), and upstream
// calls for 10,000 getToken() spread over 8 processes on a cold store, against the IDCS emulator.
// This file is also its own worker: `node --import tsx file-store.ts worker <json>`.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { issueSource, Secret, type Token, type TokenStore } from "@tokenmint/core";
import { FileTokenStore, TokenManager } from "@tokenmint/core/tokens";
import { createIdcsClient } from "@tokenmint/provider-idcs";
import { startEmulator } from "@tokenmint/provider-idcs/emulator";
import { fmt, type Measured, measure, median } from "../harness.js";
import type { Row } from "../report.js";

const SELF = fileURLToPath(import.meta.url);
const PROCESSES = 8;
const REQUESTS = 10_000;
const KEY = "bench:config:request";

type WorkerTask =
  | { kind: "reads"; store: string; rounds: number; roundMs: number }
  | { kind: "cold"; store: string; callers: number; lock: boolean; domainUrl: string; clientId: string; clientSecret: string };

const token = (i: number): Token => ({ provider: "bench", value: new Secret(`value-${i}-${"x".repeat(800)}`), tokenType: "Bearer", issuedAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000), scopes: [{ raw: "urn:bench:scope", name: "urn:bench:scope" }], raw: {} });

export async function fileStoreSuite(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), "tokenmint-bench-file-store-"));
  try {
    return [...(await readsAcrossProcesses(dir)), ...(await coldStoreAcrossProcesses(dir))];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function readsAcrossProcesses(dir: string): Promise<Row[]> {
  const store = join(dir, "reads.json");
  const writer = new FileTokenStore({ path: store });
  for (let i = 0; i < 20; i++) await writer.set(i === 0 ? KEY : `other-${i}`, token(i)); // a store with 20 entries
  const perProcess = (await runWorkers<Measured[]>(PROCESSES, { kind: "reads", store, rounds: 7, roundMs: 300 })).results;
  const ratiosTo = (i: number, base: number) => perProcess.map((m) => median(m[i]!.perRound.map((v, r) => v / m[base]!.perRound[r]!)));
  const total = (i: number) => perProcess.reduce((sum, m) => sum + m[i]!.median, 0);
  const vsParse = ratiosTo(2, 0);
  const vsStat = ratiosTo(2, 1);
  const managerTotal = total(3);
  return [
    { figure: "FileTokenStore.get() / readFile + JSON.parse of the store (8 processes at once)", value: median(vsParse), spread: [Math.min(...vsParse), Math.max(...vsParse)], goal: ">= 1.0 (an unchanged file is not read again)", context: `${fmt(total(2))}/s vs ${fmt(total(0))}/s, summed over ${PROCESSES} processes; spread across processes` },
    { figure: "FileTokenStore.get() / one fs.stat (the check it makes per read)", value: median(vsStat), spread: [Math.min(...vsStat), Math.max(...vsStat)], goal: ">= 0.8", context: `${fmt(total(1))}/s stat calls summed` },
    { figure: "cached reads through the file store (FileTokenStore.get) per second, 8 processes summed", value: Math.round(total(2)), goal: "context only", context: `a new TokenManager per read (what a CLI run does): ${fmt(managerTotal)}/s; per process: ${perProcess.map((m) => fmt(m[2]!.median)).join(", ")}` },
  ];
}

async function coldStoreAcrossProcesses(dir: string): Promise<Row[]> {
  const emu = await startEmulator();
  try {
    const app = emu.credentials.secretApp;
    const callers = REQUESTS / PROCESSES;
    const run = async (lock: boolean) => {
      const store = join(dir, `cold-${lock ? "lock" : "nolock"}.json`);
      const before = emu.tokenRequests.issued;
      const { ms } = await runWorkers<{ values: number }>(PROCESSES, { kind: "cold", store, callers, lock, domainUrl: emu.url, clientId: app.clientId, clientSecret: app.clientSecret });
      return { upstream: emu.tokenRequests.issued - before, ms };
    };
    const locked = await run(true);
    const unlocked = await run(false);
    return [
      {
        figure: `upstream calls for ${REQUESTS.toLocaleString("en")} cold getToken() from ${PROCESSES} processes sharing a file store`,
        value: locked.upstream,
        goal: "1",
        context: `all served in ${Math.round(locked.ms)} ms; the same store without its lock (withLock hidden): ${unlocked.upstream} calls`,
      },
    ];
  } finally {
    await emu.close();
  }
}

interface RunningWorker<T> {
  /** Resolves once the worker has loaded everything and waits for go(). */
  readonly ready: Promise<void>;
  go(): void;
  readonly result: Promise<T>;
}

/** Starts this file as a worker process; it prints "ready", waits for go(), then prints one JSON line. */
function startWorker<T>(task: WorkerTask): RunningWorker<T> {
  const child = spawn(process.execPath, ["--import", "tsx", SELF, "worker", JSON.stringify(task)], { cwd: dirname(dirname(SELF)), stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    if (out.startsWith("ready\n")) markReady();
  });
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const result = new Promise<T>((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`file-store bench worker exited with ${code}: ${err.slice(0, 1000)}`));
      else resolvePromise(JSON.parse(out.trim().split("\n").at(-1)!) as T);
    });
  });
  return { ready: Promise.race([ready, result.then(() => {})]), go: () => child.stdin.end("go\n"), result };
}

/** Starts n workers, lets them all go at once (so the store is cold for each), and collects their results. */
async function runWorkers<T>(n: number, task: WorkerTask): Promise<{ results: T[]; ms: number }> {
  const workers = Array.from({ length: n }, () => startWorker<T>(task));
  await Promise.all(workers.map((w) => w.ready));
  const started = performance.now();
  for (const w of workers) w.go();
  const results = await Promise.all(workers.map((w) => w.result));
  return { results, ms: performance.now() - started };
}

/** Everything a worker sets up before "ready"; the returned function is the measured part. */
async function prepare(task: WorkerTask): Promise<() => Promise<unknown>> {
  if (task.kind === "reads") {
    const store = new FileTokenStore({ path: task.store });
    const source = {
      key: KEY,
      issue: async (): Promise<Token> => {
        throw new Error("the bench store holds this token; no upstream call expected");
      },
    };
    await store.get(KEY);
    return () =>
      measure(
        [
          // The floor of a file cache that reads on every lookup: read and parse the whole file.
          { name: "floor: readFile + JSON.parse", run: async (n) => { for (let i = 0; i < n; i++) JSON.parse(await readFile(task.store, "utf8")); } },
          { name: "floor: fs.stat", run: async (n) => { for (let i = 0; i < n; i++) await stat(task.store, { bigint: true }); } },
          { name: "FileTokenStore.get", run: async (n) => { for (let i = 0; i < n; i++) await store.get(KEY); } },
          { name: "new TokenManager + getToken via the store", run: async (n) => { for (let i = 0; i < n; i++) await new TokenManager({ store: new FileTokenStore({ path: task.store }) }).getToken(source); } },
        ],
        { rounds: task.rounds, roundMs: task.roundMs },
      );
  }
  const client = await createIdcsClient({ domainUrl: task.domainUrl, clientId: task.clientId, clientSecret: task.clientSecret }, { env: {} });
  const file = new FileTokenStore({ path: task.store });
  // Without the lock: the same file, but the manager cannot coordinate the refresh across processes.
  const store: TokenStore = task.lock ? file : { get: (k) => file.get(k), set: (k, t) => file.set(k, t), delete: (k) => file.delete(k) };
  const manager = new TokenManager({ store });
  const source = issueSource(client, { grant: "client_credentials" as const });
  return async () => {
    const tokens = await Promise.all(Array.from({ length: task.callers }, () => manager.getToken(source)));
    return { values: new Set(tokens.map((t) => t.value.reveal())).size };
  };
}

if (process.argv[2] === "worker" && resolve(process.argv[1] ?? "") === SELF) {
  const run = await prepare(JSON.parse(process.argv[3]!) as WorkerTask);
  process.stdout.write("ready\n");
  await new Promise<void>((go) => process.stdin.once("data", () => go()));
  process.stdin.pause();
  const result = await run();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
