import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The real workspace this tool lives in. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const TSX = join(REPO, "node_modules/tsx/dist/cli.mjs");
export const TSC = join(REPO, "node_modules/typescript/bin/tsc");
export const VITEST = join(REPO, "node_modules/vitest/vitest.mjs");
export const BIOME = join(REPO, "node_modules/@biomejs/biome/bin/biome");
export const SCAFFOLD_CLI = join(REPO, "tools/new-provider/src/cli.ts");
export const CODEGEN_CLI = join(REPO, "tools/codegen/src/cli.ts");

/**
 * A temporary copy of the part of the workspace a provider package needs: the root files and the core
 * specs, copied; `packages/core`, `tools/bundle` and `node_modules`, symlinked to the real ones (read, never written
 * when core is built, as turbo's ^build makes sure), so nothing is installed or rebuilt.
 */
export async function workspaceCopy(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "new-provider-"));
  for (const file of ["package.json", "pnpm-workspace.yaml", "tsconfig.base.json", "biome.json", "pnpm-lock.yaml"]) await cp(join(REPO, file), join(root, file));
  await cp(join(REPO, "specs/core"), join(root, "specs/core"), { recursive: true });
  await mkdir(join(root, "packages"));
  await symlink(join(REPO, "packages/core"), join(root, "packages/core"), "dir");
  await mkdir(join(root, "tools"));
  await symlink(join(REPO, "tools/bundle"), join(root, "tools/bundle"), "dir");
  await symlink(join(REPO, "node_modules"), join(root, "node_modules"), "dir");
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/**
 * A copy of the tokenmint CLI's sources at `<root>/cli`, whose only dependency is linked to the real core.
 * The CLI looks for provider packages in the node_modules directories above the working directory and
 * above itself: a copy sees only what the test installs, not the providers linked in the real tree.
 * Returns the path of its bin.ts (run with tsx).
 */
export async function cliCopy(root: string): Promise<string> {
  const dir = join(root, "cli");
  await cp(join(REPO, "packages/cli/src"), join(dir, "src"), { recursive: true });
  await cp(join(REPO, "packages/cli/package.json"), join(dir, "package.json"));
  await mkdir(join(dir, "node_modules/@tokenmint"), { recursive: true });
  await symlink(join(REPO, "packages/core"), join(dir, "node_modules/@tokenmint/core"), "dir");
  return join(dir, "src/bin.ts");
}

/** Every file and directory under `dir` (symlinks not followed) with a hash of its content. */
export async function snapshot(dir: string, prefix = ""): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    const stats = await lstat(join(dir, rel));
    if (stats.isSymbolicLink()) out.set(rel, "symlink");
    else if (stats.isDirectory()) {
      out.set(rel, "dir");
      for (const [k, v] of await snapshot(dir, rel)) out.set(k, v);
    } else out.set(rel, createHash("sha256").update(await readFile(join(dir, rel))).digest("hex"));
  }
  return out;
}

/** Paths added, removed or changed between two snapshots. */
export function changedPaths(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p)).sort();
}

/** Starts a long-running child (node with the script and arguments) and resolves with its first stdout line. */
export function startNode(args: readonly string[], cwd: string): Promise<{ firstLine: string; stop: () => Promise<void> }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: childEnv({}), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const exited = new Promise<void>((r) => child.on("close", () => r()));
    const stop = async () => {
      child.kill("SIGTERM");
      await exited;
    };
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      const end = stdout.indexOf("\n");
      if (end >= 0) resolvePromise({ firstLine: stdout.slice(0, end), stop });
    });
    child.on("error", reject);
    child.on("close", (code) => reject(new Error(`exited ${code} before printing a line: ${stderr}`)));
  });
}

/** The environment of a child: this vitest worker's own variables do not leak into a nested vitest. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_ENV" && k !== "TEST"));
  return { ...inherited, NO_COLOR: "1", FORCE_COLOR: "0", ...extra };
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs a real child process (node with the given script and arguments). */
export function runNode(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? 1, stdout, stderr, ms: performance.now() - started }));
  });
}
