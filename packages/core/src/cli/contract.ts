import type { Token, TokenRecord } from "../generated/types.js";
import type { Secret } from "../secret.js";
import type { CallOptions } from "../tokens/types.js";

/** A flag value as the CLI hands it to a provider; secret flags arrive wrapped. */
export type CliValue = string | number | boolean | readonly string[] | Secret | undefined;
export type CliValues = Readonly<Record<string, CliValue>>;

/** One command-line flag a provider declares (the CLI parses, validates and documents it). */
export interface CliFlag {
  /** kebab-case name without dashes, e.g. `identity-store-id`. */
  readonly name: string;
  readonly description: string;
  readonly type: "string" | "number" | "boolean" | "list";
  readonly required?: boolean;
  /**
   * A secret (client secret, password, private key): the CLI reads it from `--<name>-file`,
   * `--<name>-stdin` or `env`, and warns when it is given inline on the command line.
   */
  readonly secret?: boolean;
  /** Environment variable used when the flag is absent. */
  readonly env?: string;
}

interface CliOperationBase {
  readonly description: string;
  readonly flags: readonly CliFlag[];
  readonly examples?: readonly string[];
}

export interface CliIssueOperation<TClient> extends CliOperationBase {
  run(client: TClient, values: CliValues, options: CallOptions): Promise<Token>;
}

export interface CliListOperation<TClient> extends CliOperationBase {
  run(client: TClient, values: CliValues, options: CallOptions): AsyncIterable<TokenRecord>;
}

/** What a revoke did, or would do with `--dry-run`. */
export interface RevokeOutcome {
  readonly dryRun: boolean;
  /** Ids revoked (or that would be). */
  readonly ids: readonly string[];
  /** Records concerned, when the provider looked them up (bulk revoke). */
  readonly records?: readonly TokenRecord[];
}

export interface CliRevokeOperation<TClient> extends CliOperationBase {
  /** `id` is the positional argument; absent for a filter-based bulk revoke. */
  run(client: TClient, id: string | undefined, values: CliValues, options: CallOptions & { dryRun: boolean; onProgress?: (done: number, total: number) => void }): Promise<RevokeOutcome>;
}

/**
 * A token file format of the provider's own, offered by `tokenmint issue <provider> --format <name>`
 * (e.g. the IDCS console's `tokens.tok`). The provider owns the format: the CLI knows none by name and
 * reaches it only through this declaration. The file holds the token's value, so the CLI prints only
 * the token's metadata and the file's path when it writes one.
 */
export interface CliTokenFileFormat {
  /** The `--format` value, e.g. `tok`. `json`, `raw` and `env` are the CLI's own and take precedence. */
  readonly name: string;
  readonly description: string;
  /** The file's content. For `--out FILE`, which the CLI writes (atomic, 0600, replaced only with `--force`). */
  render(token: Token): string;
  /**
   * Writes the token into `dir` under the format's own file name, never replacing a file, atomically and
   * 0600; returns the path written. For `--out DIR`, and when `--out` is absent (the working directory).
   */
  writeInto(token: Token, dir: string): Promise<string>;
  /**
   * The ending of such files' names (e.g. `.tok`). With `read`, `tokenmint decode|verify <file>` reads an
   * argument that ends with it through `read`, instead of taking the argument as the token itself.
   */
  readonly fileExtension?: string;
  /** The token value a file of this format holds (its access token), for `decode` and `verify`. */
  read?(path: string): Promise<Secret>;
}

/** What a demo flow reports, one line each. */
export type DemoLog = (line: string) => void;

/** How the `tokenmint` CLI drives a provider, declared by the provider (the CLI knows none by name). */
export interface ProviderCli<TOptions, TClient> {
  /** Flags that configure the client (region, endpoint, key file, ...). */
  readonly config: {
    readonly flags: readonly CliFlag[];
    toOptions(values: CliValues): TOptions;
  };
  readonly issue?: CliIssueOperation<TClient>;
  readonly list?: CliListOperation<TClient>;
  readonly revoke?: CliRevokeOperation<TClient>;
  /**
   * Writes an issued token where the provider's own tools look for it (e.g. OCI's `~/.oci/db-token/`
   * for database clients), atomically and 0600; returns the paths written. Used by `issue --save`.
   */
  save?(token: Token, options: { dir?: string | undefined; overwrite: boolean }): Promise<readonly string[]>;
  /** Token file formats of the provider's own, for `issue --format` (and `decode`/`verify` of such files). */
  readonly formats?: readonly CliTokenFileFormat[];
  /**
   * The provider's main flow against its running emulator, through the public API as a user would
   * write it; used by `tokenmint demo`. Throws on any failure.
   */
  demo?(emulator: { readonly url: string; readonly credentials: Readonly<Record<string, unknown>> }, log: DemoLog, options: CallOptions & { workDir: string }): Promise<void>;
}
