import { once } from "node:events";
import type { EmulatorHandle } from "@tokenmint/core";
import { TokenmintError } from "@tokenmint/core";
import type { CommandContext } from "../context.js";
import { type FoundProvider, loadEmulator } from "../discover.js";
import { EXIT } from "../exit-codes.js";
import { GLOBAL_FLAGS, parseCommandLine } from "../flags.js";
import { exitCodeForAbort, onFirstSignal, SignalReceived } from "../signals.js";

export const EMULATE_FLAGS = [
  { name: "providers", description: "Comma-separated provider ids (default: every installed provider with an emulator).", type: "string" },
  { name: "port", description: "id=port pairs for fixed ports, e.g. --port oci=9001 (repeatable; default: a free port each).", type: "list" },
  { name: "host", description: "Address to listen on (default 127.0.0.1; loopback only is recommended).", type: "string" },
  { name: "json", description: "Compact JSON on one line.", type: "boolean" },
] as const;

type Started = Map<string, { provider: FoundProvider; handle: EmulatorHandle }>;

async function closeAll(started: Started): Promise<void> {
  await Promise.allSettled([...started.values()].map((s) => s.handle.close()));
}

/**
 * Starts the chosen emulators; on failure closes the ones already started. Once `signal` is aborted no
 * further emulator is started: those started so far are returned (a start under way, which cannot be
 * cancelled, is waited for and returned too), for the caller to close.
 */
export async function startEmulators(ctx: CommandContext, ids: readonly string[] | undefined, ports: ReadonlyMap<string, number>, host: string | undefined, signal?: AbortSignal): Promise<Started> {
  const chosen = ids ?? [...ctx.providers.values()].filter((p) => p.definition.emulator !== undefined).map((p) => p.id).sort();
  const started: Started = new Map();
  try {
    for (const id of chosen) {
      if (signal?.aborted) break;
      const provider = ctx.providers.get(id);
      if (provider === undefined) throw new TokenmintError("configuration", `no provider "${id}" is installed`);
      const start = await loadEmulator(provider);
      if (start === undefined) throw new TokenmintError("unsupported", `provider ${id} has no emulator`, { provider: id });
      if (signal?.aborted) break;
      const handle = await start({ ...(host ? { host } : {}), ...(ports.has(id) ? { port: ports.get(id)! } : {}) });
      started.set(id, { provider, handle });
    }
  } catch (error) {
    await closeAll(started);
    throw error;
  }
  return started;
}

export async function emulateCommand(ctx: CommandContext, args: readonly string[]): Promise<number> {
  // Signal handlers first, before any emulator starts: a signal during start-up stops what has started
  // and ends the command with the signal's exit code; once running, a signal is the normal way to stop
  // (exit 0). After the first signal the handlers are gone, so a second one ends the process outright.
  const stop = new AbortController();
  const removeHandlers = onFirstSignal(["SIGINT", "SIGTERM"], (signal) => stop.abort(new SignalReceived(signal)));
  const onCallerAbort = () => stop.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onCallerAbort();
  else ctx.signal.addEventListener("abort", onCallerAbort, { once: true });
  try {
    const parsed = parseCommandLine(args, [...GLOBAL_FLAGS, ...EMULATE_FLAGS]);
    const list = parsed.values["providers"];
    const ids = typeof list === "string" ? list.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
    const ports = new Map<string, number>();
    for (const pair of (parsed.values["port"] as string[] | undefined) ?? []) {
      const [id, port] = pair.split("=");
      const n = Number(port);
      if (!id || !Number.isInteger(n) || n < 0 || n > 65535) throw new TokenmintError("invalid_request", `--port ${pair}: expected id=port`);
      ports.set(id, n);
    }
    const started = await startEmulators(ctx, ids, ports, parsed.values["host"] as string | undefined, stop.signal);
    if (stop.signal.aborted) {
      await closeAll(started);
      ctx.reporter.warn(`interrupted during start-up: ${started.size === 0 ? "no emulator had started" : `${started.size} emulator(s) started and stopped`}`);
      return exitCodeForAbort(stop.signal.reason);
    }
    const doc = { emulators: Object.fromEntries([...started].map(([id, s]) => [id, { url: s.handle.url, credentials: s.handle.credentials }])) };
    ctx.io.stdout.write(parsed.values["json"] === true ? `${JSON.stringify(doc)}\n` : `${JSON.stringify(doc, null, 2)}\n`);
    ctx.reporter.info(`${started.size} emulator(s) running on loopback; Ctrl-C to stop`);
    if (!stop.signal.aborted) await once(stop.signal, "abort");
    await closeAll(started);
    ctx.reporter.info("emulators stopped");
    return EXIT.ok;
  } finally {
    removeHandlers();
    ctx.signal.removeEventListener("abort", onCallerAbort);
  }
}
