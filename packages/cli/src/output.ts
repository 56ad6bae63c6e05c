import { Secret, type Token, type TokenRecord } from "@tokenmint/core";

/**
 * The CLI's own token formats of `tokenmint issue --format`. A provider may add file formats of its own
 * (`ProviderCli.formats`, e.g. idcs's `tok`): the CLI knows none of them by name.
 */
export const TOKEN_FORMATS = ["json", "raw", "env"] as const;
export type TokenFormat = (typeof TOKEN_FORMATS)[number];

/**
 * The canonical token as JSON. The caller decides whether the value may appear: `issue` prints it
 * on stdout because the user asked for a token; metadata-only output redacts every secret.
 */
export function tokenJson(token: Token, reveal: boolean): Record<string, unknown> {
  return toPlain(token, reveal) as Record<string, unknown>;
}

function toPlain(value: unknown, reveal: boolean, depth = 0): unknown {
  if (value instanceof Secret) return reveal ? value.reveal() : "[REDACTED]";
  if (value instanceof Date) return value.toISOString();
  if (depth > 12 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => toPlain(v, reveal, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toPlain(v, reveal, depth + 1);
  return out;
}

/** Text of a token in the chosen format (the value included: the user asked for it). */
export function formatToken(token: Token, format: TokenFormat): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(tokenJson(token, true), null, 2)}\n`;
    case "raw":
      return `${token.value.reveal()}\n`;
    case "env": {
      const lines = [`export TOKENMINT_TOKEN=${shellQuote(token.value.reveal())}`, `export TOKENMINT_TOKEN_TYPE=${shellQuote(token.tokenType)}`];
      if (token.expiresAt) lines.push(`export TOKENMINT_TOKEN_EXPIRES_AT=${shellQuote(token.expiresAt.toISOString())}`);
      if (token.refreshToken) lines.push(`export TOKENMINT_REFRESH_TOKEN=${shellQuote(token.refreshToken.reveal())}`);
      return `${lines.join("\n")}\n`;
    }
  }
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A record as one JSON line (no secrets: records have no values). */
export function recordJson(record: TokenRecord): string {
  return JSON.stringify(toPlain(record, false));
}

const COLUMNS: readonly [string, (r: TokenRecord) => string][] = [
  ["ID", (r) => r.id],
  ["CLIENT", (r) => r.client ?? ""],
  ["SUBJECT", (r) => r.subject ?? ""],
  ["CREATED", (r) => r.createdAt?.toISOString() ?? ""],
  ["EXPIRES", (r) => r.expiresAt?.toISOString() ?? ""],
  ["LAST USED", (r) => r.lastUsedAt?.toISOString() ?? ""],
];

/** A readable table for terminals; empty columns are left out. */
export function recordTable(records: readonly TokenRecord[]): string {
  const cols = COLUMNS.filter(([, get], i) => i === 0 || records.some((r) => get(r) !== ""));
  const rows = records.map((r) => cols.map(([, get]) => get(r)));
  const widths = cols.map(([h], i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return `${[line(cols.map(([h]) => h)), ...rows.map(line)].join("\n")}\n`;
}
