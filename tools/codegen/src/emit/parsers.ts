// Emits parsers.ts: for every named schema X, `parseX(input, options)` and its straight-line worker
// `readX(v, p, o)`, where `p` is the JSON pointer of `v` in the parsed document. The code checks
// every constraint of the schema, builds a fresh object, wraps secrets, decodes dates, and throws
// `specViolation(pointer, expected, actual, options)` (which never shows the value) on the first
// problem. Regexes and key sets are module-level constants, compiled once.
import { CodeBlockWriter, type FunctionDeclarationStructure, type Project, type StatementStructures, StructureKind, type VariableStatementStructure, VariableDeclarationKind, type WriterFunction } from "ts-morph";
import { pointerToken } from "../json.js";
import type { Unit } from "../model.js";
import type { JsonType, NamedSchema, SchemaNode } from "../schema.js";
import { banner, blankLine, docSafe, isIdentifier, literal, propertyAccess, propertyKey, renderFile } from "./common.js";
import type { Imports } from "./imports.js";
import { isAny, isUnionType, type TypeNames, typeText } from "./types.js";

/** Most literals compared inline (`v !== "a" && v !== "b"`); more go through a Set. */
const MAX_INLINE_LITERALS = 6;

type PtrPart = { readonly lit: string } | { readonly expr: string };

/** A JSON pointer as a TypeScript expression built from the parent's pointer. */
class Ptr {
  constructor(private readonly parts: readonly PtrPart[]) {}

  static of(expr: string): Ptr {
    return new Ptr([{ expr }]);
  }

  prop(name: string): Ptr {
    return new Ptr([...this.parts, { lit: `/${pointerToken(name)}` }]);
  }

  dynamic(expr: string): Ptr {
    return new Ptr([...this.parts, { lit: "/" }, { expr }]);
  }

  render(): string {
    const merged: PtrPart[] = [];
    for (const part of this.parts) {
      const last = merged[merged.length - 1];
      if ("lit" in part && last !== undefined && "lit" in last) merged[merged.length - 1] = { lit: last.lit + part.lit };
      else merged.push(part);
    }
    return merged.map((p) => ("lit" in p ? JSON.stringify(p.lit) : p.expr)).join(" + ");
  }
}

interface ModuleConst {
  readonly name: string;
  readonly type?: string;
  readonly initializer: string;
}

/** What one parsers.ts needs beyond its functions: constants, helpers, imports. */
class ParserFile {
  readonly consts = new Map<string, ModuleConst>();
  private readonly constNames = new Set<string>();
  readonly helpers = new Set<"codePointLength" | "nested">();
  readonly typeNames: TypeNames;

  constructor(
    readonly unit: Unit,
    readonly imports: Imports,
  ) {
    this.typeNames = {
      typeName: (target) => imports.typeName(target, "./types.js"),
      useSecret: () => imports.add(imports.secretModule(), "Secret", true),
    };
  }

  runtime(name: "specViolation" | "wrapSecret" | "decodeDate" | "pointerToken"): string {
    this.imports.add(this.imports.runtimeModule(), name, false);
    return name;
  }

  secretClass(): string {
    this.imports.add(this.imports.secretModule(), "Secret", false);
    return "Secret";
  }

  /** A module-level constant, created once per key. */
  constant(key: string, base: string, type: string | undefined, initializer: () => string): string {
    const existing = this.consts.get(key);
    if (existing !== undefined) return existing.name;
    let name = base;
    for (let i = 2; this.constNames.has(name); i++) name = `${base}_${i}`;
    this.constNames.add(name);
    this.consts.set(key, { name, initializer: initializer(), ...(type === undefined ? {} : { type }) });
    return name;
  }
}

/** State of one `readX` function being written. */
class Fn {
  private readonly used = new Set(["v", "p", "o"]);

  constructor(
    readonly w: CodeBlockWriter,
    readonly file: ParserFile,
    readonly named: NamedSchema,
  ) {}

