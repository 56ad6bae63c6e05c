// Builds OData `$filter` strings from typed filter objects. Every value becomes a literal of the
// property's type and every property name is checked against the iam.OAuthToken catalogue, so a
// value can never change the structure of the filter (no OData injection): strings are quoted with
// `'` doubled (OData ABNF `SQUOTE-in-string`), control characters and unpaired surrogates are refused,
// numbers must be finite, dates are written as ISO 8601 UTC literals, and compound parts are always
// parenthesised.
import { TokenmintError } from "@tokenmint/core";
import { type FilterPath, type PropertyKind, resolvePath } from "./properties.js";

/** A literal a filter compares with. `Date`s (or RFC 3339 strings) for date-time properties. */
export type FilterValue = string | number | boolean | Date | null;

/** Operators on one property. Several operators in one object are joined with `and`. */
export interface Comparison {
  eq?: FilterValue;
  ne?: FilterValue;
  gt?: FilterValue;
  ge?: FilterValue;
  lt?: FilterValue;
  le?: FilterValue;
  /** Any of the values (written as `(P eq a or P eq b)`, which every OData service understands). */
  in?: readonly FilterValue[];
  /** `contains(P,'x')`: the string property contains the text. */
  contains?: string;
  /** `startswith(P,'x')`. */
  startswith?: string;
  /** `endswith(P,'x')`. */
  endswith?: string;
}

/** Conditions on properties, joined with `and`: `{ ClientName: "x", CreateTime: { lt: date } }`. */
export type PropertyFilter = { readonly [P in FilterPath]?: FilterValue | Comparison };

/** A typed filter: property conditions combined with `and`, `or` and `not`. */
export type Filter = { readonly and: readonly Filter[] } | { readonly or: readonly Filter[] } | { readonly not: Filter } | PropertyFilter;

const COMPARISON_OPERATORS = ["eq", "ne", "gt", "ge", "lt", "le"] as const;
const STRING_FUNCTIONS = ["contains", "startswith", "endswith"] as const;
const OPERATORS = new Set<string>([...COMPARISON_OPERATORS, ...STRING_FUNCTIONS, "in"]);
const MAX_DEPTH = 32;
const MAX_FILTER_LENGTH = 16_384;
const PROVIDER = "intersight";

/** C0 and C1 control characters: never legitimate in a token property, and a way to smuggle line breaks into logs. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function invalid(message: string): TokenmintError {
  return new TokenmintError("invalid_request", `filter: ${message}`, { provider: PROVIDER });
}

/**
 * Quotes a string as an OData string literal: `'` doubled, control characters and unpaired
 * surrogates refused (they cannot be sent reliably and no property value contains them).
 *
 * @example
 * odataString("O'Brien"); // "'O''Brien'"
 */
export function odataString(value: string): string {
  if (typeof value !== "string") throw invalid(`expected a string, got ${typeof value}`);
  if (CONTROL.test(value)) throw invalid("string values must not contain control characters");
  if (LONE_SURROGATE.test(value)) throw invalid("string values must not contain unpaired UTF-16 surrogates");
  return `'${value.replaceAll("'", "''")}'`;
}

/** Writes a date as an OData DateTimeOffset literal (ISO 8601, UTC, milliseconds). */
export function odataDate(value: Date | string): string {
  const date = typeof value === "string" ? parseRfc3339(value) : value;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw invalid("expected a valid Date or RFC 3339 date-time string");
  return date.toISOString();
}

