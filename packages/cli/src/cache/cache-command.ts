// `tokenmint cache list [provider]` (metadata only, never values) and `tokenmint cache clear [provider]`.
import { readdir, rm } from "node:fs/promises";
import { type CliFlag, isTokenmintError, type Token, TokenmintError } from "@tokenmint/core";
import type { CommandContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { GLOBAL_FLAGS, parseCommandLine } from "../flags.js";
import { cacheDir, providerCacheFile } from "./cache-dir.js";
import { providerStore } from "./issue-cache.js";

export const CACHE_FLAGS: readonly CliFlag[] = [{ name: "json", description: "cache list: one JSON object per line (the default when stdout is not a terminal).", type: "boolean" }];

/** One cached token as `cache list` shows it: never its value, refresh token or key. */
export interface CacheRow {
  readonly provider: string;
  /** The cache key (a SHA-256 fingerprint of provider, configuration and request). */
  readonly key: string;
  readonly status: "valid" | "expired" | "unreadable";
  readonly tokenType?: string | undefined;
  readonly id?: string | undefined;
  readonly scopes?: readonly string[] | undefined;
  readonly issuedAt?: string | undefined;
  readonly expiresAt?: string | undefined;
  /** Whether the entry also holds the private key the token is bound to (OCI database tokens). */
  readonly withPrivateKey?: boolean | undefined;
  readonly error?: string | undefined;
}

export async function cacheCommand(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const parsed = parseCommandLine(args, [...GLOBAL_FLAGS, ...CACHE_FLAGS]);
  const [sub, provider, extra] = parsed.positionals;
  if (extra !== undefined) throw new TokenmintError("invalid_request", `unexpected argument "${extra}" (usage: tokenmint cache list|clear [provider])`);
  if (provider !== undefined && providerCacheFile("/", provider) === undefined) throw new TokenmintError("invalid_request", `"${provider}" is not a provider id`);
  const dir = cacheDir({ env: ctx.io.env });
  switch (sub) {
    case "list":
      return listCache(ctx, dir, provider, parsed.values["json"] === true || ctx.io.stdout.isTTY !== true);
    case "clear":
      return clearCache(ctx, dir, provider);
    default:
      throw new TokenmintError("invalid_request", sub === undefined ? "tokenmint cache needs a subcommand: list or clear" : `unknown cache subcommand "${sub}" (list, clear)`);
  }
}

/** Provider ids that have a cache file in `dir` (or just `only`). */
async function cachedProviders(dir: string, only: string | undefined): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith(".json") && !n.startsWith("."))
    .map((n) => n.slice(0, -".json".length))
    .filter((p) => providerCacheFile(dir, p) !== undefined && (only === undefined || p === only))
    .sort();
}

async function listCache(ctx: CommandContext, dir: string, only: string | undefined, json: boolean): Promise<number> {
  const rows: CacheRow[] = [];
  for (const provider of await cachedProviders(dir, only)) {
    const store = providerStore(dir, provider, ctx.io.env)!;
    let keys: string[];
    try {
      keys = await store.keys();
    } catch (error) {
      rows.push({ provider, key: "*", status: "unreadable", error: isTokenmintError(error) ? error.message : String(error) });
      continue;
    }
    for (const key of keys) {
      try {
        const token = await store.get(key);
        if (token !== undefined) rows.push(describe(provider, key, token));
      } catch (error) {
        rows.push({ provider, key, status: "unreadable", error: isTokenmintError(error) ? error.message : String(error) });
      }
    }
  }
  if (json) for (const r of rows) ctx.io.stdout.write(`${JSON.stringify(r)}\n`);
  else if (rows.length > 0) ctx.io.stdout.write(table(rows));
  ctx.reporter.info(`${rows.length} cached token(s) in ${dir}`);
  return EXIT.ok;
}

function describe(provider: string, key: string, token: Token): CacheRow {
  const expired = token.expiresAt === undefined || token.expiresAt.getTime() <= Date.now();
  return {
    provider,
    key,
    status: expired ? "expired" : "valid",
    tokenType: token.tokenType,
    id: token.id,
    scopes: token.scopes.map((s) => s.raw),
    issuedAt: token.issuedAt?.toISOString(),
    expiresAt: token.expiresAt?.toISOString(),
    withPrivateKey: token.privateKey !== undefined,
  };
}

function table(rows: readonly CacheRow[]): string {
  const cols: [string, (r: CacheRow) => string][] = [
    ["PROVIDER", (r) => r.provider],
    ["KEY", (r) => r.key.slice(0, 12)],
    ["STATUS", (r) => r.status],
    ["EXPIRES", (r) => r.expiresAt ?? ""],
    ["ID", (r) => r.id ?? ""],
    ["SCOPES", (r) => (r.scopes ?? []).join(" ")],
    ["KEY MATERIAL", (r) => (r.withPrivateKey ? "private key" : "")],
  ];
  const cells = rows.map((r) => cols.map(([, get]) => get(r)));
  const widths = cols.map(([h], i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
  return `${[line(cols.map(([h]) => h)), ...cells.map(line)].join("\n")}\n`;
}

async function clearCache(ctx: CommandContext, dir: string, only: string | undefined): Promise<number> {
  let removed = 0;
  for (const provider of await cachedProviders(dir, only)) {
    const store = providerStore(dir, provider, ctx.io.env)!;
    try {
      removed += await store.clear({ signal: ctx.signal });
    } catch (error) {
      if (!isTokenmintError(error, "configuration")) throw error;
      // Unreadable (corrupt, or encrypted with another key): it is only a cache, remove the file.
      await rm(store.path, { force: true });
      ctx.reporter.warn(`removed unreadable cache file ${store.path}`);
    }
  }
  ctx.io.stdout.write(`${JSON.stringify({ removed, dir, ...(only === undefined ? {} : { provider: only }) })}\n`);
  ctx.reporter.info(`removed ${removed} cached token(s)${only === undefined ? "" : ` of ${only}`}`);
  return EXIT.ok;
}
