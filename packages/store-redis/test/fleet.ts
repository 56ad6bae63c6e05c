// The parent side of the fleet tests (and `pnpm bench`): forks worker processes that run the store
// from its TypeScript sources, so the tests need no build.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface WorkerConfig {
  redisUrl: string;
  encryptionKey: string;
  keyPrefix: string;
  domainUrl: string;
  clientId: string;
  clientSecret: string;
  managers: number;
  /** false: the store without its refresh lock (get/set/delete only), the baseline the lock is measured against. */
  lock?: boolean | undefined;
  lockTtlMs?: number | undefined;
  pollIntervalMs?: number | undefined;
  expiryMarginMs?: number | undefined;
  refreshWindowMs?: number | undefined;
}

export type WorkerRequest =
  | { type: "config"; config: WorkerConfig }
  | { type: "burst"; callers: number }
  | { type: "until-refreshed"; previous: string; timeoutMs: number }
  | { type: "exit" };

export type WorkerReply =
  | { type: "ready"; pid: number }
  | { type: "done"; pid: number; ok: number; failed: number; errors: string[]; digests: string[]; ms: number; events: string[] }
  | { type: "error"; pid: number; message: string };

export type Done = Extract<WorkerReply, { type: "done" }>;

export interface FleetWorker {
  readonly pid: number;
  readonly process: ChildProcess;
  /** Sends a request and resolves with the worker's next reply. */
  ask(request: WorkerRequest): Promise<WorkerReply>;
  /** Sends a burst and resolves with its result (rejects when the worker fails or dies). */
  burst(callers: number): Promise<Done>;
  stop(): Promise<void>;
}

const workerPath = fileURLToPath(new URL("./fleet-worker.ts", import.meta.url));
// Workers start in the package directory, where `tsx` (a dev dependency) resolves.
const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Forks `count` workers, configures them, and resolves once all are connected to Redis. */
export async function startFleet(count: number, config: WorkerConfig): Promise<FleetWorker[]> {
  const workers = Array.from({ length: count }, () => startWorker());
  try {
    await Promise.all(workers.map(async (w) => expectType(await w.ask({ type: "config", config }), "ready")));
  } catch (error) {
    await Promise.all(workers.map((w) => w.stop()));
    throw error;
  }
  return workers;
}

export async function stopFleet(workers: readonly FleetWorker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.stop()));
}

function startWorker(): FleetWorker {
  // tsx runs the TypeScript sources; the tokenmint-source condition resolves workspace packages to them.
  const child = fork(workerPath, [], { cwd: packageDir, execArgv: ["--conditions=tokenmint-source", "--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => {
    exited = true;
    resolve();
  }));
  const ask = (request: WorkerRequest) =>
    new Promise<WorkerReply>((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        child.off("exit", onExit);
        resolve(reply);
      };
      const onExit = (code: number | null, signal: string | null) => {
        child.off("message", onMessage);
        reject(new Error(`fleet worker ${child.pid} exited (code ${code}, signal ${signal}) before answering ${request.type}`));
      };
      child.once("message", onMessage);
      child.once("exit", onExit);
      child.send(request, (error) => {
        if (error) onExit(child.exitCode, child.signalCode);
      });
    });
  return {
    pid: child.pid!,
    process: child,
    ask,
    async burst(callers) {
      return expectType(await ask({ type: "burst", callers }), "done");
    },
    async stop() {
      if (exited) return;
      child.send({ type: "exit" } satisfies WorkerRequest, () => {});
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

function expectType<T extends WorkerReply["type"]>(reply: WorkerReply, type: T): Extract<WorkerReply, { type: T }> {
  if (reply.type !== type) throw new Error(`fleet worker ${reply.pid} answered ${reply.type}${reply.type === "error" ? `: ${reply.message}` : ""}`);
  return reply as Extract<WorkerReply, { type: T }>;
}
