// Tracks what one generated file imports, and how it names schemas of another package (a provider
// spec's refs into core become imports from "@tokenmint/core", renamed when a provider schema has the
// same name).
import { type ImportDeclarationStructure, StructureKind } from "ts-morph";
import type { Unit } from "../model.js";
import type { NamedSchema } from "../schema.js";
import { compareCodeUnits, compareNames } from "./common.js";

export const CORE_PACKAGE = "@tokenmint/core";

interface Specifier {
  readonly name: string;
  readonly alias?: string;
  readonly typeOnly: boolean;
}

export class Imports {
  private readonly modules = new Map<string, Map<string, Specifier>>();
  /** Local name of each core schema, in a provider unit. */
  private readonly coreAliases = new Map<string, string>();
  private readonly taken: Set<string>;

  constructor(readonly unit: Unit) {
    this.taken = new Set(unit.schemas.flatMap((s) => [s.name, `parse${s.name}`, `read${s.name}`]));
  }

  get isCore(): boolean {
    return this.unit.kind === "core";
  }

  /** Module of a runtime helper (spec-runtime.ts) for this unit. */
  runtimeModule(): string {
    return this.isCore ? "../spec-runtime.js" : CORE_PACKAGE;
  }

  secretModule(): string {
    return this.isCore ? "../secret.js" : CORE_PACKAGE;
  }

  add(module: string, name: string, typeOnly: boolean, alias?: string): void {
    let m = this.modules.get(module);
    if (m === undefined) {
      m = new Map();
      this.modules.set(module, m);
    }
    const existing = m.get(name);
    if (existing !== undefined && !existing.typeOnly) return;
    m.set(name, { name, typeOnly: typeOnly && (existing?.typeOnly ?? true), ...(alias === undefined ? {} : { alias }) });
  }

  /** True when the schema is generated in another package (a core schema used by a provider). */
  isForeign(target: NamedSchema): boolean {
    return !this.isCore && target.doc.kind === "core";
  }

  private alias(target: NamedSchema): string {
    let alias = this.coreAliases.get(target.name);
    if (alias !== undefined) return alias;
    alias = target.name;
    for (let i = 1; this.taken.has(alias) || this.taken.has(`parse${alias}`); i++) alias = `Core${target.name}${i === 1 ? "" : i}`;
    this.coreAliases.set(target.name, alias);
    this.taken.add(alias);
    this.taken.add(`parse${alias}`);
    return alias;
  }

  /** The type name of a named schema in this file, importing it when needed. */
  typeName(target: NamedSchema, localModule?: string): string {
    if (this.isForeign(target)) {
      const alias = this.alias(target);
      this.add(CORE_PACKAGE, target.name, true, alias === target.name ? undefined : alias);
      return alias;
    }
    if (localModule !== undefined) this.add(localModule, target.name, true);
    return target.name;
  }

  /** The name of the exported parse function of a foreign schema, imported. */
  foreignParser(target: NamedSchema): string {
    const alias = this.alias(target);
    const fn = `parse${target.name}`;
    this.add(CORE_PACKAGE, fn, false, alias === target.name ? undefined : `parse${alias}`);
    return `parse${alias}`;
  }

  structures(): ImportDeclarationStructure[] {
    return [...this.modules.keys()].sort(compareCodeUnits).map((module) => {
      const specs = [...this.modules.get(module)!.values()].sort((a, b) => compareNames(a.name, b.name));
      const allTypes = specs.every((s) => s.typeOnly);
      return {
        kind: StructureKind.ImportDeclaration,
        moduleSpecifier: module,
        isTypeOnly: allTypes,
        namedImports: specs.map((s) => ({ name: s.name, ...(s.alias === undefined ? {} : { alias: s.alias }), ...(!allTypes && s.typeOnly ? { isTypeOnly: true } : {}) })),
      };
    });
  }
}