function parseRfc3339(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function literal(path: string, kind: PropertyKind, value: FilterValue, op: string): string {
  if (value === null) {
    if (op !== "eq" && op !== "ne") throw invalid(`${path}: null can only be compared with eq or ne`);
    return "null";
  }
  switch (kind) {
    case "string":
      if (typeof value !== "string") throw invalid(`${path} is a string property; got ${describe(value)}`);
      return odataString(value);
    case "datetime":
      if (!(value instanceof Date) && typeof value !== "string") throw invalid(`${path} is a date-time property; got ${describe(value)}`);
      return odataDate(value);
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(`${path} is a number property; got ${describe(value)}`);
      return String(value);
    case "boolean":
      if (typeof value !== "boolean") throw invalid(`${path} is a boolean property; got ${describe(value)}`);
      return value ? "true" : "false";
    default:
      throw invalid(`${path} cannot be compared with a value`);
  }
}

function describe(value: unknown): string {
  if (value instanceof Date) return "a Date";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return typeof value === "string" ? "a string" : typeof value;
}

function propertyPath(path: string): { path: string; kind: PropertyKind } {
  const resolved = resolvePath(path);
  if (resolved === undefined) throw invalid(`unknown or non-comparable property ${JSON.stringify(path)} (names are PascalCase iam.OAuthToken properties such as ClientName or User.Moid)`);
  return { path: resolved.segments.join("."), kind: resolved.kind };
}

function isComparison(value: unknown): value is Comparison {
  return typeof value === "object" && value !== null && !(value instanceof Date) && !Array.isArray(value);
}

function propertyConditions(name: string, condition: FilterValue | Comparison): string[] {
  const { path, kind } = propertyPath(name);
  if (!isComparison(condition)) return [`${path} eq ${literal(path, kind, condition, "eq")}`];
  const parts: string[] = [];
  const keys = Object.keys(condition);
  if (keys.length === 0) throw invalid(`${path}: empty condition`);
  for (const op of keys) {
    if (!OPERATORS.has(op)) throw invalid(`${path}: unknown operator ${JSON.stringify(op)} (use eq, ne, gt, ge, lt, le, in, contains, startswith, endswith)`);
    const value = (condition as Record<string, unknown>)[op];
    if (value === undefined) continue;
    if (op === "in") {
      if (!Array.isArray(value) || value.length === 0) throw invalid(`${path}: in needs a non-empty array`);
      const alternatives = (value as FilterValue[]).map((v) => `${path} eq ${literal(path, kind, v, "eq")}`);
      parts.push(alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(" or ")})`);
    } else if ((STRING_FUNCTIONS as readonly string[]).includes(op)) {
      if (kind !== "string") throw invalid(`${path}: ${op} applies to string properties only`);
      if (typeof value !== "string") throw invalid(`${path}: ${op} needs a string`);
      parts.push(`${op}(${path},${odataString(value)})`);
    } else {
      if ((op === "gt" || op === "ge" || op === "lt" || op === "le") && kind === "boolean") throw invalid(`${path}: ${op} does not apply to booleans`);
      parts.push(`${path} ${op} ${literal(path, kind, value as FilterValue, op)}`);
    }
  }
  if (parts.length === 0) throw invalid(`${path}: no operator has a value`);
  return parts;
}

function join(parts: readonly string[], operator: "and" | "or"): string {
  return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(` ${operator} `);
}

function build(filter: Filter, depth: number): string {
  if (depth > MAX_DEPTH) throw invalid(`nested more than ${MAX_DEPTH} levels deep`);
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) throw invalid("a filter must be an object");
  const keys = Object.keys(filter);
  if (keys.length === 1 && (keys[0] === "and" || keys[0] === "or")) {
    const op = keys[0];
    const list = (filter as Record<string, unknown>)[op];
    if (!Array.isArray(list) || list.length === 0) throw invalid(`${op} needs a non-empty array of filters`);
    return join(
      list.map((f: Filter) => build(f, depth + 1)),
      op,
    );
  }
  if (keys.length === 1 && keys[0] === "not") return `not (${build((filter as { not: Filter }).not, depth + 1)})`;
  if (keys.some((k) => k === "and" || k === "or" || k === "not")) throw invalid("and, or and not must be alone in their object");
  if (keys.length === 0) throw invalid("empty filter object (to match every record, pass no filter)");
  const parts: string[] = [];
  for (const key of keys) {
    const condition = (filter as Record<string, FilterValue | Comparison | undefined>)[key];
    if (condition === undefined) continue;
    parts.push(...propertyConditions(key, condition));
  }
  if (parts.length === 0) throw invalid("every condition is undefined");
  return join(parts, "and");
}

/**
 * Turns a typed filter into an OData `$filter` expression.
 *
 * @example
 * buildFilter({ and: [{ ClientName: "Terraform" }, { CreateTime: { lt: new Date("2024-01-01T00:00:00Z") } }] });
 * // "(ClientName eq 'Terraform') and (CreateTime lt 2024-01-01T00:00:00.000Z)"
 */
export function buildFilter(filter: Filter): string {
  const out = build(filter, 0);
  if (out.length > MAX_FILTER_LENGTH) throw invalid(`longer than ${MAX_FILTER_LENGTH} characters`);
  return out;
}

/**
 * Checks a raw `$filter` string before it is sent or combined with other conditions: no control
 * characters, string literals closed, parentheses balanced outside literals. A raw filter is the
 * caller's own text and is sent as is; these checks only make sure that wrapping it as `(raw) and (...)`
 * keeps its meaning. Build filters that contain untrusted values with {@link buildFilter} or {@link odataString}.
 */
export function checkRawFilter(raw: string): string {
  if (typeof raw !== "string") throw invalid("a raw filter must be a string");
  const text = raw.trim();
  if (text.length === 0) throw invalid("a raw filter must not be empty");
  if (text.length > MAX_FILTER_LENGTH) throw invalid(`longer than ${MAX_FILTER_LENGTH} characters`);
  if (CONTROL.test(text)) throw invalid("a raw filter must not contain control characters");
  if (LONE_SURROGATE.test(text)) throw invalid("a raw filter must not contain unpaired UTF-16 surrogates");
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "'") {
        if (text[i + 1] === "'") i++;
        else inString = false;
      }
    } else if (c === "'") inString = true;
    else if (c === "(") depth++;
    else if (c === ")" && --depth < 0) throw invalid("unbalanced ')' in the raw filter");
  }
  if (inString) throw invalid("unterminated string literal in the raw filter");
  if (depth !== 0) throw invalid("unbalanced '(' in the raw filter");
  return text;
}

/** Joins filter expressions with `and`, parenthesising each. Undefined parts are left out. */
export function andFilters(...parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined && p.length > 0);
  if (present.length === 0) return undefined;
  return present.length === 1 ? present[0] : present.map((p) => `(${p})`).join(" and ");
}
