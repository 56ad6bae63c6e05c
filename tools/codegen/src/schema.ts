// The schema model: a validated, normalised form of one JSON Schema (2020-12 subset) object, and the
// reader that builds it from JSON while reporting every keyword outside the supported subset.
import { isJsonObject, type JsonObject, type JsonValue, pointerToken } from "./json.js";
import type { SpecDocument } from "./load.js";
import type { Problems } from "./problems.js";

export type JsonType = "string" | "integer" | "number" | "boolean" | "array" | "object" | "null";
export type Literal = string | number | boolean | null;

/** Canonical order of `type` members; the order in the spec does not matter. */
export const TYPE_ORDER: readonly JsonType[] = ["string", "integer", "number", "boolean", "array", "object", "null"];

/** What happens to properties a schema does not declare. */
export type Additional = { readonly mode: "drop" } | { readonly mode: "reject" } | { readonly mode: "keep" } | { readonly mode: "schema"; readonly schema: SchemaNode };

export interface PropertyNode {
  readonly name: string;
  readonly schema: SchemaNode;
  readonly required: boolean;
}

export interface Annotations {
  readonly title?: string;
  readonly description?: string;
  readonly deprecated?: boolean;
  readonly readOnly?: boolean;
  readonly writeOnly?: boolean;
  readonly format?: string;
  readonly default?: { readonly value: JsonValue };
}

export interface SchemaNode {
  readonly doc: SpecDocument;
  readonly pointer: string;
  /** `$ref`, resolved by refs.ts once every document is read. */
  readonly ref?: { readonly text: string; target?: NamedSchema };
  /** `type`, deduplicated in {@link TYPE_ORDER}; undefined when absent (any JSON value). */
  readonly types?: readonly JsonType[];
  /** `enum` values, or the single `const` value. */
  readonly literals?: readonly Literal[];
  readonly properties?: readonly PropertyNode[];
  readonly additional: Additional;
  readonly items?: SchemaNode;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly secret: boolean;
  readonly decode?: "date";
  readonly annotations: Annotations;
}

/** A schema with a name: a core `$defs` entry or a provider `components.schemas` entry. */
export interface NamedSchema {
  readonly name: string;
  readonly doc: SpecDocument;
  readonly pointer: string;
  readonly schema: SchemaNode;
}

/** A `$ref` to resolve once every document is read. */
export interface PendingRef {
  readonly doc: SpecDocument;
  /** Pointer of the object holding the `$ref`. */
  readonly pointer: string;
  readonly text: string;
  /** Set when the `$ref` is in a schema position: it must then point to a named schema. */
  readonly node?: SchemaNode;
}

export interface SchemaContext {
  readonly problems: Problems;
  readonly refs: PendingRef[];
}

const ANNOTATIONS = new Set(["$comment", "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly"]);
const BY_TYPE: Readonly<Record<string, JsonType | "numeric">> = {
  minLength: "string",
  maxLength: "string",
  pattern: "string",
  minimum: "numeric",
  maximum: "numeric",
  exclusiveMinimum: "numeric",
  exclusiveMaximum: "numeric",
  items: "array",
  minItems: "array",
  maxItems: "array",
  properties: "object",
  required: "object",
  additionalProperties: "object",
};
const SUPPORTED = new Set([...ANNOTATIONS, ...Object.keys(BY_TYPE), "$ref", "type", "enum", "const", "format", "x-secret", "x-decode"]);
const ROOT_ONLY = new Set(["$schema", "$id", "$defs"]);
const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;
/** Names every object inherits ("constructor", "toString", "__proto__", ...): as property names they break types and reads. */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));
/** Names a schema may not take: they would shadow what generated code uses. */
const RESERVED_NAMES = new Set(["Array", "Boolean", "Date", "Error", "ErrorMapping", "Map", "Number", "Object", "ParseOptions", "Promise", "Record", "RegExp", "Secret", "Set", "String", "Symbol"]);

