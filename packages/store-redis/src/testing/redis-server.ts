// A throwaway redis-server on a loopback port, for tests and benchmarks: no persistence, its own
// temporary directory, stoppable, killable and restartable on the same port (outage tests).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TokenmintError } from "@tokenmint/core";

export interface RedisServerOptions {
  /** The redis-server binary. Default `$REDIS_SERVER_BIN`, else `redis-server` on the PATH. */
  binary?: string | undefined;
  /** Default: a free port. */
  port?: number | undefined;
  /** Extra command-line arguments (e.g. `["--requirepass", "..."]`, `["--cluster-enabled", "yes"]`). */
  args?: readonly string[] | undefined;
  /**
   * Text of a configuration file, written to the server's directory and given first (Sentinel needs
   * one it can rewrite: `sentinel monitor ...` lines with `args: ["--sentinel"]`).
   */
  config?: string | undefined;
  /** Longest wait for the server to answer PING. Default 10 s. */
  startTimeoutMs?: number | undefined;
}

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Pid of the running server (undefined while stopped). */
  readonly pid: number | undefined;
  /** Kills the server (SIGKILL by default: an outage, not a shutdown) and waits until it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port (after {@link kill}), empty. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";

/** Starts `redis-server` on a loopback port; rejects with `configuration` when there is no such binary. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? process.env["REDIS_SERVER_BIN"] ?? "redis-server";
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), "tokenmint-redis-"));
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  let child: ChildProcess | undefined;
  let stopped = false;
  const onExit = () => child?.kill("SIGKILL");
  process.once("exit", onExit);

  async function launch(): Promise<void> {
    const config = options.config === undefined ? [] : [join(dir, "server.conf")];
    if (options.config !== undefined) await writeFile(config[0]!, options.config, { mode: 0o600 });
    const args = [...config, "--port", String(port), "--bind", HOST, "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--loglevel", "warning", ...(options.args ?? [])];
    const proc = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
    child = proc;
    let stderr = "";
    proc.stderr?.on("data", (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString("utf8");
    });
    const failed = new Promise<never>((_, reject) => {
      proc.once("error", (error: NodeJS.ErrnoException) => {
        reject(
          error.code === "ENOENT"
            ? new TokenmintError("configuration", `redis-server not found (looked for ${JSON.stringify(binary)}): install it (Debian/Ubuntu: apt-get install -y redis-server) or set REDIS_SERVER_BIN`)
            : new TokenmintError("configuration", `cannot start ${binary}: ${error.message}`),
        );
      });
      proc.once("exit", (code) => reject(new TokenmintError("configuration", `redis-server exited with code ${code} before answering: ${stderr.trim().slice(0, 500)}`)));
    });
    failed.catch(() => {});
    await Promise.race([failed, waitForPong(port, startTimeoutMs)]);
  }

  async function kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill(signal);
    await exited;
  }

  try {
    await launch();
  } catch (error) {
    await kill();
    await rm(dir, { recursive: true, force: true });
    process.off("exit", onExit);
    throw error;
  }

  return {
    url: `redis://${HOST}:${port}`,
    port,
    get pid() {
      return child?.pid;
    },
    kill,
    async restart() {
      if (stopped) throw new TokenmintError("configuration", "this redis-server was stopped");
      await kill();
      await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill("SIGTERM");
      await rm(dir, { recursive: true, force: true });
      process.off("exit", onExit);
    },
  };
}

/** A port that was free a moment ago on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until the server answers PING (raw RESP, so no client library is involved). */
async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await pong(port)) return;
    if (Date.now() > until) throw new TokenmintError("timeout", `redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    let data = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      data += chunk.toString("utf8");
      // A server with --requirepass answers -NOAUTH: it is up all the same.
      if (data.includes("\r\n")) done(data.startsWith("+PONG") || data.startsWith("-NOAUTH"));
    });
  });
}
