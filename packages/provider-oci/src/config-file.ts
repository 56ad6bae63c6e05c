// ~/.oci/config: the INI file every OCI SDK and the CLI read
// (https://docs.oracle.com/en-us/iaas/Content/API/Concepts/sdkconfig.htm). Parsing follows oci-common@2.139.1
// lib/config-file-reader.js: `[PROFILE]` headers, `key=value` split at the first `=`, both sides trimmed,
// `#` comments and blank lines skipped, a line without `=` or a key before any profile is an error, and a
// key missing from the selected profile is looked up in [DEFAULT]. `;` comments are also skipped, as
// Python's configparser (used by oci-cli and the Python SDK) does.
import { expandHome, nodeFs, TokenmintError } from "@tokenmint/core";

export const DEFAULT_PROFILE = "DEFAULT";
/** Default location, then the legacy one (oci-common ConfigFileReader.DEFAULT_FILE_PATH / FALLBACK_DEFAULT_FILE_PATH). */
export const DEFAULT_CONFIG_PATHS = ["~/.oci/config", "~/.oraclebmc/config"] as const;

/** A parsed config file: profiles in file order, each a map of keys to raw string values. */
export interface OciConfigFile {
  /** Where it was read from (for messages); absent for text parsed directly. */
  readonly path?: string | undefined;
  readonly profiles: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** One profile's view: its own keys, then [DEFAULT]'s. */
export interface OciConfigProfileView {
  readonly name: string;
  readonly path?: string | undefined;
  /** The value for a key (profile first, then DEFAULT), or undefined. */
  get(key: string): string | undefined;
  /** Every key visible in this profile (own and inherited). */
  keys(): string[];
}

function configError(where: string, message: string): TokenmintError {
  return new TokenmintError("configuration", `${where}: ${message}`, {
    provider: "oci",
    hint: "see https://docs.oracle.com/en-us/iaas/Content/API/Concepts/sdkconfig.htm for the config file format",
  });
}

/**
 * Parses config-file text. Errors name the line, never its content (lines hold pass phrases).
 *
 * @example
 * parseConfigFile("[DEFAULT]\ntenancy=ocid1.tenancy.oc1..aaa\nregion=us-ashburn-1\n").profiles.get("DEFAULT")?.get("region");
 */
export function parseConfigFile(text: string, path?: string): OciConfigFile {
  const where = path ?? "OCI config";
  const profiles = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith("#") || line.startsWith(";")) return;
    const lineNo = index + 1;
    if (line.startsWith("[") && line.endsWith("]")) {
      const name = line.slice(1, -1).trim();
      if (name.length === 0) throw configError(`${where}:${lineNo}`, "empty profile name");
      current = profiles.get(name);
      if (current === undefined) {
        current = new Map();
        profiles.set(name, current);
      }
      return;
    }
    const eq = line.indexOf("=");
    if (eq === -1) throw configError(`${where}:${lineNo}`, "line is neither a [PROFILE] header, a comment, nor key=value");
    const key = line.slice(0, eq).trim();
    if (key.length === 0) throw configError(`${where}:${lineNo}`, "key=value line with no key");
    if (current === undefined) throw configError(`${where}:${lineNo}`, `key ${JSON.stringify(key.slice(0, 40))} appears before any [PROFILE] header`);
    current.set(key, line.slice(eq + 1).trim());
  });
  return { path, profiles };
}

/** Selects a profile; a missing named profile is an error listing the ones that exist. */
export function selectProfile(file: OciConfigFile, profile: string = DEFAULT_PROFILE): OciConfigProfileView {
  const own = file.profiles.get(profile);
  const fallback = file.profiles.get(DEFAULT_PROFILE);
  if (own === undefined) {
    const names = [...file.profiles.keys()];
    throw configError(file.path ?? "OCI config", `no profile [${profile}] (profiles: ${names.length > 0 ? names.join(", ") : "none"})`);
  }
  return {
    name: profile,
    path: file.path,
    get(key: string): string | undefined {
      const value = own.get(key) ?? fallback?.get(key);
      return value === undefined || value.length === 0 ? undefined : value;
    },
    keys(): string[] {
      return [...new Set([...(fallback?.keys() ?? []), ...own.keys()])].sort();
    },
  };
}

// `~` expansion is core's (expandHome), shared with every provider that reads key files.
export { expandHome } from "@tokenmint/core";

/** Where the config file is looked for: an explicit path, then OCI_CONFIG_FILE, then the defaults. */
export function configFileCandidates(explicit: string | undefined, env: Readonly<Record<string, string | undefined>>, homeDir: string): { paths: string[]; explicit: boolean } {
  if (explicit !== undefined && explicit.length > 0) return { paths: [expandHome(explicit, homeDir)], explicit: true };
  const fromEnv = env["OCI_CONFIG_FILE"];
  // oci-common tries ~/.oci/config before OCI_CONFIG_FILE; oci-cli and the Python SDK let the variable
  // win, which is what a user who sets it means. We follow the latter.
  if (fromEnv !== undefined && fromEnv.length > 0) return { paths: [expandHome(fromEnv, homeDir)], explicit: true };
  return { paths: DEFAULT_CONFIG_PATHS.map((p) => expandHome(p, homeDir)), explicit: false };
}

/**
 * Reads the first config file that exists among the candidates. Returns undefined when none exists and
 * none was asked for explicitly; an explicit path that does not exist is an error.
 */
export async function loadConfigFile(explicit: string | undefined, env: Readonly<Record<string, string | undefined>>, homeDir: string): Promise<OciConfigFile | undefined> {
  const { paths, explicit: wasExplicit } = configFileCandidates(explicit, env, homeDir);
  for (const path of paths) {
    let text: string;
    try {
      text = await nodeFs().readFile(path, "utf8");
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === "ENOENT" || code === "ENOTDIR") continue;
      throw configError(path, `cannot read the config file (${typeof code === "string" ? code : "read error"})`);
    }
    return parseConfigFile(text, path);
  }
  if (wasExplicit) throw configError(paths[0]!, "config file not found");
  return undefined;
}
