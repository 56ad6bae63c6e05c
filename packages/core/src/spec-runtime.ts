// Runtime support for the parsers that tools/codegen generates from specs/. Generated code imports
// only this module and secret.ts; keep both free of any other logic so the dependency stays one way.
import { TokenmintError, type ErrorCode } from "./errors.js";
import { Secret } from "./secret.js";

/** Options of every generated `parseX(input, options)` function. */
export interface ParseOptions {
  /** Canonical code of the error thrown on a bad value: `invalid_response` (default) for provider answers, `configuration` for config files and options. */
  kind?: "invalid_response" | "configuration";
  /** Provider id to put on the error. */
  provider?: string | undefined;
  /** Where the JSON came from (a file path, "response of POST /v1/...") to prefix messages with. */
  source?: string | undefined;
  /** JSON pointer of `input` inside a larger document. */
  pointer?: string | undefined;
}

/** One rule of a provider's error table, generated from its spec's `x-tokenmint.errors`. */
export interface ErrorMapping {
  /** HTTP status, or a class such as `"5XX"`; absent matches any status. */
  readonly status?: number | `${1 | 2 | 3 | 4 | 5}XX`;
  /** The provider's error code; absent matches any code. */
  readonly providerCode?: string;
  /** The canonical code it maps to. */
  readonly code: ErrorCode;
  /** Overrides the canonical code's default retryability. */
  readonly retryable?: boolean;
  /** What the user can do next. */
  readonly hint?: string;
}

/** Describes a JSON value's type for error messages, never its content (it may be a secret). */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value instanceof Date) return "Date";
  if (value instanceof Secret) return "secret";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : Number.isFinite(value) ? "number" : String(value);
  if (typeof value === "string") return value.length === 0 ? "empty string" : `string of length ${value.length}`;
  return typeof value;
}

/** Escapes one reference token of a JSON pointer (RFC 6901). */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The error a generated parser throws: canonical code, JSON pointer, expectation; no value. */
export function specViolation(pointer: string, expected: string, actual: unknown, options: ParseOptions | undefined): TokenmintError {
  const full = `${options?.pointer ?? ""}${pointer}` || "/";
  const where = options?.source ? `${options.source}: ` : "";
  const got = actual === undefined ? "nothing" : describeType(actual);
  const code: ErrorCode = options?.kind ?? "invalid_response";
  return new TokenmintError(code, `${where}${full}: expected ${expected}, got ${got}`, {
    provider: options?.provider,
    details: { pointer: full, expected },
  });
}

/** Wraps a string found in a secret field; an existing Secret passes through. */
export function wrapSecret(value: string | Secret): Secret {
  return value instanceof Secret ? value : new Secret(value);
}

/** Decodes an RFC 3339 date-time string (or passes a valid Date through); undefined when invalid. */
export function decodeDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Finds the rule of a generated error table that matches an answer; the first match wins. */
export function matchErrorMapping(table: readonly ErrorMapping[], status: number, providerCode: string | undefined): ErrorMapping | undefined {
  for (const rule of table) {
    if (rule.status !== undefined) {
      if (typeof rule.status === "number" ? rule.status !== status : Math.floor(status / 100) !== Number(rule.status[0])) continue;
    }
    if (rule.providerCode !== undefined && rule.providerCode !== providerCode) continue;
    return rule;
  }
  return undefined;
}
