// Emits the non-type files: errors.ts (the canonical error table), secrets.ts (core's secret fields),
// spec.ts (a provider's id, operations, error map, request id headers and secret fields), index.ts.
import { type ExportDeclarationStructure, type Project, type StatementStructures, StructureKind, VariableDeclarationKind, type VariableStatementStructure } from "ts-morph";
import { pointerToken } from "../json.js";
import type { Model, Unit } from "../model.js";
import type { NamedSchema, SchemaNode } from "../schema.js";
import { banner, blankLine, compareCodeUnits, docSafe, line, literal, propertyKey, renderFile, spaced } from "./common.js";
import { CORE_PACKAGE } from "./imports.js";

/**
 * JSON pointers, relative to a schema, of every x-secret field it holds, following $refs (a cycle
 * stops at the schema already being walked). `*` stands for any array index or any property name
 * matched by additionalProperties.
 */
export function secretPointers(node: SchemaNode, stack: ReadonlySet<NamedSchema> = new Set()): string[] {
  const out: string[] = [];
  const walk = (n: SchemaNode, at: string, seen: ReadonlySet<NamedSchema>) => {
    const target = n.ref?.target;
    if (target !== undefined) {
      if (!seen.has(target)) walk(target.schema, at, new Set([...seen, target]));
      return;
    }
    if (n.secret) out.push(at);
    for (const p of n.properties ?? []) walk(p.schema, `${at}/${pointerToken(p.name)}`, seen);
    if (n.additional.mode === "schema") walk(n.additional.schema, `${at}/*`, seen);
    if (n.items !== undefined) walk(n.items, `${at}/*`, seen);
  };
  walk(node, "", stack);
  return [...new Set(out)].sort(compareCodeUnits);
}

function secretFields(unit: Unit): [string, string[]][] {
  return unit.schemas.map((s): [string, string[]] => [s.name, secretPointers(s.schema, new Set([s]))]).filter(([, p]) => p.length > 0);
}

/** The property name each secret pointer ends in (the nearest real name before `*` tokens). */
export function secretWireNames(fields: readonly [string, readonly string[]][]): string[] {
  const names = new Set<string>();
  for (const [, pointers] of fields) {
    for (const p of pointers) {
      const tokens = p
        .split("/")
        .slice(1)
        .filter((t) => t !== "*");
      const last = tokens[tokens.length - 1];
      if (last !== undefined) names.add(last.replace(/~1/g, "/").replace(/~0/g, "~"));
    }
  }
  return [...names].sort(compareCodeUnits);
}

function constStatement(name: string, type: string | undefined, initializer: string, description: string, asConst = false): VariableStatementStructure {
  return {
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    docs: [{ description: docSafe(description) }],
    declarations: [{ name, ...(type === undefined ? {} : { type }), initializer: asConst ? `${initializer} as const` : initializer }],
  };
}

/** A multi-line array or object literal whose entries sit at indentation level 1. */
function multiline(open: string, entries: readonly string[], close: string): string {
  if (entries.length === 0) return `${open}${close}`;
  return `${open}\n${entries.map((e) => line(1, `${e},`)).join("\n")}\n${line(0, close)}`;
}

function secretFieldsStatement(unit: Unit): VariableStatementStructure {
  const fields = secretFields(unit);
  return constStatement(
    "SECRET_FIELDS",
    "{ readonly [schema: string]: readonly string[] }",
    multiline(
      "{",
      fields.map(([name, pointers]) => `${propertyKey(name)}: [${pointers.map((p) => JSON.stringify(p)).join(", ")}]`),
      "}",
    ),
    "JSON pointers, relative to each schema, of its x-secret fields (`*`: any array index or extra property). Schemas without secrets are absent.",
  );
}

