import { once } from "node:events";
import type { EmulatorHandle } from "@tokenmint/core";
import { TokenmintError } from "@tokenmint/core";
import type { CommandContext } from "../context.js";
import { type FoundProvider, loadEmulator } from "../discover.js";
import { EXIT } from "../exit-codes.js";
import { GLOBAL_FLAGS, parseCommandLine } from "../flags.js";

export const EMULATE_FLAGS = [
  { name: "providers", description: "Comma-separated provider ids (default: every installed provider with an emulator).", type: "string" },
  { name: "port", description: "id=port pairs for fixed ports, e.g. --port oci=9001 (repeatable; default: a free port each).", type: "list" },
  { name: "host", description: "Address to listen on (default 127.0.0.1; loopback only is recommended).", type: "string" },
  { name: "json", description: "Compact JSON on one line.", type: "boolean" },
] as const;

/** Starts the chosen emulators; on failure closes the ones already started. */
export async function startEmulators(ctx: CommandContext, ids: readonly string[] | undefined, ports: ReadonlyMap<string, number>, host: string | undefined): Promise<Map<string, { provider: FoundProvider; handle: EmulatorHandle }>> {
  const chosen = ids ?? [...ctx.providers.values()].filter((p) => p.definition.emulator !== undefined).map((p) => p.id).sort();
  const started = new Map<string, { provider: FoundProvider; handle: EmulatorHandle }>();
  try {
    for (const id of chosen) {
      const provider = ctx.providers.get(id);
      if (provider === undefined) throw new TokenmintError("configuration", `no provider "${id}" is installed`);
      const start = await loadEmulator(provider);
      if (start === undefined) throw new TokenmintError("unsupported", `provider ${id} has no emulator`, { provider: id });
      const handle = await start({ ...(host ? { host } : {}), ...(ports.has(id) ? { port: ports.get(id)! } : {}) });
      started.set(id, { provider, handle });
    }
  } catch (error) {
    await Promise.allSettled([...started.values()].map((s) => s.handle.close()));
    throw error;
  }
  return started;
}

export async function emulateCommand(ctx: CommandContext, args: readonly string[]): Promise<number> {
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
  const started = await startEmulators(ctx, ids, ports, parsed.values["host"] as string | undefined);
  const doc = { emulators: Object.fromEntries([...started].map(([id, s]) => [id, { url: s.handle.url, credentials: s.handle.credentials }])) };
  ctx.io.stdout.write(parsed.values["json"] === true ? `${JSON.stringify(doc)}\n` : `${JSON.stringify(doc, null, 2)}\n`);
  ctx.reporter.info(`${started.size} emulator(s) running on loopback; Ctrl-C to stop`);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  ctx.signal.addEventListener("abort", onSignal, { once: true });
  if (!stop.signal.aborted) await once(stop.signal, "abort");
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  await Promise.allSettled([...started.values()].map((s) => s.handle.close()));
  ctx.reporter.info("emulators stopped");
  return EXIT.ok;
}
