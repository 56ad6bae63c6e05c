// Command-line arguments of `pnpm codegen`.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const USAGE = `usage: pnpm codegen [--check] [--root <dir>]
  --check       write nothing; exit 1 listing every drifted, missing or stale generated file
  --root <dir>  the repository root (default: this checkout)
  --help        show this text`;

/** The checkout this file belongs to: tools/codegen/src/args.ts -> ../../.. */
const DEFAULT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export interface CliArgs {
  readonly check: boolean;
  readonly root: string;
  readonly help: boolean;
}

/** Parses the arguments; returns an error message for a usage error. */
export function parseArgs(argv: readonly string[]): CliArgs | string {
  let check = false;
  let help = false;
  let root = DEFAULT_ROOT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--check") check = true;
    else if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--root") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--")) return "--root needs a directory";
      root = resolve(value);
    } else if (arg.startsWith("--root=")) {
      const value = arg.slice("--root=".length);
      if (value === "") return "--root needs a directory";
      root = resolve(value);
    } else return `unknown ${arg.startsWith("-") ? "option" : "argument"} ${JSON.stringify(arg)}`;
  }
  return { check, root, help };
}