  alloc(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_$]/g, "_");
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}${i}`;
    this.used.add(name);
    return name;
  }

  /** `throw specViolation(...)` with a static or computed expectation. */
  fail(ptr: Ptr, expected: string, actual: string, expectedIsExpr = false): string {
    return `throw ${this.file.runtime("specViolation")}(${ptr.render()}, ${expectedIsExpr ? expected : JSON.stringify(expected)}, ${actual}, o)`;
  }

  /** A readable constant name for a node: KEYS_Token_raw, PATTERN_ProviderDescriptor_id. */
  constBase(prefix: string, node: SchemaNode): string {
    const rel = node.pointer.slice(this.named.pointer.length);
    const path = rel
      .split("/")
      .slice(1)
      .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))
      .filter((t, i, all) => !(t === "properties" && i % 2 === 0 && all[i + 1] !== undefined))
      .map((t) => (t === "items" ? "item" : t === "additionalProperties" ? "value" : t));
    return [prefix, this.named.name, ...path].join("_").replace(/[^A-Za-z0-9_$]/g, "_");
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function typeLabel(t: JsonType, node: SchemaNode): string {
  if (t === "string" && node.decode === "date") return "RFC 3339 date-time";
  return t;
}

function lengthLabel(min: number | undefined, max: number | undefined, unit: string, what: string): string {
  if (min !== undefined && max !== undefined) return min === max ? `${what} of exactly ${plural(min, unit)}` : `${what} of ${min} to ${max} ${unit}s`;
  if (min !== undefined) return min === 1 && what === "string" ? "non-empty string" : `${what} of at least ${plural(min, unit)}`;
  return `${what} of at most ${plural(max!, unit)}`;
}

/** The condition that holds when `v` is NOT of type `t` (the throw condition). */
function notType(t: JsonType, v: string, node: SchemaNode, fn: Fn): string {
  switch (t) {
    case "string":
      return node.secret ? `typeof ${v} !== "string" && !(${v} instanceof ${fn.file.secretClass()})` : `typeof ${v} !== "string"`;
    case "integer":
      return `typeof ${v} !== "number" || !Number.isInteger(${v})`;
    case "number":
      return `typeof ${v} !== "number" || !Number.isFinite(${v})`;
    case "boolean":
      return `typeof ${v} !== "boolean"`;
    case "array":
      return `!Array.isArray(${v})`;
    case "object":
      return `typeof ${v} !== "object" || ${v} === null || Array.isArray(${v})`;
    case "null":
      return `${v} !== null`;
  }
}

/** The condition that holds when `v` IS of type `t` (a branch of a union). */
function isType(t: JsonType, v: string, node: SchemaNode, fn: Fn): string {
  switch (t) {
    case "string":
      return node.secret ? `typeof ${v} === "string" || ${v} instanceof ${fn.file.secretClass()}` : `typeof ${v} === "string"`;
    case "integer":
      return `typeof ${v} === "number" && Number.isInteger(${v})`;
    case "number":
      return `typeof ${v} === "number" && Number.isFinite(${v})`;
    case "boolean":
      return `typeof ${v} === "boolean"`;
    case "array":
      return `Array.isArray(${v})`;
    case "object":
      return `typeof ${v} === "object" && ${v} !== null && !Array.isArray(${v})`;
    case "null":
      return `${v} === null`;
  }
}

/** Writes `if (cond) {` ... `}` with the body indented. */
function block(w: CodeBlockWriter, head: string, body: () => void): void {
  w.writeLine(`${head} {`);
  w.indent(body);
  w.newLineIfLastNot();
  w.writeLine("}");
}

/**
 * Writes the statements that validate `src` (an identifier holding an unknown value) against `node`,
 * and returns an expression of the parsed value, valid after those statements.
 */
function emitValue(fn: Fn, node: SchemaNode, src: string, ptr: Ptr): string {
  const w = fn.w;
  if (node.ref !== undefined) {
    const target = node.ref.target!;
    const v = fn.alloc(`v_${target.name}`);
    if (fn.file.imports.isForeign(target)) {
      fn.file.helpers.add("nested");
      w.writeLine(`const ${v} = ${fn.file.imports.foreignParser(target)}(${src}, nested(o, ${ptr.render()}));`);
    } else {
      w.writeLine(`const ${v} = read${target.name}(${src}, ${ptr.render()}, o);`);
    }
    return v;
  }
  if (node.literals !== undefined) return emitLiterals(fn, node, src, ptr);
  if (node.types === undefined) return src;
  const types = node.types;
  const nonNull = types.filter((t) => t !== "null");
  const nullable = types.includes("null");
  if (nonNull.length === 0) {
    w.writeLine(`if (${src} !== null) ${fn.fail(ptr, "null", src)};`);
    return "null";
  }
  if (node.decode === "date") return emitDate(fn, src, ptr, nullable);
  const expected = [...nonNull.map((t) => typeLabel(t, node)), ...(nullable ? ["null"] : [])].join(" or ");
  if (nonNull.length === 1 && !nullable) return emitBranch(fn, node, nonNull[0]!, src, ptr, expected, false);
  const result = fn.alloc("u");
  if (nonNull.length === 1) {
    // T | null: one branch, checked inside.
    w.writeLine(`let ${result}: ${typeText(node, fn.file.typeNames)} = null;`);
    block(w, `if (${src} !== null)`, () => {
      const value = emitBranch(fn, node, nonNull[0]!, src, ptr, expected, false);
      w.writeLine(`${result} = ${value};`);
    });
    return result;
  }
  w.writeLine(`let ${result}: ${typeText(node, fn.file.typeNames)};`);
  let head = nullable ? `if (${src} === null) ${result} = null;\nelse ` : "";
  for (const t of nonNull) {
    const cond = isType(t, src, node, fn);
    w.writeLine(`${head}if (${cond}) {`);
    w.indent(() => {
      const value = emitBranch(fn, node, t, src, ptr, expected, true);
      w.writeLine(`${result} = ${value};`);
    });
    w.newLineIfLastNot();
    head = "} else ";
  }
  w.writeLine(`} else ${fn.fail(ptr, expected, src)};`);
  return result;
}

function emitLiterals(fn: Fn, node: SchemaNode, src: string, ptr: Ptr): string {
  const values = node.literals!;
  const expected = values.length === 1 ? literal(values[0]!) : `one of ${values.map(literal).join(", ")}`;
  if (values.length <= MAX_INLINE_LITERALS) {
    fn.w.writeLine(`if (${values.map((v) => `${src} !== ${literal(v)}`).join(" && ")}) ${fn.fail(ptr, expected, src)};`);
    return src;
  }
  const set = fn.file.constant(`values:${node.doc.path}#${node.pointer}`, fn.constBase("VALUES", node), "ReadonlySet<unknown>", () => `new Set([${values.map(literal).join(", ")}])`);
  fn.w.writeLine(`if (!${set}.has(${src})) ${fn.fail(ptr, expected, src)};`);
  return `${src} as ${typeText(node, fn.file.typeNames)}`;
}

