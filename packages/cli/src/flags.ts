import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { type CliFlag, type CliValue, Secret, TokenmintError } from "@tokenmint/core";
import type { CliIo, Reporter } from "./io.js";

type ParseArgsOptions = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/** Flags every command accepts. */
export const GLOBAL_FLAGS: readonly CliFlag[] = [
  { name: "help", description: "Show help for the command.", type: "boolean" },
  { name: "quiet", description: "Print nothing on stderr but errors and warnings.", type: "boolean" },
  { name: "debug", description: "Log requests (redacted) and print stack traces on errors.", type: "boolean" },
  { name: "no-color", description: "No colours (also when NO_COLOR is set).", type: "boolean" },
  { name: "profile", description: "Profile of the config file to take defaults from (default: \"default\").", type: "string" },
  { name: "config", description: "Config file (default: ./tokenmint.config.json).", type: "string" },
  { name: "plugin", description: "Load a provider from a package or module (repeatable).", type: "list" },
];

export interface ParsedCommandLine {
  readonly values: Record<string, CliValue>;
  readonly positionals: readonly string[];
}

/** parseArgs options for declared flags; secret flags also get `-file` and `-stdin` variants. */
function toParseOptions(flags: readonly CliFlag[]): ParseArgsOptions {
  const out: ParseArgsOptions = {};
  for (const f of flags) {
    out[f.name] = { type: f.type === "boolean" ? "boolean" : "string", multiple: f.type === "list" };
    if (f.secret) {
      out[`${f.name}-file`] = { type: "string" };
      out[`${f.name}-stdin`] = { type: "boolean" };
    }
  }
  return out;
}

/** Parses a command line against declared flags; unknown flags are usage errors naming the flag. */
export function parseCommandLine(args: readonly string[], flags: readonly CliFlag[]): ParsedCommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options: toParseOptions(flags), strict: true, allowPositionals: true });
  } catch (error) {
    throw new TokenmintError("invalid_request", error instanceof Error ? error.message.replace(/\. To specify.*$/s, "") : "bad command line");
  }
  return { values: parsed.values as Record<string, CliValue>, positionals: parsed.positionals };
}

/**
 * Resolves declared flags to values: command line, then `-file`/`-stdin` for secrets, then the
 * environment, then config-file defaults. Secrets come out wrapped; inline secrets draw a warning.
 */
export async function resolveFlags(flags: readonly CliFlag[], parsed: ParsedCommandLine, defaults: Readonly<Record<string, unknown>>, io: CliIo, reporter: Reporter): Promise<Record<string, CliValue>> {
  const out: Record<string, CliValue> = {};
  let stdinUsedBy: string | undefined;
  for (const f of flags) {
    let value: CliValue = parsed.values[f.name];
    if (f.secret) {
      const file = parsed.values[`${f.name}-file`];
      const fromStdin = parsed.values[`${f.name}-stdin`] === true;
      if (value !== undefined) reporter.warn(`--${f.name} was given on the command line, where other users and shell history can see it; prefer --${f.name}-file, --${f.name}-stdin${f.env ? ` or ${f.env}` : ""}`);
      if (typeof file === "string") value = await readSecretFile(resolve(io.cwd, file), f.name);
      else if (fromStdin) {
        if (stdinUsedBy !== undefined) throw new TokenmintError("invalid_request", `only one secret can come from stdin (--${stdinUsedBy}-stdin and --${f.name}-stdin)`);
        stdinUsedBy = f.name;
        value = (await readAll(io.stdin)).replace(/\r?\n$/, "");
      }
    }
    if (value === undefined && f.env !== undefined && io.env[f.env] !== undefined && io.env[f.env] !== "") value = io.env[f.env];
    if (value === undefined && defaults[f.name] !== undefined) {
      const d = defaults[f.name];
      value = Array.isArray(d) ? d.map(String) : (d as CliValue);
    }
    if (value === undefined) {
      if (f.required) throw new TokenmintError("invalid_request", `missing --${f.name}${f.secret ? ` (or --${f.name}-file / --${f.name}-stdin)` : ""}${f.env ? ` or ${f.env}` : ""}: ${f.description}`);
      continue;
    }
    out[f.name] = coerce(f, value);
  }
  return out;
}

function coerce(f: CliFlag, value: CliValue): CliValue {
  if (f.secret) return value instanceof Secret ? value : new Secret(String(value));
  switch (f.type) {
    case "number": {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new TokenmintError("invalid_request", `--${f.name} must be a number`);
      return n;
    }
    case "boolean":
      return value === true || value === "true" || value === "1";
    case "list":
      return Array.isArray(value) ? value : [String(value)];
    default:
      return String(value);
  }
}

async function readSecretFile(path: string, name: string): Promise<Secret> {
  try {
    return new Secret((await readFile(path, "utf8")).replace(/\r?\n$/, ""));
  } catch (error) {
    throw new TokenmintError("configuration", `cannot read --${name}-file ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
