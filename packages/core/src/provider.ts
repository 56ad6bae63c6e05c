import { TokenmintError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { Capability, ProviderDescriptor, Token, TokenRecord } from "./generated/types.js";
import { nodeCrypto } from "./builtins.js";
import { parseProviderDescriptor } from "./generated/parsers.js";
import { Secret } from "./secret.js";
import type { ProviderCli } from "./cli/contract.js";
import type { CallOptions, TokenSource } from "./tokens/types.js";

/**
 * What every provider client has. Operations are optional and match the descriptor's capabilities;
 * each provider types its own request shapes (a client is assignable to this base).
 */
export interface ProviderClient {
  /** The provider id. */
  readonly provider: string;
  /** A stable, non-secret fingerprint of the client's configuration (secrets hashed), for cache keys. */
  readonly configKey: string;
  issue?(request: never, options?: CallOptions): Promise<Token>;
  list?(query: never, options?: CallOptions): AsyncIterable<TokenRecord>;
  get?(id: never, options?: CallOptions): Promise<TokenRecord>;
  revoke?(target: never, options?: CallOptions): Promise<void>;
  refresh?(token: Token, options?: CallOptions): Promise<Token>;
}

/** Where a provider may read its configuration from besides explicit options. */
export interface ConfigContext {
  /** Environment variables (defaults to process.env). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Home directory for `~` expansion and default config files (defaults to os.homedir()). */
  homeDir?: string | undefined;
  /** Where the client sends its (already redacted) log events, e.g. the CLI's `--debug`. */
  logger?: Logger | undefined;
}

/** A provider plugin: its descriptor and the factory of its client. */
export interface ProviderDefinition<TOptions = unknown, TClient extends ProviderClient = ProviderClient> {
  readonly descriptor: ProviderDescriptor;
  /** Builds a client from explicit options, filling gaps from the environment and the provider's usual config files. */
  createClient(options: TOptions, context?: ConfigContext): TClient | Promise<TClient>;
  /** Module specifier of the provider's emulator (its `./emulator` export, exporting `startEmulator`), if it has one. */
  readonly emulator?: string | undefined;
  /**
   * How the `tokenmint` CLI drives this provider, loaded on demand (e.g. `() => import("./cli/index.js")
   * .then((m) => m.cli)`): a library user who imports the provider never loads its CLI code.
   */
  readonly loadCli?: (() => Promise<ProviderCli<TOptions, TClient>>) | undefined;
}

/** A running emulator of one provider, as a provider's `./emulator` module returns it. */
export interface EmulatorHandle {
  readonly provider: string;
  /** Base URL the provider's client can use as its endpoint. */
  readonly url: string;
  /** Ready-to-use test credentials and settings (all JSON-safe), e.g. for `tokenmint emulate --json`. */
  readonly credentials: Readonly<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Declares a provider: checks its shape (a descriptor object, a `createClient` function) and freezes it.
 * The descriptor is checked against the spec (id pattern, known capabilities) by {@link loadProvider},
 * which is how the CLI and hosts load plugins; doing it here would run the generated parser on the
 * import of every provider (~0.25 ms of a ~9 ms cold import). Built-in descriptors are checked by
 * their packages' tests.
 */
export function defineProvider<TOptions, TClient extends ProviderClient>(definition: ProviderDefinition<TOptions, TClient>): ProviderDefinition<TOptions, TClient> {
  const descriptor: unknown = definition.descriptor;
  const id = typeof descriptor === "object" && descriptor !== null && typeof (descriptor as { id?: unknown }).id === "string" ? (descriptor as { id: string }).id : undefined;
  if (id === undefined) throw new TokenmintError("configuration", "a provider definition needs a descriptor with a string id");
  if (typeof definition.createClient !== "function") throw new TokenmintError("configuration", `provider ${id}: createClient must be a function`, { provider: id });
  if (definition.loadCli !== undefined && typeof definition.loadCli !== "function") throw new TokenmintError("configuration", `provider ${id}: loadCli must be a function`, { provider: id });
  if ("cli" in definition) {
    // The contract of 0.1.0 previews: say what replaced it rather than silently dropping the plugin's CLI.
    throw new TokenmintError("configuration", `provider ${id}: "cli" is now "loadCli", a function that loads the CLI definition on demand`, { provider: id, hint: 'loadCli: () => import("./cli/index.js").then((m) => m.cli)' });
  }
  return Object.freeze({ ...definition, descriptor: Object.freeze(definition.descriptor) });
}

/** Whether a provider declares a capability. */
export function hasCapability(definition: ProviderDefinition, capability: Capability): boolean {
  return definition.descriptor.capabilities.includes(capability);
}

/**
 * Loads a provider by package or module name (e.g. `@tokenmint/provider-oci`, `./my-provider.js`),
 * so third parties can add providers without touching this repository. The module's default export,
 * or its export named `provider`, must be a provider definition.
 */
export async function loadProvider(specifier: string): Promise<ProviderDefinition> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new TokenmintError("configuration", `cannot load provider module ${JSON.stringify(specifier)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const candidate = (mod["default"] ?? mod["provider"]) as ProviderDefinition | undefined;
  if (candidate === undefined || typeof candidate !== "object" || typeof candidate.createClient !== "function" || typeof candidate.descriptor !== "object") {
    throw new TokenmintError("configuration", `module ${JSON.stringify(specifier)} does not export a provider definition (default export or "provider")`);
  }
  // A bad id or an unknown capability fails here, when the plugin loads, not when it is first used.
  const descriptor = parseProviderDescriptor(candidate.descriptor, { kind: "configuration", source: `provider descriptor of ${JSON.stringify(specifier)}` });
  return defineProvider({ ...candidate, descriptor });
}

/**
 * A stable cache-key part from any JSON-like value: keys sorted, secrets and everything else hashed
 * together with SHA-256, so no secret appears in a key in clear.
 */
export function fingerprint(value: unknown): string {
  return nodeCrypto().createHash("sha256").update(stableStringify(value)).digest("base64url").slice(0, 32);
}

function stableStringify(value: unknown): string {
  if (value instanceof Secret) return JSON.stringify(`secret:${value.reveal()}`);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

/** A token source for the manager: one client's `issue` with one request, keyed by provider + config + request. */
export function issueSource<TRequest>(client: { readonly provider: string; readonly configKey: string; issue(request: TRequest, options?: CallOptions): Promise<Token> }, request: TRequest): TokenSource {
  const key = `${client.provider}:${client.configKey}:${fingerprint(request)}`;
  return { key, issue: (options) => client.issue(request, options) };
}