function emitDate(fn: Fn, src: string, ptr: Ptr, nullable: boolean): string {
  const w = fn.w;
  const decodeDate = fn.file.runtime("decodeDate");
  if (!nullable) {
    const d = fn.alloc("d");
    w.writeLine(`const ${d} = ${decodeDate}(${src});`);
    w.writeLine(`if (${d} === undefined) ${fn.fail(ptr, "RFC 3339 date-time", src)};`);
    return d;
  }
  const d = fn.alloc("d");
  w.writeLine(`const ${d} = ${src} === null ? null : ${decodeDate}(${src});`);
  w.writeLine(`if (${d} === undefined) ${fn.fail(ptr, "RFC 3339 date-time or null", src)};`);
  return d;
}

/** One type of a schema: checks the type (unless `checked`) and the type's constraints. */
function emitBranch(fn: Fn, node: SchemaNode, t: JsonType, src: string, ptr: Ptr, expected: string, checked: boolean): string {
  const w = fn.w;
  if (!checked) w.writeLine(`if (${notType(t, src, node, fn)}) ${fn.fail(ptr, expected, src)};`);
  switch (t) {
    case "string":
      return emitString(fn, node, src, ptr);
    case "integer":
    case "number":
      emitBounds(fn, node, t, src, ptr);
      return src;
    case "boolean":
      return src;
    case "null":
      return "null";
    case "array":
      return emitArray(fn, node, src, ptr);
    case "object":
      return emitObject(fn, node, src, ptr);
  }
}

