// The OData subset the emulator answers, as Intersight documents it for its list endpoints:
// `$filter` (eq ne gt ge lt le, and or not, parentheses, contains/startswith/endswith, string
// literals in single quotes with '' as the escape, numbers, true/false/null, DateTimeOffset
// literals), `$orderby`, `$select`, `$top`, `$skip`, `$count`, `$inlinecount`. A parser, a type
// check against the iam.OAuthToken catalogue, and an evaluator over plain JSON records.
import { isOAuthTokenProperty, type PropertyKind, resolvePath } from "../properties.js";

/** A query the emulator cannot accept; answered as HTTP 400 with Intersight's error body. */
export class ODataError extends Error {
  override readonly name = "ODataError";
  constructor(
    message: string,
    /** Which query option was wrong, e.g. "$filter". */
    readonly option: string,
  ) {
    super(message);
  }
}

export type LiteralKind = "string" | "number" | "boolean" | "null" | "datetime";

export type Operand = { readonly type: "property"; readonly path: readonly string[]; readonly kind: PropertyKind } | { readonly type: "literal"; readonly kind: LiteralKind; readonly value: string | number | boolean | null };

export type ComparisonOperator = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
export type StringFunction = "contains" | "startswith" | "endswith";

export type Expression =
  | { readonly type: "and" | "or"; readonly left: Expression; readonly right: Expression }
  | { readonly type: "not"; readonly operand: Expression }
  | { readonly type: "compare"; readonly op: ComparisonOperator; readonly left: Operand; readonly right: Operand }
  | { readonly type: "function"; readonly name: StringFunction; readonly property: Operand & { type: "property" }; readonly text: string };

type Token = { kind: "lparen" | "rparen" | "comma"; at: number } | { kind: "word"; text: string; at: number } | { kind: "literal"; literal: Operand & { type: "literal" }; at: number };

const COMPARISONS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const FUNCTIONS = new Set(["contains", "startswith", "endswith"]);
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,12})?)?(?:Z|[+-]\d{2}:\d{2})/i;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*(?:[./][A-Za-z_][A-Za-z0-9_]*)*/;
const MAX_LENGTH = 16_384;
const MAX_DEPTH = 64;

function fail(message: string): ODataError {
  return new ODataError(message, "$filter");
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t") {
      i++;
    } else if (c === "(") {
      tokens.push({ kind: "lparen", at: i++ });
    } else if (c === ")") {
      tokens.push({ kind: "rparen", at: i++ });
    } else if (c === ",") {
      tokens.push({ kind: "comma", at: i++ });
    } else if (c === "'") {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw fail(`unterminated string literal at position ${start}`);
        const d = text[i]!;
        if (d === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += d;
        i++;
      }
      tokens.push({ kind: "literal", literal: { type: "literal", kind: "string", value }, at: start });
    } else {
      const rest = text.slice(i);
      const date = DATETIME.exec(rest);
      if (date) {
        const time = Date.parse(date[0]);
        if (Number.isNaN(time)) throw fail(`invalid date-time literal ${date[0]}`);
        tokens.push({ kind: "literal", literal: { type: "literal", kind: "datetime", value: date[0] }, at: i });
        i += date[0].length;
        continue;
      }
      const num = NUMBER.exec(rest);
      if (num) {
        tokens.push({ kind: "literal", literal: { type: "literal", kind: "number", value: Number(num[0]) }, at: i });
        i += num[0].length;
        continue;
      }
      const word = WORD.exec(rest);
      if (!word) throw fail(`unexpected character ${JSON.stringify(c)} at position ${i}`);
      const w = word[0];
      if (w === "true" || w === "false") tokens.push({ kind: "literal", literal: { type: "literal", kind: "boolean", value: w === "true" }, at: i });
      else if (w === "null") tokens.push({ kind: "literal", literal: { type: "literal", kind: "null", value: null }, at: i });
      else tokens.push({ kind: "word", text: w, at: i });
      i += w.length;
    }
  }
  return tokens;
}

class Parser {
  #pos = 0;
  constructor(readonly tokens: readonly Token[]) {}

