// The cache key of one `tokenmint issue`: provider + client configuration + request, secrets hashed.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type CliValues, fingerprint, Secret } from "@tokenmint/core";

export interface CacheKeyInput {
  readonly provider: string;
  /** The client's own fingerprint of its resolved configuration (what it read from config files and the environment). */
  readonly configKey: string;
  /** Every resolved flag value of the run (configuration and request flags, secrets wrapped). */
  readonly values: CliValues;
  /** Flags that change only what is done with the token (output format, file), not which token. */
  readonly ignore: ReadonlySet<string>;
  readonly cwd: string;
}

/**
 * A key that changes whenever the token asked for could differ: the provider, the client's
 * configuration fingerprint, every flag value, and the content of every file a `--*-file` flag names
 * (a key file or a refresh-token file may change under the same path). Everything goes through core's
 * `fingerprint` (SHA-256), so no secret and no file content appears in the key.
 */
export async function cacheKey(input: CacheKeyInput): Promise<string> {
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(input.values).sort()) {
    if (input.ignore.has(name)) continue;
    const value = input.values[name];
    if (value === undefined) continue;
    values[name] = name.endsWith("-file") && typeof value === "string" ? await fileIdentity(resolve(input.cwd, value)) : value;
  }
  return fingerprint({ v: 1, provider: input.provider, config: input.configKey, values });
}

async function fileIdentity(path: string): Promise<Record<string, unknown>> {
  try {
    return { path, content: new Secret((await readFile(path)).toString("base64")) };
  } catch (error) {
    return { path, unreadable: (error as NodeJS.ErrnoException).code ?? "error" };
  }
}