function emitString(fn: Fn, node: SchemaNode, src: string, ptr: Ptr): string {
  const w = fn.w;
  const { minLength: min, maxLength: max, pattern } = node;
  // Lengths count code points (JSON Schema); .length counts UTF-16 units, never fewer, at most twice as many.
  const needsRaw = (min !== undefined && min > 1) || max !== undefined || pattern !== undefined;
  let raw = src;
  if (node.secret && needsRaw) {
    raw = fn.alloc("s");
    w.writeLine(`const ${raw} = typeof ${src} === "string" ? ${src} : ${src}.reveal();`);
  }
  if ((min !== undefined && min > 0) || max !== undefined) {
    const conds: string[] = [];
    if (min === 1) conds.push(`${src}.length === 0`);
    else if (min !== undefined && min > 1) {
      fn.file.helpers.add("codePointLength");
      conds.push(`${src}.length < ${min}`, `(${src}.length < ${2 * min} && codePointLength(${raw}) < ${min})`);
    }
    if (max !== undefined) {
      fn.file.helpers.add("codePointLength");
      const cond = `${src}.length > ${max} && codePointLength(${raw}) > ${max}`;
      conds.push(conds.length === 0 ? cond : `(${cond})`);
    }
    w.writeLine(`if (${conds.join(" || ")}) ${fn.fail(ptr, lengthLabel(min === 0 ? undefined : min, max, "character", "string"), src)};`);
  }
  if (pattern !== undefined) {
    const re = fn.file.constant(`pattern:${pattern}`, fn.constBase("PATTERN", node), undefined, () => regexLiteral(pattern));
    w.writeLine(`if (!${re}.test(${raw})) ${fn.fail(ptr, `string matching /${pattern}/`, src)};`);
  }
  return node.secret ? `${fn.file.runtime("wrapSecret")}(${src})` : src;
}

/** A regex literal for a JSON Schema pattern, with /, quotes and line breaks escaped. */
export function regexLiteral(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) {
        out += c;
        continue;
      }
      out += next === "/" ? "\\/" : escapeRegexChar(next, true);
      i++;
      continue;
    }
    out += escapeRegexChar(c, false);
  }
  return `/${out}/u`;
}