export function checkSchemaName(name: string, doc: SpecDocument, pointer: string, problems: Problems): boolean {
  if (!PASCAL_CASE.test(name)) {
    problems.add(doc.path, pointer, `schema name ${JSON.stringify(name)} is not a PascalCase identifier (letters and digits, starting with an upper-case letter)`);
    return false;
  }
  if (RESERVED_NAMES.has(name)) {
    problems.add(doc.path, pointer, `schema name ${JSON.stringify(name)} is reserved (it would shadow a name the generated code uses)`);
    return false;
  }
  return true;
}

function isLiteral(v: JsonValue): v is Literal {
  return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function literalMatches(v: Literal, t: JsonType): boolean {
  switch (t) {
    case "string":
      return typeof v === "string";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number";
    case "boolean":
      return typeof v === "boolean";
    case "null":
      return v === null;
    default:
      return false;
  }
}

function nonNegativeInteger(v: JsonValue): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

/** Reads the schema at `pointer` (JSON `json`); reports problems and returns the model even when invalid. */
export function readSchema(json: JsonValue, doc: SpecDocument, pointer: string, ctx: SchemaContext): SchemaNode {
  const problems = ctx.problems;
  const report = (message: string) => problems.add(doc.path, pointer, message);
  if (!isJsonObject(json)) {
    report(typeof json === "boolean" ? "boolean schemas are not supported: write a schema object" : "a schema must be a JSON object");
    return { doc, pointer, additional: { mode: "drop" }, secret: false, annotations: {} };
  }
  const s: JsonObject = json;
  const keys = Object.keys(s);
  for (const key of keys) {
    if (ROOT_ONLY.has(key)) report(`keyword ${JSON.stringify(key)} is only allowed at the root of a core spec`);
    else if (!SUPPORTED.has(key)) report(`unknown keyword ${JSON.stringify(key)}`);
  }
  const has = (k: string) => Object.hasOwn(s, k);

  // Annotations.
  const annotations: { -readonly [K in keyof Annotations]: Annotations[K] } = {};
  for (const k of ["$comment", "title", "description", "format"] as const) {
    if (has(k) && typeof s[k] !== "string") report(`${JSON.stringify(k)} must be a string`);
  }
  if (typeof s["title"] === "string") annotations.title = s["title"];
  if (typeof s["description"] === "string") annotations.description = s["description"];
  if (typeof s["format"] === "string") annotations.format = s["format"];
  for (const k of ["deprecated", "readOnly", "writeOnly"] as const) {
    if (!has(k)) continue;
    const v = s[k];
    if (typeof v !== "boolean") report(`${JSON.stringify(k)} must be a boolean`);
    else annotations[k] = v;
  }
  if (has("examples") && !Array.isArray(s["examples"])) report(`"examples" must be an array`);
  if (has("default")) annotations.default = { value: s["default"]! };

  // $ref.
  let ref: { text: string; target?: NamedSchema } | undefined;
  if (has("$ref")) {
    const text = s["$ref"];
    if (typeof text !== "string") report(`"$ref" must be a string`);
    else ref = { text };
    for (const k of keys) {
      if (k !== "$ref" && !ANNOTATIONS.has(k) && SUPPORTED.has(k)) report(`"$ref" cannot be combined with ${JSON.stringify(k)} (only annotations may sit next to it)`);
    }
  }

  // type.
  let types: JsonType[] | undefined;
  // When "type" itself is wrong, checks that depend on it would only repeat the problem.
  let typeBroken = false;
  if (has("type")) {
    const raw = s["type"]!;
    const list = typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw : undefined;
    if (list === undefined || list.length === 0 || !list.every((t) => typeof t === "string")) {
      report(`"type" must be a type name or a non-empty array of type names`);
      typeBroken = true;
    } else {
      const seen = new Set<string>();
      for (const t of list as string[]) {
        if (!(TYPE_ORDER as readonly string[]).includes(t)) {
          report(`unknown type ${JSON.stringify(t)} (expected one of ${TYPE_ORDER.map((x) => JSON.stringify(x)).join(", ")})`);
          typeBroken = true;
        } else if (seen.has(t)) report(`type ${JSON.stringify(t)} is listed twice`);
        seen.add(t);
      }
      if (!typeBroken) types = TYPE_ORDER.filter((t) => seen.has(t));
      if (types?.includes("integer") && types.includes("number")) report(`"type" lists both "integer" and "number": "number" already includes integers`);
    }
  }

  // Keywords that need a particular type.
  const typeOk = types !== undefined;
  for (const k of typeBroken ? [] : keys) {
    const needed = BY_TYPE[k];
    if (needed === undefined || !typeOk) {
      if (needed !== undefined && ref === undefined) report(`${JSON.stringify(k)} needs "type" to include ${needed === "numeric" ? `"integer" or "number"` : JSON.stringify(needed)}`);
      continue;
    }
    const ok = needed === "numeric" ? types!.includes("integer") || types!.includes("number") : types!.includes(needed);
    if (!ok) report(`${JSON.stringify(k)} needs "type" to include ${needed === "numeric" ? `"integer" or "number"` : JSON.stringify(needed)}`);
  }

  // enum / const.
  let literals: Literal[] | undefined;
  if (has("enum") && has("const")) report(`"enum" and "const" cannot be combined`);
  if (has("enum")) {
    const v = s["enum"]!;
    if (!Array.isArray(v) || v.length === 0) report(`"enum" must be a non-empty array`);
    else if (!v.every(isLiteral)) report(`"enum" values must be strings, numbers, booleans or null`);
    else {
      const seen = new Set<string>();
      for (const x of v) {
        const key = JSON.stringify(x);
        if (seen.has(key)) report(`"enum" lists ${key} twice`);
        seen.add(key);
      }
      literals = v;
    }
  } else if (has("const")) {
    const v = s["const"]!;
    if (!isLiteral(v)) report(`"const" must be a string, number, boolean or null`);
    else literals = [v];
  }
  if (literals !== undefined && types !== undefined) {
    for (const x of literals) {
      if (!types.some((t) => literalMatches(x, t))) report(`${has("enum") ? "enum" : "const"} value ${JSON.stringify(x)} does not match "type"`);
    }
  }
  if (literals !== undefined) {
    for (const k of keys) if (BY_TYPE[k] !== undefined) report(`${JSON.stringify(k)} cannot be combined with ${has("enum") ? `"enum"` : `"const"`}`);
    for (const k of ["x-secret", "x-decode"]) if (has(k) && s[k] !== false) report(`${JSON.stringify(k)} cannot be combined with ${has("enum") ? `"enum"` : `"const"`}`);
  }

  // Numbers.
  const num: Record<string, number> = {};
  for (const k of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] as const) {
    if (!has(k)) continue;
    const v = s[k];
    if (typeof v !== "number") report(`${JSON.stringify(k)} must be a number`);
    else num[k] = v;
  }
  for (const k of ["minLength", "maxLength", "minItems", "maxItems"] as const) {
    if (!has(k)) continue;
    const v = s[k]!;
    if (!nonNegativeInteger(v)) report(`${JSON.stringify(k)} must be a non-negative integer`);
    else num[k] = v;
  }
  const lower = Math.max(num["minimum"] ?? -Infinity, num["exclusiveMinimum"] ?? -Infinity);
  const upper = Math.min(num["maximum"] ?? Infinity, num["exclusiveMaximum"] ?? Infinity);
  if (lower > upper) report(`the lower bound is greater than the upper bound: no number can match`);
  if ((num["minLength"] ?? 0) > (num["maxLength"] ?? Infinity)) report(`"minLength" is greater than "maxLength"`);
  if ((num["minItems"] ?? 0) > (num["maxItems"] ?? Infinity)) report(`"minItems" is greater than "maxItems"`);

  // pattern.
  let pattern: string | undefined;
  if (has("pattern")) {
    const v = s["pattern"];
    if (typeof v !== "string") report(`"pattern" must be a string`);
    else {
      try {
        new RegExp(v, "u");
        pattern = v;
      } catch (error) {
        report(`"pattern" is not a valid regular expression (ECMA-262, u flag): ${(error as Error).message}`);
      }
    }
  }

  // x-secret / x-decode.
  const stringish = types?.includes("string") === true && types.every((t) => t === "string" || t === "null");
  let secret = false;
  if (has("x-secret")) {
    const v = s["x-secret"];
    if (typeof v !== "boolean") report(`"x-secret" must be a boolean`);
    else secret = v;
    if (v === true && !stringish && ref === undefined && !typeBroken) report(`"x-secret" is only allowed on a string (type "string" or ["string", "null"])`);
  }
  let decode: "date" | undefined;
  if (has("x-decode")) {
    const v = s["x-decode"];
    if (v !== "date") report(`unknown "x-decode" value ${JSON.stringify(v)} (supported: "date")`);
    else decode = v;
    if (!stringish && ref === undefined && !typeBroken) report(`"x-decode" is only allowed on a string (type "string" or ["string", "null"])`);
    if (secret) report(`"x-decode" cannot be combined with "x-secret"`);
    for (const k of ["minLength", "maxLength", "pattern"]) if (has(k)) report(`${JSON.stringify(k)} cannot be combined with "x-decode"`);
  }

  // Objects.
  let properties: PropertyNode[] | undefined;
  const requiredNames = new Set<string>();
  if (has("required")) {
    const v = s["required"]!;
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) report(`"required" must be an array of strings`);
    else {
      for (const x of v as string[]) {
        if (requiredNames.has(x)) report(`"required" lists ${JSON.stringify(x)} twice`);
        requiredNames.add(x);
      }
    }
  }
  if (has("properties")) {
    const v = s["properties"]!;
    if (!isJsonObject(v)) report(`"properties" must be an object`);
    else {
      properties = [];
      for (const name of Object.keys(v)) {
        const at = `${pointer}/properties/${pointerToken(name)}`;
        if (INHERITED.has(name)) problems.add(doc.path, at, `property name ${JSON.stringify(name)} is not supported (every object inherits it)`);
        properties.push({ name, required: requiredNames.has(name), schema: readSchema(v[name]!, doc, at, ctx) });
      }
    }
  }
  for (const name of requiredNames) {
    if (!properties?.some((p) => p.name === name)) report(`"required" lists ${JSON.stringify(name)}, which is not in "properties"`);
  }
  let additional: Additional = { mode: "drop" };
  if (has("additionalProperties")) {
    const v = s["additionalProperties"]!;
    if (v === true) additional = { mode: "keep" };
    else if (v === false) additional = { mode: "reject" };
    else if (isJsonObject(v)) additional = { mode: "schema", schema: readSchema(v, doc, `${pointer}/additionalProperties`, ctx) };
    else report(`"additionalProperties" must be a boolean or a schema`);
  }

  // Arrays.
  let items: SchemaNode | undefined;
  if (has("items")) {
    const v = s["items"]!;
    if (Array.isArray(v)) report(`"items" must be a schema (tuple validation is not supported)`);
    else items = readSchema(v, doc, `${pointer}/items`, ctx);
  }

  const node: SchemaNode = {
    doc,
    pointer,
    ...(ref === undefined ? {} : { ref }),
    ...(types === undefined ? {} : { types }),
    ...(literals === undefined ? {} : { literals }),
    ...(properties === undefined ? {} : { properties }),
    additional,
    ...(items === undefined ? {} : { items }),
    ...num,
    ...(pattern === undefined ? {} : { pattern }),
    secret,
    ...(decode === undefined ? {} : { decode }),
    annotations,
  };
  if (ref !== undefined) ctx.refs.push({ doc, pointer, text: ref.text, node });
  return node;
}
