import { inspect } from "node:util";
import type { Logger } from "@tokenmint/core";
import { loadConfig, type CliConfig } from "./config-file.js";
import { discoverProviders, type FoundProvider } from "./discover.js";
import type { CliIo, Reporter } from "./io.js";

/** What every command gets: io, reporter, config, installed providers, and the run's abort signal. */
export interface CommandContext {
  readonly io: CliIo;
  readonly reporter: Reporter;
  readonly config: CliConfig;
  readonly providers: Map<string, FoundProvider>;
  readonly signal: AbortSignal;
  readonly debug: boolean;
  readonly logger: Logger;
}

/** Pulls the flags needed before providers are known (--plugin, --config, --profile) out of argv. */
export function prescan(args: readonly string[]): { plugins: string[]; config?: string; profile?: string } {
  const out: { plugins: string[]; config?: string; profile?: string } = { plugins: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [name, inline] = a.startsWith("--") ? (a.includes("=") ? [a.slice(2, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a.slice(2), undefined]) : [undefined, undefined];
    if (name !== "plugin" && name !== "config" && name !== "profile") continue;
    const value = inline ?? args[i + 1];
    if (inline === undefined) i++;
    if (value === undefined) continue;
    if (name === "plugin") out.plugins.push(value);
    else out[name] = value;
  }
  return out;
}

export async function createContext(io: CliIo, reporter: Reporter, args: readonly string[], signal: AbortSignal, debug: boolean): Promise<CommandContext> {
  const pre = prescan(args);
  const config = await loadConfig({ cwd: io.cwd, path: pre.config, profile: pre.profile });
  const providers = await discoverProviders({ cwd: io.cwd, plugins: [...config.plugins, ...pre.plugins] });
  const logger: Logger = debug
    ? (event) => io.stderr.write(`[${event.level}]${event.provider ? ` ${event.provider}:` : ""} ${event.message}${event.fields ? ` ${inspect(event.fields, { depth: 4, breakLength: Number.POSITIVE_INFINITY })}` : ""}\n`)
    : () => {};
  return { io, reporter, config, providers, signal, debug, logger };
}