function escapeRegexChar(c: string, escaped: boolean): string {
  switch (c) {
    case "/":
      return "\\/";
    case '"':
      return "\\x22";
    case "'":
      return "\\x27";
    case "`":
      return "\\x60";
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\u2028":
      return "\\u2028";
    case "\u2029":
      return "\\u2029";
    default: {
      const code = c.charCodeAt(0);
      if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, "0")}`;
      return escaped ? `\\${c}` : c;
    }
  }
}

function emitBounds(fn: Fn, node: SchemaNode, t: JsonType, src: string, ptr: Ptr): void {
  const parts: string[] = [];
  const conds: string[] = [];
  if (node.minimum !== undefined) {
    parts.push(`>= ${node.minimum}`);
    conds.push(`${src} < ${node.minimum}`);
  }
  if (node.exclusiveMinimum !== undefined) {
    parts.push(`> ${node.exclusiveMinimum}`);
    conds.push(`${src} <= ${node.exclusiveMinimum}`);
  }
  if (node.maximum !== undefined) {
    parts.push(`<= ${node.maximum}`);
    conds.push(`${src} > ${node.maximum}`);
  }
  if (node.exclusiveMaximum !== undefined) {
    parts.push(`< ${node.exclusiveMaximum}`);
    conds.push(`${src} >= ${node.exclusiveMaximum}`);
  }
  if (conds.length > 0) fn.w.writeLine(`if (${conds.join(" || ")}) ${fn.fail(ptr, `${t} ${parts.join(" and ")}`, src)};`);
}

function emitArray(fn: Fn, node: SchemaNode, src: string, ptr: Ptr): string {
  const w = fn.w;
  const { minItems: min, maxItems: max } = node;
  if ((min !== undefined && min > 0) || max !== undefined) {
    const conds: string[] = [];
    if (min !== undefined && min > 0) conds.push(`${src}.length < ${min}`);
    if (max !== undefined) conds.push(`${src}.length > ${max}`);
    w.writeLine(`if (${conds.join(" || ")}) ${fn.fail(ptr, lengthLabel(min === 0 ? undefined : min, max, "item", "array"), src)};`);
  }
  const a = fn.alloc("a");
  const items = node.items;
  if (items === undefined || isAny(items)) {
    w.writeLine(`const ${a}: unknown[] = ${src}.slice();`);
    return a;
  }
  const itemType = typeText(items, fn.file.typeNames);
  w.writeLine(`const ${a}: ${isUnionType(items) ? `(${itemType})` : itemType}[] = [];`);
  const i = fn.alloc("i");
  block(w, `for (let ${i} = 0; ${i} < ${src}.length; ${i}++)`, () => {
    const e = fn.alloc("e");
    w.writeLine(`const ${e}: unknown = ${src}[${i}];`);
    const value = emitValue(fn, items, e, ptr.dynamic(i));
    w.writeLine(`${a}.push(${value});`);
  });
  return a;
}

/** Whether a schema accepts any value, `undefined` included (`{}`, or a $ref chain to one). */
function acceptsAnything(node: SchemaNode, seen: ReadonlySet<SchemaNode> = new Set()): boolean {
  if (isAny(node)) return true;
  const target = node.ref?.target;
  return target !== undefined && !seen.has(target.schema) && acceptsAnything(target.schema, new Set([...seen, node]));
}

function readProperty(record: string, name: string): string {
  // Property names that objects inherit are rejected by the validator, so this reads own values only.
  return `${record}[${JSON.stringify(name)}]`;
}

function emitObject(fn: Fn, node: SchemaNode, src: string, ptr: Ptr): string {
  const w = fn.w;
  const file = fn.file;
  const props = node.properties ?? [];
  const additional = node.additional;
  const out = fn.alloc("out");
  // An object that keeps nothing (no properties, unknown keys dropped) needs no look inside.
  const r = props.length === 0 && additional.mode === "drop" ? "" : fn.alloc("r");
  if (r !== "") w.writeLine(`const ${r} = ${src} as Record<string, unknown>;`);
  const keySet = () => file.constant(`keys:${node.doc.path}#${node.pointer}`, fn.constBase("KEYS", node), "ReadonlySet<string>", () => `new Set([${props.map((p) => JSON.stringify(p.name)).join(", ")}])`);
  const unknownKey = (k: string) => fn.fail(ptr.dynamic(`${file.runtime("pointerToken")}(${k})`), `"no property " + JSON.stringify(${k})`, `${r}[${k}]`, true);

  if (additional.mode === "reject") {
    if (props.length === 0) {
      const k = fn.alloc("k");
      w.writeLine(`const ${k} = Object.keys(${r})[0];`);
      w.writeLine(`if (${k} !== undefined) ${unknownKey(k)};`);
    } else {
      const keys = keySet();
      const k = fn.alloc("k");
      block(w, `for (const ${k} of Object.keys(${r}))`, () => {
        w.writeLine(`if (!${keys}.has(${k})) ${unknownKey(k)};`);
      });
    }
  }

  const entries: string[] = additional.mode === "keep" ? [`...${r}`] : [];
  for (const p of props) {
    if (!p.required) continue;
    const f = fn.alloc(`f_${p.name}`);
    w.writeLine(`const ${f} = ${readProperty(r, p.name)};`);
    // Every other schema rejects a missing value through its own checks.
    if (acceptsAnything(p.schema)) w.writeLine(`if (${f} === undefined) ${fn.fail(ptr.prop(p.name), "any JSON value", f)};`);
    const value = emitValue(fn, p.schema, f, ptr.prop(p.name));
    entries.push(value === p.name && isIdentifier(p.name) ? p.name : `${propertyKey(p.name)}: ${value}`);
  }
  const isNamedRoot = node === fn.named.schema && node.types?.length === 1;
  const outType = isNamedRoot ? fn.named.name : typeText({ ...node, types: ["object"] }, file.typeNames);
  if (isNamedRoot) file.typeNames.typeName(fn.named);
  w.writeLine(`const ${out}: ${outType} = {${entries.length === 0 ? "" : ` ${entries.join(", ")} `}};`);
  for (const p of props) {
    if (p.required) continue;
    const f = fn.alloc(`f_${p.name}`);
    w.writeLine(`const ${f} = ${readProperty(r, p.name)};`);
    block(w, `if (${f} !== undefined)`, () => {
      const value = emitValue(fn, p.schema, f, ptr.prop(p.name));
      w.writeLine(`${out}${propertyAccess(p.name)} = ${value};`);
    });
  }
  if (additional.mode === "schema") {
    const k = fn.alloc("k");
    block(w, `for (const ${k} of Object.keys(${r}))`, () => {
      if (props.length > 0) w.writeLine(`if (${keySet()}.has(${k})) continue;`);
      const e = fn.alloc("e");
      w.writeLine(`const ${e} = ${r}[${k}];`);
      const value = emitValue(fn, additional.schema, e, ptr.dynamic(`${file.runtime("pointerToken")}(${k})`));
      // "__proto__" from JSON is an own key; assigning it would set the prototype instead.
      w.writeLine(`if (${k} === "__proto__") Object.defineProperty(${out}, ${k}, { value: ${value}, enumerable: true, writable: true, configurable: true });`);
      w.writeLine(`else ${out}[${k}] = ${value};`);
    });
  }
  return out;
}