export function emitErrors(project: Project, model: Model): string {
  const codes = model.errorCodes;
  const statements = spaced<StatementStructures>([
    constStatement("ERROR_CODES", undefined, multiline("[", codes.map((c) => JSON.stringify(c.code)), "]"), "The canonical error codes, sorted.", true),
    {
      kind: StructureKind.TypeAlias,
      name: "ErrorCode",
      isExported: true,
      docs: ["A canonical error code. Switch on it, never on a message."],
      type: "(typeof ERROR_CODES)[number]",
    },
    {
      kind: StructureKind.Interface,
      name: "ErrorCodeInfo",
      isExported: true,
      docs: ["What the canonical error table says about one code."],
      properties: [
        { name: "description", type: "string", isReadonly: true, docs: ["What the code means."] },
        { name: "retryable", type: "boolean", isReadonly: true, docs: ["Whether an operation failing with this code may be retried (a provider rule can override it)."] },
        { name: "httpStatuses", type: "readonly number[]", isReadonly: true, docs: ["HTTP statuses that map to this code when the provider gives nothing more specific."] },
      ],
    },
    constStatement(
      "ERROR_CODE_INFO",
      "{ readonly [C in ErrorCode]: ErrorCodeInfo }",
      multiline(
        "{",
        codes.map((c) => `${propertyKey(c.code)}: { description: ${JSON.stringify(c.description)}, retryable: ${c.retryable}, httpStatuses: [${c.httpStatuses.join(", ")}] }`),
        "}",
      ),
      "The canonical error table.",
    ),
  ]);
  return renderFile(project, "/packages/core/src/generated/errors.ts", { statements: [banner(model.errorSources), ...statements] });
}

export function emitCoreSecrets(project: Project, unit: Unit): string {
  return renderFile(project, `/${unit.outDir}/secrets.ts`, { statements: [banner(unit.sources), secretFieldsStatement(unit)] });
}

export function emitProviderSpec(project: Project, unit: Unit): string {
  const spec = unit.provider!;
  const operations = [...spec.operations].sort((a, b) => compareCodeUnits(a.operationId, b.operationId));
  const operationEntries = operations.map((op) => {
    const value = `{ method: ${JSON.stringify(op.method)}, path: ${JSON.stringify(op.path)}, retrySafe: ${op.retrySafe}, successStatuses: [${op.successStatuses.join(", ")}] }`;
    const doc = op.summary === undefined ? "" : `/** ${docSafe(op.summary).replace(/\n+/g, " ")} */\n${line(1, "")}`;
    return `${doc}${propertyKey(op.operationId)}: ${value}`;
  });
  const errorEntries = spec.errors.map((rule) => {
    const parts: string[] = [];
    if (rule.status !== undefined) parts.push(`status: ${typeof rule.status === "number" ? rule.status : JSON.stringify(rule.status)}`);
    if (rule.providerCode !== undefined) parts.push(`providerCode: ${JSON.stringify(rule.providerCode)}`);
    parts.push(`code: ${JSON.stringify(rule.code)}`);
    if (rule.retryable !== undefined) parts.push(`retryable: ${rule.retryable}`);
    if (rule.hint !== undefined) parts.push(`hint: ${JSON.stringify(rule.hint)}`);
    return `{ ${parts.join(", ")} }`;
  });
  const statements = spaced<StatementStructures>([
    constStatement("PROVIDER_ID", undefined, literal(spec.id), "The provider id (x-tokenmint.provider).", false),
    constStatement(
      "OPERATIONS",
      undefined,
      multiline("{", operationEntries, "}"),
      "The spec's operations by operationId: HTTP method, path template, whether the transport may repeat the request (x-tokenmint-retry-safe, default false), and the 2xx statuses the spec declares.",
      true,
    ),
    constStatement("ERROR_MAP", "readonly ErrorMapping[]", multiline("[", errorEntries, "]"), "How the provider's errors map to canonical codes (x-tokenmint.errors), in spec order: the first matching rule wins."),
    constStatement("REQUEST_ID_HEADERS", "readonly string[]", `[${spec.requestIdHeaders.map(literal).join(", ")}]`, "Response headers carrying the provider's request id, most specific first."),
    secretFieldsStatement(unit),
    constStatement(
      "SECRET_WIRE_NAMES",
      "readonly string[]",
      `[${secretWireNames(secretFields(unit))
        .map((n) => JSON.stringify(n))
        .join(", ")}]`,
      "Property names of every x-secret field, sorted: their values are redacted from logged bodies.",
    ),
  ]);
  return renderFile(project, `/${unit.outDir}/spec.ts`, {
    statements: [
      banner(unit.sources),
      { kind: StructureKind.ImportDeclaration, moduleSpecifier: CORE_PACKAGE, isTypeOnly: true, namedImports: [{ name: "ErrorMapping" }] },
      blankLine,
      ...statements,
    ],
  });
}

export function emitIndex(project: Project, unit: Unit, modules: readonly string[], sources: readonly string[]): string {
  const exports: ExportDeclarationStructure[] = [...modules].sort(compareCodeUnits).map((m) => ({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `./${m}.js` }));
  return renderFile(project, `/${unit.outDir}/index.ts`, { statements: [banner(sources), ...exports] });
}
