import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { TokenmintError } from "@tokenmint/core";

/**
 * `tokenmint.config.json`: plugins to load and per-provider flag defaults by profile.
 * `{ "plugins": ["./my-provider.js"], "profiles": { "default": { "oci": { "region": "us-ashburn-1" } } } }`
 */
export interface CliConfig {
  readonly plugins: readonly string[];
  /** Flag defaults of one provider in the selected profile. */
  defaultsFor(provider: string): Readonly<Record<string, unknown>>;
  /**
   * Set when `--profile` names no profile of the config file. Not an error by itself: a provider may
   * have a `--profile` of its own (OCI's config profiles); commands without one report it.
   */
  readonly missingProfile?: string | undefined;
}

export async function loadConfig(options: { cwd: string; path?: string | undefined; profile?: string | undefined }): Promise<CliConfig> {
  const path = resolve(options.cwd, options.path ?? "tokenmint.config.json");
  let text: string | undefined;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (options.path !== undefined || (error as NodeJS.ErrnoException).code !== "ENOENT") throw new TokenmintError("configuration", `cannot read config file ${path}`);
  }
  if (text === undefined) {
    return { plugins: [], defaultsFor: () => ({}), missingProfile: options.profile !== undefined && options.profile !== "default" ? options.profile : undefined };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TokenmintError("configuration", `${path} is not valid JSON`);
  }
  const root = json as { plugins?: unknown; profiles?: unknown };
  if (typeof root !== "object" || root === null) throw new TokenmintError("configuration", `${path}: expected an object`);
  if (root.plugins !== undefined && !(Array.isArray(root.plugins) && root.plugins.every((p) => typeof p === "string"))) throw new TokenmintError("configuration", `${path}: /plugins must be an array of strings`);
  const profiles = (root.profiles ?? {}) as Record<string, unknown>;
  if (typeof profiles !== "object" || profiles === null || Array.isArray(profiles)) throw new TokenmintError("configuration", `${path}: /profiles must be an object`);
  const name = options.profile ?? "default";
  const profile = profiles[name];
  const missingProfile = profile === undefined && options.profile !== undefined ? options.profile : undefined;
  if (profile !== undefined && (typeof profile !== "object" || profile === null || Array.isArray(profile))) throw new TokenmintError("configuration", `${path}: /profiles/${name} must be an object`);
  const byProvider = (profile ?? {}) as Record<string, unknown>;
  return {
    plugins: (root.plugins as string[] | undefined) ?? [],
    missingProfile,
    defaultsFor(provider) {
      const v = byProvider[provider];
      if (v === undefined) return {};
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new TokenmintError("configuration", `${path}: /profiles/${name}/${provider} must be an object`);
      return v as Record<string, unknown>;
    },
  };
}
