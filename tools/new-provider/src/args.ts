// Command-line arguments of `pnpm new-provider`.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { checkCapabilities, DEFAULT_CAPABILITIES, type ScaffoldCapability, splitCapabilities } from "./capabilities.js";
import type { LinkMode } from "./scaffold.js";

export const USAGE = `usage: pnpm new-provider <id> [--display-name <name>] [--capabilities issue[,list][,revoke]] [--link pnpm|symlink|none] [--root <dir>]
  <id>                   provider id: lowercase words joined by hyphens (e.g. acme, my-idp); the package is
                         @tokenmint/provider-<id>, the spec specs/providers/<id>.json
  --display-name <name>  the descriptor's display name (default: the id's words, capitalised)
  --capabilities <list>  operations to generate, comma-separated: issue (required, the default), list, revoke.
                         list: a paginated listing of the issued tokens; revoke: deletion by token id.
                         Each comes with its spec operation, client method, emulator route, CLI runner and tests
  --link pnpm            (default) run pnpm install --offline: links the package, records it in pnpm-lock.yaml
  --link symlink         only link the new package's workspace dependencies; run pnpm install before committing
  --link none            link nothing
  --root <dir>           the workspace root (default: the nearest directory above with pnpm-workspace.yaml)
  --help                 show this text`;

export interface CliArgs {
  readonly id: string | undefined;
  readonly displayName: string | undefined;
  readonly capabilities: readonly ScaffoldCapability[];
  readonly link: LinkMode;
  readonly root: string;
  readonly help: boolean;
}

/** The nearest directory at or above `start` holding pnpm-workspace.yaml (else `start`). */
export function findRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

/** Parses the arguments; returns an error message for a usage error. */
export function parseArgs(argv: readonly string[], cwd: string): CliArgs | string {
  let id: string | undefined;
  let displayName: string | undefined;
  let requested: string[] | undefined;
  let link: LinkMode = "pnpm";
  let root: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === "--help" || flag === "-h") help = true;
    else if (flag === "--display-name") {
      displayName = value();
      if (displayName === undefined) return "--display-name needs a value";
    } else if (flag === "--capabilities") {
      const v = value();
      if (v === undefined) return "--capabilities needs a value, e.g. issue,list,revoke";
      // Repeating the flag adds to the list: --capabilities issue --capabilities list.
      requested = [...(requested ?? []), ...splitCapabilities(v)];
    } else if (flag === "--link") {
      const v = value();
      if (v !== "pnpm" && v !== "symlink" && v !== "none") return "--link takes pnpm, symlink or none";
      link = v;
    } else if (flag === "--root") {
      const v = value();
      if (v === undefined || v === "") return "--root needs a directory";
      root = resolve(cwd, v);
    } else if (flag === "--") continue;
    else if (arg.startsWith("-")) return `unknown option ${JSON.stringify(arg)}`;
    else if (id !== undefined) return `one provider id at a time (got ${JSON.stringify(id)} and ${JSON.stringify(arg)})`;
    else id = arg;
  }
  const capabilities = requested === undefined ? DEFAULT_CAPABILITIES : checkCapabilities(requested);
  if (typeof capabilities === "string") return capabilities;
  return { id, displayName, capabilities, link, root: root ?? findRoot(cwd), help };
}
