// After `tokenmint revoke`, the revoked tokens leave the cache: a revoked token is never printed again.
import { stat } from "node:fs/promises";
import type { CommandContext } from "../context.js";
import { cacheDir } from "./cache-dir.js";
import { providerStore } from "./issue-cache.js";

/** Drops cached tokens of `provider` whose id was just revoked. Best effort: a failure is a warning. */
export async function forgetRevoked(ctx: CommandContext, provider: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const store = providerStore(cacheDir({ env: ctx.io.env }), provider, ctx.io.env);
  if (store === undefined || !(await stat(store.path).then(() => true, () => false))) return;
  const revoked = new Set(ids);
  try {
    const removed = await store.deleteWhere((token) => token.id !== undefined && revoked.has(token.id), { signal: ctx.signal });
    if (removed > 0) ctx.reporter.info(`removed ${removed} revoked token(s) from the token cache`);
  } catch (error) {
    ctx.reporter.warn(`could not remove revoked tokens from the token cache (${String(error)}); run \`tokenmint cache clear ${provider}\``);
  }
}
