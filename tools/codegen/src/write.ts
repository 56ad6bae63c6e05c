// Writes generated files (only those whose content changed, atomically), removes stale ones, or in
// check mode compares without writing.
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { generate } from "./generate.js";
import { formatProblem, type SpecProblem } from "./problems.js";

export interface RunOptions {
  readonly root: string;
  /** Compare only: write nothing, exit 1 on any difference. */
  readonly check?: boolean;
  /** Receives each output line (default: stderr). */
  readonly log?: (line: string) => void;
  /** `performance.now()` when the work started, for the time in the summary (the CLI passes 0: process start). */
  readonly startedAt?: number;
}

export interface RunResult {
  /** 0: up to date / written; 1: check found drift; 2: spec problems. */
  readonly exitCode: 0 | 1 | 2;
  /** Files written (paths relative to the root). */
  readonly written: string[];
  /** Stale files removed. */
  readonly removed: string[];
  /** Check mode: every file that differs, is missing, or is stale. */
  readonly drifted: string[];
  readonly problems: SpecProblem[];
}

/** Directories that hold only generated files: core's and every provider package's src/generated. */
async function generatedDirs(root: string): Promise<string[]> {
  const dirs = ["packages/core/src/generated"];
  let packages: import("node:fs").Dirent[] = [];
  try {
    packages = await readdir(join(root, "packages"), { withFileTypes: true });
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ENOENT") throw error;
  }
  for (const p of packages) if (p.isDirectory() && p.name.startsWith("provider-")) dirs.push(`packages/${p.name}/src/generated`);
  return dirs.sort();
}

async function listFiles(root: string, dir: string): Promise<string[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return [];
    throw error;
  }
  const out: string[] = [];
  for (const e of entries) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(root, path)));
    else out.push(path);
  }
  return out;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw error;
  }
}

async function writeAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

export async function run(options: RunOptions): Promise<RunResult> {
  const started = options.startedAt ?? performance.now();
  const root = resolve(options.root);
  const check = options.check === true;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { files, problems, specCount } = await generate({ root });
  if (problems.length > 0) {
    for (const p of problems) log(formatProblem(p));
    log(`codegen: ${problems.length} problem${problems.length === 1 ? "" : "s"} in the specs; nothing ${check ? "checked" : "written"}`);
    return { exitCode: 2, written: [], removed: [], drifted: [], problems };
  }

  const dirs = await generatedDirs(root);
  const existing = (await Promise.all(dirs.map((d) => listFiles(root, d)))).flat();
  const stale = existing.filter((f) => !files.has(f)).sort();
  const current = await Promise.all([...files.keys()].map((f) => readIfExists(join(root, f))));
  const changed: { path: string; missing: boolean }[] = [];
  [...files.entries()].forEach(([path, content], i) => {
    if (current[i] !== content) changed.push({ path, missing: current[i] === undefined });
  });
  const ms = Math.round(performance.now() - started);

  if (check) {
    const drifted: string[] = [];
    for (const c of changed) {
      log(`${c.missing ? "missing" : "drifted"}: ${c.path}`);
      drifted.push(c.path);
    }
    for (const s of stale) {
      log(`stale: ${s}`);
      drifted.push(s);
    }
    if (drifted.length > 0) {
      log(`codegen --check: ${drifted.length} of ${files.size + stale.length} files out of date (from ${specCount} specs) in ${ms} ms; run \`pnpm codegen\``);
      return { exitCode: 1, written: [], removed: [], drifted, problems: [] };
    }
    log(`codegen --check: ${files.size} files from ${specCount} specs up to date in ${ms} ms`);
    return { exitCode: 0, written: [], removed: [], drifted: [], problems: [] };
  }

  await Promise.all(changed.map((c) => writeAtomic(join(root, c.path), files.get(c.path)!)));
  await Promise.all(stale.map((s) => rm(join(root, s), { force: true })));
  // Remove directories left empty (a provider spec that was deleted).
  for (const dir of [...new Set(stale.map((s) => dirname(s)))].sort().reverse()) {
    await rmdir(join(root, dir)).catch(() => undefined);
  }
  const total = Math.round(performance.now() - started);
  log(`codegen: ${files.size} files from ${specCount} specs, ${changed.length} written, ${stale.length} removed in ${total} ms`);
  return { exitCode: 0, written: changed.map((c) => c.path), removed: stale, drifted: [], problems: [] };
}
