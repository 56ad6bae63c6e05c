// `tokenmint emulate` and signals: its handlers are in place before any emulator starts, so a SIGINT or
// SIGTERM during start-up stops what has started and ends it with the signal's exit code (130, 143);
// once it is running, a signal is the normal way to stop it (exit 0). Real child processes, real signals.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { emulateCommand } from "../src/commands/emulate.js";
import type { CommandContext } from "../src/context.js";
import { discoverProviders } from "../src/discover.js";
import { Reporter } from "../src/io.js";
import { SignalReceived } from "../src/signals.js";
import { BIN, ECHO_PLUGIN } from "./cli-helpers.js";

const SLOW_PLUGIN = fileURLToPath(new URL("./fixtures/slow-start-provider.mjs", import.meta.url));

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code and signal once the process is gone. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once stderr contains `text`. */
  stderrHas(text: string): Promise<void>;
}

function emulate(args: readonly string[]): Run {
  const child = spawn(process.execPath, [BIN, "emulate", "--json", ...args], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1" } });
  const guard = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const run: Run = {
    child,
    stdout: "",
    stderr: "",
    closed: new Promise((resolve) =>
      child.on("close", (code, signal) => {
        clearTimeout(guard);
        resolve({ code, signal });
      }),
    ),
    stderrHas: (text) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (run.stderr.includes(text)) resolve();
        };
        child.stderr!.on("data", check);
        child.on("close", () => reject(new Error(`exited before printing ${JSON.stringify(text)}: ${run.stderr}`)));
        check();
      }),
  };
  child.stdout!.on("data", (d: Buffer) => (run.stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (run.stderr += d.toString()));
  return run;
}

describe("tokenmint emulate and signals", () => {
  it("SIGINT right after spawn: the process ends at once, interrupted, having started nothing", async () => {
    const run = emulate(["--providers", "echo", "--plugin", ECHO_PLUGIN]);
    run.child.kill("SIGINT");
    const { code, signal } = await run.closed;
    // Before Node runs any of the CLI, the signal's default action ends it (nothing had started); from
    // the first line of bin.ts on, the handlers turn it into a clean exit with code 130.
    if (signal === null) {
      expect(code).toBe(130);
      expect(run.stderr).toMatch(/interrupted/);
    } else expect(signal).toBe("SIGINT");
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toContain("Ctrl-C to stop");
  });

  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    it(`${signal} during start-up: what started is stopped (a start under way included), exit ${code}`, async () => {
      // echo starts first (ids are sorted), then slowstart's start-up waits for the signal.
      const run = emulate(["--providers", "echo,slowstart", "--plugin", ECHO_PLUGIN, "--plugin", SLOW_PLUGIN]);
      await run.stderrHas("slowstart: starting");
      run.child.kill(signal);
      expect(await run.closed).toEqual({ code, signal: null });
      expect(run.stderr).toContain("slowstart: started");
      expect(run.stderr).toContain("slowstart: closed");
      expect(run.stderr).toContain("interrupted during start-up: 2 emulator(s) started and stopped");
      expect(run.stdout).toBe("");
    });
  }

  it("SIGINT after the ready output: the emulators stop cleanly, exit 0", async () => {
    const run = emulate(["--providers", "echo", "--plugin", ECHO_PLUGIN]);
    await run.stderrHas("Ctrl-C to stop");
    const doc = JSON.parse(run.stdout) as { emulators: { echo: { url: string } } };
    expect((await fetch(`${doc.emulators.echo.url}/jwks`)).status).toBe(200);
    run.child.kill("SIGINT");
    expect(await run.closed).toEqual({ code: 0, signal: null });
    expect(run.stderr).toContain("emulators stopped");
  });

  it("in process: a run whose signal was aborted before the command started starts nothing", async () => {
    const providers = await discoverProviders({ cwd: process.cwd(), plugins: [SLOW_PLUGIN] });
    let stderr = "";
    const io = { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, stdin: process.stdin, env: { NO_COLOR: "1" }, cwd: process.cwd() };
    const aborted = new AbortController();
    aborted.abort(new SignalReceived("SIGTERM"));
    const ctx: CommandContext = { io, reporter: new Reporter(io, { quiet: false, noColor: true }), config: { plugins: [], defaultsFor: () => ({}) }, providers, signal: aborted.signal, debug: false, logger: () => {} };
    const listeners = () => process.listenerCount("SIGINT") + process.listenerCount("SIGTERM");
    const before = listeners();
    // Had slowstart's start-up begun, it would wait for a signal that never comes (and the test time out).
    expect(await emulateCommand(ctx, ["--providers", "slowstart"])).toBe(143);
    expect(stderr).toContain("interrupted during start-up: no emulator had started");
    // Its signal handlers are gone with it.
    expect(listeners()).toBe(before);
  });
});