  parse(): Expression {
    const expr = this.#or(0);
    const extra = this.tokens[this.#pos];
    if (extra !== undefined) throw fail(`unexpected ${describeToken(extra)} at position ${extra.at}`);
    return expr;
  }

  #peekWord(text: string): boolean {
    const t = this.tokens[this.#pos];
    return t?.kind === "word" && t.text === text;
  }

  #or(depth: number): Expression {
    let left = this.#and(depth);
    while (this.#peekWord("or")) {
      this.#pos++;
      left = { type: "or", left, right: this.#and(depth) };
    }
    return left;
  }

  #and(depth: number): Expression {
    let left = this.#unary(depth);
    while (this.#peekWord("and")) {
      this.#pos++;
      left = { type: "and", left, right: this.#unary(depth) };
    }
    return left;
  }

  #unary(depth: number): Expression {
    if (depth > MAX_DEPTH) throw fail(`expression nested more than ${MAX_DEPTH} levels deep`);
    if (this.#peekWord("not")) {
      this.#pos++;
      return { type: "not", operand: this.#unary(depth + 1) };
    }
    const t = this.tokens[this.#pos];
    if (t === undefined) throw fail("unexpected end of the expression");
    if (t.kind === "lparen") {
      this.#pos++;
      const inner = this.#or(depth + 1);
      this.#expect("rparen", "')'");
      return inner;
    }
    if (t.kind === "word" && FUNCTIONS.has(t.text) && this.tokens[this.#pos + 1]?.kind === "lparen") return this.#function(t.text as StringFunction);
    const left = this.#operand();
    const op = this.tokens[this.#pos];
    if (op?.kind !== "word" || !COMPARISONS.has(op.text)) throw fail(op === undefined ? "expected a comparison operator at the end of the expression" : `expected a comparison operator (eq, ne, gt, ge, lt, le) at position ${op.at}`);
    this.#pos++;
    const right = this.#operand();
    return checkComparison({ type: "compare", op: op.text as ComparisonOperator, left, right });
  }

  #function(name: StringFunction): Expression {
    this.#pos += 2;
    const property = this.#operand();
    this.#expect("comma", "','");
    const text = this.#operand();
    this.#expect("rparen", "')'");
    if (property.type !== "property" || property.kind !== "string") throw fail(`${name}() needs a string property as its first argument`);
    if (text.type !== "literal" || text.kind !== "string") throw fail(`${name}() needs a string literal as its second argument`);
    return { type: "function", name, property, text: text.value as string };
  }

  #operand(): Operand {
    const t = this.tokens[this.#pos];
    if (t === undefined) throw fail("unexpected end of the expression");
    if (t.kind === "literal") {
      this.#pos++;
      return t.literal;
    }
    if (t.kind === "word" && !COMPARISONS.has(t.text) && t.text !== "and" && t.text !== "or" && t.text !== "not") {
      this.#pos++;
      const resolved = resolvePath(t.text);
      if (resolved === undefined) throw fail(`the property '${t.text}' does not exist in 'iam.OAuthToken' or cannot be compared`);
      return { type: "property", path: resolved.segments, kind: resolved.kind };
    }
    throw fail(`unexpected ${describeToken(t)} at position ${t.at}`);
  }

  #expect(kind: "rparen" | "comma", what: string): void {
    const t = this.tokens[this.#pos];
    if (t?.kind !== kind) throw fail(t === undefined ? `expected ${what} at the end of the expression` : `expected ${what} at position ${t.at}`);
    this.#pos++;
  }
}

function describeToken(t: Token): string {
  if (t.kind === "word") return `'${t.text}'`;
  if (t.kind === "literal") return "literal";
  return t.kind === "lparen" ? "'('" : t.kind === "rparen" ? "')'" : "','";
}

/** Literal kinds a property kind accepts. Date-time properties also take quoted RFC 3339 strings. */
function compatible(property: PropertyKind, literal: LiteralKind): boolean {
  if (literal === "null") return true;
  if (property === "datetime") return literal === "datetime" || literal === "string";
  return property === literal;
}

function checkComparison(expr: Expression & { type: "compare" }): Expression {
  const { left, right, op } = expr;
  if (left.type === "property" && right.type === "property") {
    if (left.kind !== right.kind) throw fail(`cannot compare ${left.path.join(".")} with ${right.path.join(".")}: different types`);
    return expr;
  }
  const property = left.type === "property" ? left : right.type === "property" ? right : undefined;
  const literal = left.type === "literal" ? left : right.type === "literal" ? right : undefined;
  if (property !== undefined && literal !== undefined) {
    if (!compatible(property.kind, literal.kind)) throw fail(`the value for ${property.path.join(".")} must be a ${property.kind} literal, got a ${literal.kind}`);
    if (property.kind === "datetime" && literal.kind === "string" && Number.isNaN(Date.parse(literal.value as string))) throw fail(`'${literal.value}' is not a valid date-time for ${property.path.join(".")}`);
    if (literal.kind === "null" && op !== "eq" && op !== "ne") throw fail(`null can only be compared with eq or ne`);
    if (property.kind === "boolean" && op !== "eq" && op !== "ne") throw fail(`${op} does not apply to the boolean ${property.path.join(".")}`);
  }
  return expr;
}

/** Parses a `$filter` expression; throws {@link ODataError} with Intersight-like wording when it is invalid. */
export function parseFilter(text: string): Expression {
  if (text.length > MAX_LENGTH) throw fail(`longer than ${MAX_LENGTH} characters`);
  const tokens = tokenize(text);
  if (tokens.length === 0) throw fail("empty expression");
  return new Parser(tokens).parse();
}

type Json = unknown;

function valueAt(record: Readonly<Record<string, Json>>, path: readonly string[]): Json {
  let current: Json = record;
  for (const segment of path) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return null;
    current = (current as Record<string, Json>)[segment];
    if (current === undefined) return null;
  }
  return current;
}

function operandValue(record: Readonly<Record<string, Json>>, operand: Operand): { kind: PropertyKind | LiteralKind; value: Json } {
  return operand.type === "property" ? { kind: operand.kind, value: valueAt(record, operand.path) } : { kind: operand.kind, value: operand.value };
}

/** `2024-01-02T03:04:05.678Z`: the canonical UTC form, whose text order is its time order. */
function isCanonicalUtc(s: string): boolean {
  return s.length === 24 && s.charCodeAt(23) === 90 /* Z */ && s.charCodeAt(10) === 84 /* T */ && s.charCodeAt(19) === 46 /* . */;
}

/** Orders two non-null values; date-times by instant, strings by UTF-16 code units. */
function order(a: Json, b: Json, asTime: boolean): number {
  if (asTime) {
    // Fast path: the emulator stores canonical UTC strings, and sorting 10,000 of them should not parse dates.
    if (typeof a === "string" && typeof b === "string" && isCanonicalUtc(a) && isCanonicalUtc(b)) return a === b ? 0 : a < b ? -1 : 1;
    const ta = typeof a === "string" ? Date.parse(a) : Number.NaN;
    const tb = typeof b === "string" ? Date.parse(b) : Number.NaN;
    return ta === tb ? 0 : ta < tb ? -1 : 1;
  }
  if (typeof a === "number" && typeof b === "number") return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  const sa = String(a);
  const sb = String(b);
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

/** Whether a record satisfies a parsed filter. A missing property is null. */
export function evaluate(expr: Expression, record: Readonly<Record<string, Json>>): boolean {
  switch (expr.type) {
    case "and":
      return evaluate(expr.left, record) && evaluate(expr.right, record);
    case "or":
      return evaluate(expr.left, record) || evaluate(expr.right, record);
    case "not":
      return !evaluate(expr.operand, record);
    case "function": {
      const value = valueAt(record, expr.property.path);
      if (typeof value !== "string") return false;
      return expr.name === "contains" ? value.includes(expr.text) : expr.name === "startswith" ? value.startsWith(expr.text) : value.endsWith(expr.text);
    }
    case "compare": {
      const left = operandValue(record, expr.left);
      const right = operandValue(record, expr.right);
      if (left.value === null || right.value === null) {
        const bothNull = left.value === null && right.value === null;
        return expr.op === "eq" ? bothNull : expr.op === "ne" ? !bothNull : false;
      }
      const asTime = left.kind === "datetime" || right.kind === "datetime";
      if (!asTime && typeof left.value !== typeof right.value) return expr.op === "ne";
      const c = order(left.value, right.value, asTime);
      switch (expr.op) {
        case "eq":
          return c === 0;
        case "ne":
          return c !== 0;
        case "gt":
          return c > 0;
        case "ge":
          return c >= 0;
        case "lt":
          return c < 0;
        case "le":
          return c <= 0;
      }
    }
  }
}

export interface OrderKey {
  readonly path: readonly string[];
  readonly kind: PropertyKind;
  readonly descending: boolean;
}

/** Parses `$orderby`: `Prop [asc|desc]` separated by commas. */
export function parseOrderBy(text: string): OrderKey[] {
  const keys: OrderKey[] = [];
  for (const part of text.split(",")) {
    const words = part.trim().split(/\s+/);
    const [name, direction, extra] = words;
    if (name === undefined || name === "" || extra !== undefined || (direction !== undefined && direction !== "asc" && direction !== "desc")) {
      throw new ODataError(`invalid $orderby clause ${JSON.stringify(part.trim())}: expected 'Property [asc|desc]'`, "$orderby");
    }
    const resolved = resolvePath(name);
    if (resolved === undefined) throw new ODataError(`the property '${name}' does not exist in 'iam.OAuthToken' or cannot be sorted on`, "$orderby");
    keys.push({ path: resolved.segments, kind: resolved.kind, descending: direction === "desc" });
  }
  return keys;
}

/** A comparator for `$orderby` keys; null sorts first ascending (as MongoDB, Intersight's store, does). */
export function comparator(keys: readonly OrderKey[]): (a: Readonly<Record<string, Json>>, b: Readonly<Record<string, Json>>) => number {
  return (a, b) => {
    for (const key of keys) {
      const va = valueAt(a, key.path);
      const vb = valueAt(b, key.path);
      let c: number;
      if (va === null || vb === null) c = va === vb ? 0 : va === null ? -1 : 1;
      else c = order(va, vb, key.kind === "datetime");
      if (c !== 0) return key.descending ? -c : c;
    }
    return 0;
  };
}

/** Parses `$select`: property names separated by commas (top-level properties only). */
export function parseSelect(text: string): string[] {
  const names = text.split(",").map((s) => s.trim());
  for (const name of names) {
    if (!isOAuthTokenProperty(name)) throw new ODataError(`the property '${name}' does not exist in 'iam.OAuthToken'`, "$select");
  }
  return names;
}
