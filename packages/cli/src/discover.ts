import { readdir, readFile } from "node:fs/promises";
import { dirname, join, parse, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type EmulatorHandle, loadProvider, type ProviderClient, type ProviderCli, type ProviderDefinition, TokenmintError } from "@tokenmint/core";

export interface FoundProvider {
  readonly id: string;
  /** Package name or module specifier it was loaded from. */
  readonly source: string;
  readonly definition: ProviderDefinition;
  /**
   * How the CLI drives it: the definition's `loadCli()`, run on the first call and kept, so a command
   * loads the CLI modules of the providers it uses only. Undefined when the provider has none.
   */
  loadCli(): Promise<ProviderCli<unknown, ProviderClient> | undefined>;
  /** The package directory, when found by package metadata (to resolve its `./emulator` export). */
  readonly packageDir?: string | undefined;
}

/**
 * Finds provider packages by their package metadata (`"tokenmint": { "provider": true }`) in every
 * node_modules directory above the working directory and above this CLI, then loads explicit plugins
 * (`--plugin`, config `plugins`). The CLI has no list of providers of its own.
 */
export async function discoverProviders(options: { cwd: string; plugins: readonly string[] }): Promise<Map<string, FoundProvider>> {
  const found = new Map<string, FoundProvider>();
  const roots = new Set([...ancestors(options.cwd), ...ancestors(dirname(fileURLToPath(import.meta.url)))].map((d) => join(d, "node_modules")));
  const seen = new Set<string>();
  for (const nm of roots) {
    for (const pkgDir of await packageDirs(nm)) {
      const meta = await readJson(join(pkgDir, "package.json"));
      const name = typeof meta?.["name"] === "string" ? meta["name"] : undefined;
      const marker = meta?.["tokenmint"] as { provider?: unknown } | undefined;
      if (name === undefined || marker?.provider !== true || seen.has(name)) continue;
      seen.add(name);
      const entry = pathToFileURL(join(pkgDir, resolveEntry(meta ?? {}))).href;
      const definition = await loadProvider(entry);
      if (!found.has(definition.descriptor.id)) found.set(definition.descriptor.id, foundProvider(definition, name, pkgDir));
    }
  }
  for (const plugin of options.plugins) {
    const specifier = plugin.startsWith(".") || plugin.startsWith("/") ? pathToFileURL(resolve(options.cwd, plugin)).href : plugin;
    const definition = await loadProvider(specifier);
    found.set(definition.descriptor.id, foundProvider(definition, plugin, undefined));
  }
  return found;
}

function foundProvider(definition: ProviderDefinition, source: string, packageDir: string | undefined): FoundProvider {
  let cli: Promise<ProviderCli<unknown, ProviderClient> | undefined> | undefined;
  return { id: definition.descriptor.id, source, definition, packageDir, loadCli: () => (cli ??= loadCli(definition, source)) };
}

async function loadCli(definition: ProviderDefinition, source: string): Promise<ProviderCli<unknown, ProviderClient> | undefined> {
  if (definition.loadCli === undefined) return undefined;
  let cli: unknown;
  try {
    cli = await definition.loadCli();
  } catch (error) {
    throw new TokenmintError("configuration", `provider ${definition.descriptor.id} (${source}): cannot load its CLI: ${error instanceof Error ? error.message : String(error)}`, { provider: definition.descriptor.id, cause: error });
  }
  const config = (cli as { config?: { flags?: unknown } } | undefined)?.config;
  if (typeof cli !== "object" || cli === null || !Array.isArray(config?.flags)) {
    throw new TokenmintError("configuration", `provider ${definition.descriptor.id} (${source}): loadCli() did not give a provider CLI (an object with config.flags)`, { provider: definition.descriptor.id });
  }
  return cli as ProviderCli<unknown, ProviderClient>;
}

export function requireProvider(providers: Map<string, FoundProvider>, id: string | undefined): FoundProvider {
  if (id === undefined) throw new TokenmintError("invalid_request", `name a provider (installed: ${[...providers.keys()].join(", ") || "none"})`);
  const p = providers.get(id);
  if (p === undefined) throw new TokenmintError("configuration", `no provider "${id}" is installed (installed: ${[...providers.keys()].join(", ") || "none"}); install @tokenmint/provider-${id} or load it with --plugin`);
  return p;
}

function ancestors(start: string): string[] {
  const out: string[] = [];
  let dir = resolve(start);
  const { root } = parse(dir);
  for (;;) {
    out.push(dir);
    if (dir === root) return out;
    dir = dirname(dir);
  }
}

async function packageDirs(nodeModules: string): Promise<string[]> {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = await readdir(nodeModules);
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.startsWith(".")) continue;
    if (e.startsWith("@")) {
      try {
        for (const sub of await readdir(join(nodeModules, e))) out.push(join(nodeModules, e, sub));
      } catch {
        // not a directory
      }
    } else out.push(join(nodeModules, e));
  }
  return out;
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Loads the `startEmulator` function of a provider's emulator module. */
export async function loadEmulator(provider: FoundProvider): Promise<EmulatorStarter | undefined> {
  const spec = provider.definition.emulator;
  if (spec === undefined) return undefined;
  let target = spec;
  if (provider.packageDir !== undefined) {
    const meta = await readJson(join(provider.packageDir, "package.json"));
    const sub = spec.startsWith(`${meta?.["name"]}/`) ? `./${spec.slice(String(meta?.["name"]).length + 1)}` : undefined;
    const entry = sub === undefined ? undefined : (meta?.["exports"] as Record<string, Record<string, string> | string> | undefined)?.[sub];
    const file = typeof entry === "string" ? entry : entry?.["default"];
    if (file !== undefined) target = pathToFileURL(join(provider.packageDir, file)).href;
  }
  const mod = (await import(target)) as { startEmulator?: unknown };
  if (typeof mod.startEmulator !== "function") throw new TokenmintError("configuration", `emulator module ${spec} does not export startEmulator()`, { provider: provider.id });
  return mod.startEmulator as EmulatorStarter;
}

export type EmulatorStarter = (options?: { host?: string; port?: number }) => Promise<EmulatorHandle>;

/** The built entry of a package ("." export, default condition), so no bundler conditions are needed. */
function resolveEntry(meta: Record<string, unknown>): string {
  const exp = meta["exports"] as Record<string, unknown> | string | undefined;
  const dot = typeof exp === "string" ? exp : (exp?.["."] as Record<string, unknown> | string | undefined);
  if (typeof dot === "string") return dot;
  if (dot && typeof dot["default"] === "string") return dot["default"];
  if (dot && typeof dot["import"] === "string") return dot["import"];
  return typeof meta["main"] === "string" ? meta["main"] : "index.js";
}
