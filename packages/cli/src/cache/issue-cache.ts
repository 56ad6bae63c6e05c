// `tokenmint issue` through the per-user token cache: the same command run again within the token's
// lifetime prints the cached token instead of asking the provider (the usual way a script loops on
// `tokenmint issue` and gets rate-limited), and concurrent runs share one upstream call.
import { type CallOptions, type Logger, refuseExpiredOnArrival, Secret, type Token } from "@tokenmint/core";
import { FileTokenStore, TokenManager } from "@tokenmint/core/tokens";
import type { CommandContext } from "../context.js";
import type { PreparedOperation } from "../commands/provider-op.js";
import { cacheDir, preparePrivateDir, providerCacheFile } from "./cache-dir.js";
import { cacheKey } from "./cache-key.js";

/** Environment variable with a key (32 bytes as hex/base64, or any passphrase) to encrypt the cache at rest. */
export const CACHE_KEY_ENV = "TOKENMINT_CACHE_KEY";

export interface IssueCacheOptions {
  /** Neither read nor write the cache. */
  readonly noCache: boolean;
  /** Ask the provider even if a cached token is valid, and replace the cached one. */
  readonly forceRefresh: boolean;
  /** Flags that do not change which token is asked for (output options), left out of the key. */
  readonly ignoreFlags: ReadonlySet<string>;
}

export interface IssueOutcome {
  readonly token: Token;
  /** Where the token came from. */
  readonly from: "provider" | "cache";
}

/** Whether tokens of a provider may be cached at all: only when its descriptor says they are reusable. */
export function cacheable(op: PreparedOperation): boolean {
  return op.found.definition.descriptor.reusableTokens === true;
}

/** The file store of one provider's cached tokens, encrypted when TOKENMINT_CACHE_KEY is set. */
export function providerStore(dir: string, provider: string, env: Readonly<Record<string, string | undefined>>): FileTokenStore | undefined {
  const path = providerCacheFile(dir, provider);
  if (path === undefined) return undefined;
  const key = env[CACHE_KEY_ENV];
  return new FileTokenStore({ path, encryptionKey: key === undefined || key === "" ? undefined : new Secret(key) });
}

/** Issues a token, through the cache when the provider's tokens are reusable and the cache is usable. */
export async function issueThroughCache(ctx: CommandContext, op: PreparedOperation, issue: (options: CallOptions) => Promise<Token>, options: IssueCacheOptions): Promise<IssueOutcome> {
  const callOptions: CallOptions = { signal: ctx.signal, deadline: op.deadline };
  // Without the manager (which applies the same check), a token expired on arrival is refused here:
  // a plugin provider whose issue() does not check it must not get one printed.
  const direct = async (): Promise<IssueOutcome> => ({ token: refuseExpiredOnArrival(await issue(callOptions)), from: "provider" });
  if (options.noCache) return direct();
  if (!cacheable(op)) {
    ctx.logger({ level: "debug", message: `tokens of ${op.found.id} are not reusable (its descriptor says so): not cached`, provider: op.found.id });
    return direct();
  }
  const dir = cacheDir({ env: ctx.io.env });
  const unusable = await preparePrivateDir(dir);
  const store = unusable === undefined ? providerStore(dir, op.found.id, ctx.io.env) : undefined;
  if (store === undefined) {
    if (unusable !== undefined) ctx.reporter.warn(`token cache disabled: ${unusable}`);
    return direct();
  }
  const key = await cacheKey({ provider: op.found.id, configKey: op.client.configKey, values: op.values, ignore: options.ignoreFlags, cwd: ctx.io.cwd });
  // Blocking refresh: this process exits right after printing, so a token near its end is replaced
  // now rather than in the background; if the provider fails, a still-valid token is printed.
  const manager = new TokenManager({ store, refreshMode: "blocking", logger: cacheLogger(ctx) });
  let asked = false;
  const token = await manager.getToken(
    {
      key,
      issue: () => {
        asked = true;
        return issue(callOptions);
      },
    },
    { forceRefresh: options.forceRefresh, signal: ctx.signal },
  );
  if (asked) await pruneExpired(store, ctx);
  return { token, from: asked ? "provider" : "cache" };
}

/** Drops expired entries after a write, so the file does not grow with every command ever cached. */
async function pruneExpired(store: FileTokenStore, ctx: CommandContext): Promise<void> {
  const now = Date.now();
  await store.deleteWhere((t) => t.expiresAt === undefined || t.expiresAt.getTime() <= now, { signal: ctx.signal }).catch((error: unknown) => {
    ctx.logger({ level: "debug", message: "token cache: pruning expired entries failed", fields: { error: String(error) } });
  });
}

/** The manager's warnings about the cache (unreadable file, failed write) reach the user; the rest goes to --debug. */
function cacheLogger(ctx: CommandContext): Logger {
  return (event) => {
    if (event.level === "warn") ctx.reporter.warn(`token cache: ${event.message}${event.fields?.["error"] ? ` (${String(event.fields["error"])})` : ""}`);
    else ctx.logger(event);
  };
}