function readFunction(file: ParserFile, s: NamedSchema): WriterFunction {
  return (w) => {
    const fn = new Fn(w, file, s);
    const value = emitValue(fn, s.schema, "v", Ptr.of("p"));
    w.writeLine(`return ${value};`);
  };
}

function functionStructures(file: ParserFile, s: NamedSchema): FunctionDeclarationStructure[] {
  const typeName = file.typeNames.typeName(s);
  const where = `${s.doc.path}#${s.pointer}`;
  return [
    {
      kind: StructureKind.Function,
      name: `parse${s.name}`,
      isExported: true,
      docs: [
        {
          description: docSafe(
            `Parses a {@link ${typeName}} (\`${where}\`) from JSON: checks every constraint of the spec, wraps secrets, decodes dates and returns a fresh object; \`input\` is never modified.`,
          ),
          tags: [{ tagName: "throws", text: "TokenmintError `invalid_response` (or `options.kind`) naming the JSON pointer of the first bad value; never the value." }],
        },
      ],
      parameters: [
        { name: "input", type: "unknown" },
        { name: "options", type: "ParseOptions", hasQuestionToken: true },
      ],
      returnType: typeName,
      statements: [`return read${s.name}(input, "", options);`],
    },
    {
      kind: StructureKind.Function,
      name: `read${s.name}`,
      parameters: [
        { name: "v", type: "unknown" },
        { name: "p", type: "string" },
        { name: "o", type: "ParseOptions | undefined" },
      ],
      returnType: typeName,
      statements: readFunction(file, s),
    },
  ];
}

const HELPERS: Record<"codePointLength" | "nested", (imports: Imports) => FunctionDeclarationStructure> = {
  codePointLength: () => ({
    kind: StructureKind.Function,
    name: "codePointLength",
    docs: ["Length in code points, as JSON Schema counts string lengths."],
    parameters: [{ name: "s", type: "string" }],
    returnType: "number",
    statements: ["let n = 0;", "for (const _ of s) n++;", "return n;"],
  }),
  nested: () => ({
    kind: StructureKind.Function,
    name: "nested",
    docs: ["Options for parsing a value found at pointer `p` of the document."],
    parameters: [
      { name: "o", type: "ParseOptions | undefined" },
      { name: "p", type: "string" },
    ],
    returnType: "ParseOptions",
    statements: ['return { ...o, pointer: (o?.pointer ?? "") + p };'],
  }),
};

export function emitParsers(project: Project, unit: Unit, imports: Imports): string {
  const file = new ParserFile(unit, imports);
  // A first pass over every function registers the constants, helpers and imports they use, so the
  // module-level declarations can come first; the second pass (ts-morph printing) writes the code.
  for (const s of unit.schemas) readFunction(file, s)(new CodeBlockWriter());
  if (unit.schemas.length > 0) imports.add(imports.runtimeModule(), "ParseOptions", true);
  const functions: StatementStructures[] = unit.schemas.flatMap((s) => functionStructures(file, s));
  const consts: VariableStatementStructure[] = [...file.consts.values()].map((c) => ({
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name: c.name, ...(c.type === undefined ? {} : { type: c.type }), initializer: c.initializer }],
  }));
  const helpers = [...file.helpers].sort().map((h) => HELPERS[h](imports));
  const importStructures = imports.structures();
  return renderFile(project, `/${unit.outDir}/parsers.ts`, {
    statements:
      functions.length === 0
        ? [banner(unit.sources), "export {};"]
        : [banner(unit.sources), ...importStructures, blankLine, ...consts, blankLine, ...helpers, ...functions],
  });
}
