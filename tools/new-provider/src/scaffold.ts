// `pnpm new-provider <id>`: checks the id and the workspace, writes the new spec and package, runs the
// codegen for it, and links the package. It writes nothing outside specs/providers/<id>.json and
// packages/provider-<id>/ (pnpm, when asked to link, records the package in pnpm-lock.yaml: that file is
// pnpm's, and the scaffold says so).
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { formatProblem, generate } from "@tokenmint/codegen";
import { checkCapabilities, DEFAULT_CAPABILITIES, type ScaffoldCapability } from "./capabilities.js";
import { idProblem, type ProviderNames, providerNames } from "./names.js";
import { renderProvider } from "./render.js";

/** How the new package gets linked into the workspace's node_modules. */
export type LinkMode = "pnpm" | "symlink" | "none";

export interface ScaffoldOptions {
  /** The workspace root (holding pnpm-workspace.yaml, specs/ and packages/). */
  readonly root: string;
  readonly id: string;
  /** The descriptor's display name. Default: the id's words, capitalised. */
  readonly displayName?: string | undefined;
  /**
   * The operations to generate: `issue` (required) plus `list` and/or `revoke`, in any order. Default
   * `["issue"]`. Each adds its spec operation, client method, emulator route, CLI runner and tests.
   */
  readonly capabilities?: readonly string[] | undefined;
  /**
   * `pnpm` (default): `pnpm install --offline`, which links the package and records it in pnpm-lock.yaml;
   * `symlink`: only the package's own links to its workspace dependencies, as pnpm makes them (the
   * lockfile is left alone: run `pnpm install` before committing); `none`: nothing.
   */
  readonly link?: LinkMode | undefined;
  /** The pnpm command line (default: the pnpm running this script, else `npx -y pnpm@<packageManager version>`). */
  readonly pnpm?: readonly string[] | undefined;
  /** Receives progress lines. */
  readonly log?: ((line: string) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface ScaffoldResult {
  readonly names: ProviderNames;
  /** The capabilities generated, in descriptor order. */
  readonly capabilities: readonly ScaffoldCapability[];
  /** Files written, relative to the root, sorted (generated ones included). */
  readonly files: readonly string[];
  readonly link: LinkMode;
  readonly ms: number;
}

/** A refusal (exit 2: bad id, existing provider, not a workspace) or a failure (exit 3). */
export class ScaffoldError extends Error {
  override readonly name = "ScaffoldError";
  readonly exitCode: 2 | 3;
  constructor(message: string, exitCode: 2 | 3, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return false;
    throw error;
  }
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Names of the packages in the workspace's `packages/` and `tools/` directories. */
async function workspacePackageNames(root: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const group of ["packages", "tools"]) {
    let entries: string[] = [];
    try {
      entries = await readdir(join(root, group));
    } catch {
      continue;
    }
    for (const entry of entries) {
      const name = (await readJson(join(root, group, entry, "package.json")))?.["name"];
      if (typeof name === "string") names.set(name, `${group}/${entry}`);
    }
  }
  return names;
}

/** Refuses a bad id, an existing provider, and a root that is not this workspace, before writing anything. */
async function preflight(root: string, names: ProviderNames): Promise<Record<string, unknown>> {
  const rootPackage = await readJson(join(root, "package.json"));
  const workspace = await readFile(join(root, "pnpm-workspace.yaml"), "utf8").catch(() => undefined);
  if (rootPackage === undefined || workspace === undefined || !(await exists(join(root, "specs/core"))) || !(await exists(join(root, "packages/core/package.json")))) {
    throw new ScaffoldError(`${root} is not the tokenmint workspace (no package.json, pnpm-workspace.yaml, specs/core or packages/core): run from the repository root or pass --root`, 2);
  }
  // The new package must be picked up by the workspace glob, or nothing would link or build it.
  if (!/^\s*-\s*["']?packages\/\*["']?\s*$/m.test(workspace)) throw new ScaffoldError("pnpm-workspace.yaml does not list packages/*: the new package would not be part of the workspace", 2);
  if (await exists(join(root, names.specPath))) throw new ScaffoldError(`provider "${names.id}" exists: ${names.specPath} is already there`, 2);
  if (await exists(join(root, names.packageDir))) throw new ScaffoldError(`provider "${names.id}" exists: ${names.packageDir}/ is already there`, 2);
  const taken = (await workspacePackageNames(root)).get(names.packageName);
  if (taken !== undefined) throw new ScaffoldError(`provider "${names.id}" exists: ${taken} is already named ${names.packageName}`, 2);
  return rootPackage;
}

/** The pnpm command line: the pnpm that runs `pnpm new-provider`, else the version pinned in packageManager. */
function pnpmCommand(rootPackage: Record<string, unknown>): string[] {
  const execPath = process.env["npm_execpath"];
  if (execPath !== undefined && /pnpm\.(c?js|mjs)$/.test(execPath)) return [process.execPath, execPath];
  const pinned = typeof rootPackage["packageManager"] === "string" && rootPackage["packageManager"].startsWith("pnpm@") ? rootPackage["packageManager"].split("+")[0] : "pnpm";
  return ["npx", "-y", pinned!];
}

function run(command: readonly string[], cwd: string, signal: AbortSignal | undefined): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd, stdio: ["ignore", "pipe", "pipe"], signal, env: { ...process.env, CI: process.env["CI"] ?? "" } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

/** Links with pnpm: `--offline` first (the new package needs nothing from the registry), then `--prefer-offline`. */
async function linkWithPnpm(root: string, pnpm: readonly string[], log: (line: string) => void, signal: AbortSignal | undefined): Promise<void> {
  for (const flag of ["--offline", "--prefer-offline"]) {
    log(`linking: ${[...pnpm.slice(pnpm[0] === process.execPath ? 1 : 0), "install", flag].join(" ")}`);
    const result = await run([...pnpm, "install", flag], root, signal);
    if (result.code === 0) return;
    log(`  failed (exit ${result.code}):\n${result.output.trim().split("\n").slice(-6).join("\n")}`);
  }
  throw new ScaffoldError("the package was created but pnpm install failed: run `pnpm install` at the repository root to link it", 3);
}

/**
 * The links the new package needs, as pnpm makes them for `workspace:*` dependencies: each workspace
 * package under node_modules/, and its bins under node_modules/.bin/ (tokenmint-bundle for the build).
 */
async function linkWorkspaceDependencies(root: string, names: ProviderNames, files: ReadonlyMap<string, string>): Promise<void> {
  const manifest = JSON.parse(files.get(`${names.packageDir}/package.json`)!) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const wanted = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(([, spec]) => spec.startsWith("workspace:"));
  const workspace = await workspacePackageNames(root);
  const modules = join(root, names.packageDir, "node_modules");
  for (const [name] of wanted) {
    const where = workspace.get(name);
    if (where === undefined) throw new ScaffoldError(`the new package depends on ${name}, which is not in this workspace`, 3);
    const link = join(modules, ...name.split("/"));
    await mkdir(dirname(link), { recursive: true });
    await symlink(relative(dirname(link), join(root, where)), link, "dir");
    const bin = (await readJson(join(root, where, "package.json")))?.["bin"];
    for (const [command, target] of Object.entries(typeof bin === "object" && bin !== null ? (bin as Record<string, string>) : {})) {
      await mkdir(join(modules, ".bin"), { recursive: true });
      await symlink(relative(join(modules, ".bin"), join(link, target)), join(modules, ".bin", command));
    }
  }
}

/**
 * Scaffolds a provider. Throws {@link ScaffoldError} (nothing written) when the id is bad or taken;
 * removes what it wrote when a later step (codegen) fails.
 */
export async function scaffold(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const root = resolve(options.root);
  const problem = idProblem(options.id);
  if (problem !== undefined) throw new ScaffoldError(problem, 2);
  if (options.displayName !== undefined && options.displayName.trim() === "") throw new ScaffoldError("the display name is empty", 2);
  const capabilities = checkCapabilities(options.capabilities ?? DEFAULT_CAPABILITIES);
  if (typeof capabilities === "string") throw new ScaffoldError(capabilities, 2);
  const names = providerNames(options.id, options.displayName?.trim());
  const rootPackage = await preflight(root, names);
  const files = renderProvider(names, { engines: rootPackage["engines"], capabilities });

  const written: string[] = [];
  try {
    // mkdir without `recursive` fails if the directory appeared since the check: never merge into one.
    await mkdir(join(root, names.packageDir));
    written.push(names.packageDir);
    for (const [path, content] of files) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content, { flag: "wx" });
      if (path === names.specPath) written.push(path);
    }
    log(`wrote ${files.size} files: ${names.specPath} and ${names.packageDir}/`);

    // Generate the whole tree (the new spec refers to core's), write only the new package's files.
    const generated = await generate({ root });
    if (generated.problems.length > 0) {
      const text = generated.problems.map((p) => `  ${formatProblem(p)}`).join("\n");
      throw new ScaffoldError(`codegen found problems in the specs, so nothing was generated:\n${text}`, 3);
    }
    const prefix = `${names.packageDir}/src/generated/`;
    for (const [path, content] of generated.files) {
      if (!path.startsWith(prefix)) continue;
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content, { flag: "wx" });
      files.set(path, content);
    }
    log(`codegen: wrote ${[...files.keys()].filter((p) => p.startsWith(prefix)).length} files into ${prefix}`);
  } catch (error) {
    for (const path of written) await rm(join(root, path), { recursive: true, force: true });
    if (error instanceof ScaffoldError) throw error;
    throw new ScaffoldError(`scaffolding failed, nothing was kept: ${error instanceof Error ? error.message : String(error)}`, 3, { cause: error });
  }

  const link = options.link ?? "pnpm";
  if (link === "pnpm") await linkWithPnpm(root, options.pnpm ?? pnpmCommand(rootPackage), log, options.signal);
  else if (link === "symlink") await linkWorkspaceDependencies(root, names, files);
  return { names, capabilities, files: [...files.keys()].sort(), link, ms: Math.round(performance.now() - started) };
}
