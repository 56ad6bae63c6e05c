// Builds the whole model: loads and validates every spec, resolves refs, and groups named schemas by
// the package that owns their generated code (core, or provider-<id>).
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { loadSpecs, type SpecDocument } from "./load.js";
import { Problems, type SpecProblem } from "./problems.js";
import { namedKey, resolveRefs } from "./refs.js";
import type { NamedSchema, PendingRef, SchemaNode } from "./schema.js";
import { type CoreSpec, type ErrorCodeEntry, type ProviderSpec, validateCoreDoc, validateProviderDoc } from "./validate.js";

export interface Unit {
  readonly kind: "core" | "provider";
  /** "core" or the provider id. */
  readonly id: string;
  /** Directory of the generated files, relative to the root. */
  readonly outDir: string;
  /** Named schemas, sorted by name. */
  readonly schemas: readonly NamedSchema[];
  /** Spec paths the unit's files come from (for the banners), sorted. */
  readonly sources: readonly string[];
  readonly provider?: ProviderSpec;
}

export interface Model {
  readonly core: Unit;
  readonly providers: readonly Unit[];
  readonly errorCodes: readonly ErrorCodeEntry[];
  /** Core spec paths defining error codes. */
  readonly errorSources: readonly string[];
  /** Core spec paths. */
  readonly coreSources: readonly string[];
  /** Every spec file found. */
  readonly specCount: number;
}

export interface ModelResult {
  readonly model?: Model;
  readonly problems: readonly SpecProblem[];
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

const byName = (a: NamedSchema, b: NamedSchema) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Every schema node reachable inside a named schema (not following refs). */
export function* walkNodes(node: SchemaNode): Generator<SchemaNode> {
  yield node;
  for (const p of node.properties ?? []) yield* walkNodes(p.schema);
  if (node.additional.mode === "schema") yield* walkNodes(node.additional.schema);
  if (node.items !== undefined) yield* walkNodes(node.items);
}

export async function buildModel(root: string): Promise<ModelResult> {
  const problems = new Problems();
  const loaded = await loadSpecs(root, problems);
  const refs: PendingRef[] = [];
  const ctx = { problems, refs };
  const cores: CoreSpec[] = [];
  const providers: ProviderSpec[] = [];
  for (const doc of loaded.documents) {
    if (doc.kind === "core") cores.push(validateCoreDoc(doc, ctx));
    else providers.push(validateProviderDoc(doc, ctx));
  }

  // Names, $ids and error codes.
  const named = new Map<string, NamedSchema>();
  const coreNames = new Map<string, NamedSchema>();
  for (const c of cores) {
    for (const s of c.schemas) {
      named.set(namedKey(s.doc.path, s.pointer), s);
      const other = coreNames.get(s.name);
      if (other !== undefined) problems.add(s.doc.path, s.pointer, `schema name ${JSON.stringify(s.name)} is also defined in ${other.doc.path}`);
      else coreNames.set(s.name, s);
    }
  }
  for (const p of providers) for (const s of p.schemas) named.set(namedKey(s.doc.path, s.pointer), s);
  const ids = new Map<string, SpecDocument>();
  for (const c of cores) {
    if (c.id === undefined) continue;
    const other = ids.get(c.id);
    if (other !== undefined) problems.add(c.doc.path, "/$id", `"$id" is also used by ${other.path}`);
    else ids.set(c.id, c.doc);
  }
  const errorCodes: ErrorCodeEntry[] = [];
  const errorSources: string[] = [];
  for (const c of cores) {
    if (c.errorCodes === undefined) continue;
    errorSources.push(c.doc.path);
    for (const e of c.errorCodes) {
      if (errorCodes.some((x) => x.code === e.code)) problems.add(c.doc.path, `/x-error-codes/${e.code}`, `error code ${JSON.stringify(e.code)} is defined twice`);
      else errorCodes.push(e);
    }
  }
  if (cores.length > 0 && errorSources.length === 0) problems.addFile("specs/core", `no core spec defines "x-error-codes" (the canonical error table)`);
  errorCodes.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  const parsed = new Set(loaded.documents.map((d) => d.path));
  resolveRefs(refs, { documents: loaded.documents, broken: new Set(loaded.paths.filter((p) => !parsed.has(p))), ids, named }, problems);

  // A named schema that is only a $ref chain back to itself has no type.
  for (const s of named.values()) {
    const seen = new Set<NamedSchema>([s]);
    let cur = s.schema.ref?.target;
    while (cur !== undefined && !seen.has(cur)) {
      seen.add(cur);
      cur = cur.schema.ref?.target;
    }
    if (cur === s) problems.add(s.doc.path, s.pointer, "circular $ref: the schema refers to itself through $refs only");
  }

  const known = new Set(errorCodes.map((e) => e.code));
  const providerUnits: Unit[] = [];
  for (const p of providers) {
    if (errorSources.length > 0) {
      for (const rule of p.errors) if (!known.has(rule.code)) problems.add(p.doc.path, `${rule.pointer}/code`, `unknown canonical error code ${JSON.stringify(rule.code)} (see specs/core/errors.json)`);
    }
    const packageDir = `packages/provider-${p.id}`;
    if (!(await isDirectory(join(root, packageDir)))) problems.addFile(p.doc.path, `no package ${packageDir} for this spec`);
    const sources = new Set<string>();
    const visit = (node: SchemaNode, seen: Set<NamedSchema>) => {
      for (const n of walkNodes(node)) {
        const t = n.ref?.target;
        if (t === undefined || seen.has(t)) continue;
        seen.add(t);
        if (t.doc.kind === "core") sources.add(t.doc.path);
        visit(t.schema, seen);
      }
    };
    for (const s of p.schemas) visit(s.schema, new Set([s]));
    providerUnits.push({
      kind: "provider",
      id: p.id,
      outDir: `${packageDir}/src/generated`,
      schemas: [...p.schemas].sort(byName),
      sources: [p.doc.path, ...[...sources].sort()],
      provider: p,
    });
  }

  // By file (core first, then providers, each sorted), in the order found within a file.
  const sorted = problems.list.map((p, i) => ({ p, i })).sort((a, b) => (a.p.file < b.p.file ? -1 : a.p.file > b.p.file ? 1 : a.i - b.i));
  if (problems.size > 0) return { problems: sorted.map((x) => x.p) };
  const coreSchemas = cores.flatMap((c) => c.schemas).sort(byName);
  const coreSources = cores.map((c) => c.doc.path);
  return {
    problems: [],
    model: {
      core: {
        kind: "core",
        id: "core",
        outDir: "packages/core/src/generated",
        schemas: coreSchemas,
        sources: cores.filter((c) => c.schemas.length > 0).map((c) => c.doc.path),
      },
      providers: providerUnits,
      errorCodes,
      errorSources,
      coreSources,
      specCount: loaded.paths.length,
    },
  };
}
