// Emits types.ts: an interface (object schemas) or a type alias (everything else) per named schema,
// with TSDoc from the spec. Also the compact type printer the parser emitter uses.
import { type InterfaceDeclarationStructure, type Project, type StatementStructures, StructureKind, type TypeAliasDeclarationStructure } from "ts-morph";
import type { Unit } from "../model.js";
import type { JsonType, NamedSchema, SchemaNode } from "../schema.js";
import { banner, blankLine, docLines, docs, line, literal, propertyKey, renderFile, spaced } from "./common.js";
import type { Imports } from "./imports.js";

/** How a type printer names schemas and notes the imports it needs. */
export interface TypeNames {
  typeName(target: NamedSchema): string;
  /** Called when the type `Secret` is used. */
  useSecret(): void;
}

/** True when the node's TypeScript type is a union at its top level (needs parentheses in `T[]`). */
export function isUnionType(node: SchemaNode): boolean {
  if (node.ref !== undefined) return false;
  if (node.literals !== undefined) return node.literals.length > 1;
  return node.types !== undefined && node.types.length > 1;
}

/** A schema that accepts any JSON value. */
export function isAny(node: SchemaNode): boolean {
  return node.ref === undefined && node.literals === undefined && node.types === undefined;
}

function indexSignatureType(node: SchemaNode, names: TypeNames): string | undefined {
  const a = node.additional;
  if (a.mode === "keep") return "unknown";
  if (a.mode !== "schema") return undefined;
  const extra = typeText(a.schema, names);
  if (extra === "unknown") return "unknown";
  // Declared properties must fit the index signature too.
  const members = [extra];
  for (const p of node.properties ?? []) members.push(typeText(p.schema, names));
  if (node.properties?.some((p) => !p.required)) members.push("undefined");
  return [...new Set(members)].join(" | ");
}

function singleType(t: JsonType, node: SchemaNode, names: TypeNames, objectText: () => string): string {
  switch (t) {
    case "string":
      if (node.secret) {
        names.useSecret();
        return "Secret";
      }
      return node.decode === "date" ? "Date" : "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return arrayText(node.items, (n) => typeText(n, names));
    case "object":
      return objectText();
  }
}

function arrayText(items: SchemaNode | undefined, print: (n: SchemaNode) => string): string {
  if (items === undefined) return "unknown[]";
  const text = print(items);
  return isUnionType(items) ? `(${text})[]` : `${text}[]`;
}

/** The TypeScript type of a schema on one line (no doc comments), for annotations in parsers. */
export function typeText(node: SchemaNode, names: TypeNames): string {
  if (node.ref !== undefined) return names.typeName(node.ref.target!);
  if (node.literals !== undefined) return node.literals.map(literal).join(" | ");
  if (node.types === undefined) return "unknown";
  return node.types.map((t) => singleType(t, node, names, () => objectTextCompact(node, names))).join(" | ");
}

function objectTextCompact(node: SchemaNode, names: TypeNames): string {
  const members = (node.properties ?? []).map((p) => `${propertyKey(p.name)}${p.required ? "" : "?"}: ${typeText(p.schema, names)}`);
  const index = indexSignatureType(node, names);
  if (index !== undefined) members.push(`[key: string]: ${index}`);
  return members.length === 0 ? "Record<string, never>" : `{ ${members.join("; ")} }`;
}

/**
 * The TypeScript type of a schema for types.ts: nested object types span several lines with a doc
 * comment per property. `level` is the indentation level of the line the type starts on.
 */
export function typeBlock(node: SchemaNode, names: TypeNames, level: number): string {
  if (node.ref !== undefined || node.literals !== undefined || node.types === undefined) return typeText(node, names);
  return node.types
    .map((t) => {
      if (t === "array") return arrayText(node.items, (n) => typeBlock(n, names, level));
      return singleType(t, node, names, () => objectTextBlock(node, names, level));
    })
    .join(" | ");
}

function objectTextBlock(node: SchemaNode, names: TypeNames, level: number): string {
  const props = node.properties ?? [];
  const index = indexSignatureType(node, names);
  if (props.length === 0 && index === undefined) return "Record<string, never>";
  const lines: string[] = [];
  if (index !== undefined) lines.push(line(level + 1, `[key: string]: ${index};`));
  for (const p of props) {
    lines.push(...docLines(p.schema.annotations, level + 1));
    lines.push(line(level + 1, `${propertyKey(p.name)}${p.required ? "" : "?"}: ${typeBlock(p.schema, names, level + 1)};`));
  }
  return `{\n${lines.join("\n")}\n${line(level, "}")}`;
}

/** The structure of one named schema in types.ts. */
function schemaStructure(s: NamedSchema, names: TypeNames): InterfaceDeclarationStructure | TypeAliasDeclarationStructure {
  const node = s.schema;
  const isObject = node.ref === undefined && node.literals === undefined && node.types?.length === 1 && node.types[0] === "object";
  const index = isObject ? indexSignatureType(node, names) : undefined;
  if (isObject && ((node.properties?.length ?? 0) > 0 || index !== undefined)) {
    return {
      kind: StructureKind.Interface,
      name: s.name,
      isExported: true,
      docs: docs(node.annotations),
      indexSignatures: index === undefined ? [] : [{ keyName: "key", keyType: "string", returnType: index }],
      properties: (node.properties ?? []).map((p) => ({
        name: propertyKey(p.name),
        hasQuestionToken: !p.required,
        type: typeBlock(p.schema, names, 1),
        docs: docs(p.schema.annotations),
      })),
    };
  }
  return { kind: StructureKind.TypeAlias, name: s.name, isExported: true, docs: docs(node.annotations), type: typeBlock(node, names, 0) };
}

export function emitTypes(project: Project, unit: Unit, imports: Imports): string {
  const names: TypeNames = {
    typeName: (target) => imports.typeName(target),
    useSecret: () => imports.add(imports.secretModule(), "Secret", true),
  };
  const declarations: StatementStructures[] = unit.schemas.map((s) => schemaStructure(s, names));
  const importStructures = imports.structures();
  return renderFile(project, `/${unit.outDir}/types.ts`, {
    // A file without declarations still has to be a module, for `export *` in index.ts.
    statements: [banner(unit.sources), ...importStructures, ...(importStructures.length > 0 ? [blankLine] : []), ...(declarations.length > 0 ? spaced(declarations) : ["export {};"])],
  });
}
