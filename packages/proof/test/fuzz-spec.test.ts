// Spec parsing: random mutations of a real provider spec (nodes replaced, keys deleted, added or renamed,
// text cut) give problems or output, never a crash. 10,000 runs each:
// - through the codegen's validator in memory (validate.ts + refs.ts, the steps `generate` runs before it
//   emits anything), with a dropped character as well as a cut;
// - end to end through the public API (`generate` from tools/codegen/src/index.ts) in a scratch
//   workspace: problems, each a `file: pointer: message` line, or the generated files. A call reads the
//   spec files from disk and, for a valid spec, emits with ts-morph (~2 ms a call here).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatProblem, generate } from "@tokenmint/codegen";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JsonValue, JsonSyntaxError, parseJson } from "../../../tools/codegen/src/json.js";
import type { SpecDocument } from "../../../tools/codegen/src/load.js";
import { Problems, type SpecProblem } from "../../../tools/codegen/src/problems.js";
import { namedKey, resolveRefs } from "../../../tools/codegen/src/refs.js";
import type { NamedSchema, PendingRef } from "../../../tools/codegen/src/schema.js";
import { validateCoreDoc, validateProviderDoc } from "../../../tools/codegen/src/validate.js";
import { fuzzSeed, RUNS } from "../src/fuzz.js";

const SPECS = fileURLToPath(new URL("../../../specs/", import.meta.url));
const PROVIDER = "huaweicloud";
const BASE: JsonValue = JSON.parse(readFileSync(join(SPECS, "providers", `${PROVIDER}.json`), "utf8")) as JsonValue;
const CORE_DOCS: SpecDocument[] = readdirSync(join(SPECS, "core"))
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ path: `specs/core/${f}`, kind: "core" as const, name: f.slice(0, -5), json: JSON.parse(readFileSync(join(SPECS, "core", f), "utf8")) as JsonValue }));

/** Every JSON pointer of the base spec, as token lists. */
function pointers(value: JsonValue, prefix: string[] = [], out: string[][] = []): string[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) pointers(v, [...prefix, String(i)], out);
  } else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) pointers(v, [...prefix, k], out);
  return out;
}
const POINTERS = pointers(BASE);

const KEYWORDS = ["type", "$ref", "items", "properties", "required", "enum", "const", "x-secret", "x-decode", "additionalProperties", "minLength", "pattern", "allOf", "nullable", "operationId", "x-tokenmint-retry-safe", "responses", "__proto__", "constructor"];
const schemaish = fc.constantFrom<JsonValue>(
  { type: "string" },
  { type: ["string", "null"], "x-secret": true },
  { type: "object", properties: { a: { type: "integer" } }, required: ["a", "b"] },
  { $ref: "#/components/schemas/Nope" },
  { $ref: "../core/token.json#/$defs/Token" },
  { $ref: "#/components/schemas/BearerTokenSummary" },
  { type: "array", items: [{ type: "string" }] },
  { type: "integer", minimum: true },
  { type: "string", pattern: "(" },
  { enum: [] },
  true,
  false,
);
type Mutation = { at: number; op: "replace" | "delete" | "add" | "rename"; key: string; value: JsonValue };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("replace" as const, "delete" as const, "add" as const, "rename" as const),
  key: fc.oneof(fc.constantFrom(...KEYWORDS), fc.string({ maxLength: 8 })),
  value: fc.oneof(schemaish, fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>),
});

function mutate(base: JsonValue, mutations: readonly Mutation[]): JsonValue {
  const root = structuredClone(base);
  for (const m of mutations) {
    const path = POINTERS[m.at % POINTERS.length]!;
    if (path.length === 0) continue;
    let parent: JsonValue = root;
    for (const token of path.slice(0, -1)) {
      if (parent === null || typeof parent !== "object") break;
      parent = (parent as Record<string, JsonValue>)[token] ?? null;
    }
    if (parent === null || typeof parent !== "object") continue;
    const last = path[path.length - 1]!;
    const container = parent as Record<string, JsonValue>;
    if (!(last in container)) continue;
    if (m.op === "replace") container[last] = m.value;
    else if (m.op === "delete") {
      if (Array.isArray(parent)) (parent as JsonValue[]).splice(Number(last), 1);
      else delete container[last];
    } else if (m.op === "add" && !Array.isArray(parent)) Object.defineProperty(container, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    else if (m.op === "rename" && !Array.isArray(parent)) {
      const v = container[last]!;
      delete container[last];
      Object.defineProperty(container, m.key, { value: v, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

/** The core specs never change here: validated once, their schemas and $ids reused by every run. */
const CORE = (() => {
  const problems = new Problems();
  const cores = CORE_DOCS.map((d) => validateCoreDoc(d, { problems, refs: [] }));
  if (problems.size > 0) throw new Error(`the core specs have problems: ${problems.list.map(formatProblem).join("; ")}`);
  const ids = new Map<string, SpecDocument>();
  for (const c of cores) if (c.id !== undefined) ids.set(c.id, c.doc);
  return { schemas: cores.flatMap((c) => c.schemas), ids };
})();

/** What `generate` does before emitting: validate the provider document and resolve its $refs. */
function validateInMemory(provider: SpecDocument): SpecProblem[] {
  const problems = new Problems();
  const refs: PendingRef[] = [];
  const spec = validateProviderDoc(provider, { problems, refs });
  const named = new Map<string, NamedSchema>();
  for (const s of [...CORE.schemas, ...spec.schemas]) named.set(namedKey(s.doc.path, s.pointer), s);
  resolveRefs(refs, { documents: [...CORE_DOCS, provider], broken: new Set(), ids: CORE.ids, named }, problems);
  return problems.list;
}

function checkProblems(problems: readonly SpecProblem[]): void {
  for (const p of problems) {
    expect(typeof p.file).toBe("string");
    expect(typeof p.message).toBe("string");
    expect(formatProblem(p).length).toBeGreaterThan(0);
  }
}

describe("spec parsing", () => {
  it(`the validator: random mutations give problems or a valid spec, never a crash (${RUNS} runs)`, () => {
    expect(validateInMemory({ path: `specs/providers/${PROVIDER}.json`, kind: "provider", name: PROVIDER, json: BASE })).toEqual([]);
    const outcomes = { problems: 0, valid: 0, syntax: 0 };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.option(fc.nat(), { nil: undefined }), (mutations, cut) => {
        let json = mutate(BASE, mutations);
        if (cut !== undefined) {
          // Text level: the mutated document's text, cut short or with a character dropped.
          const text = JSON.stringify(json, null, 1);
          const at = cut % (text.length + 1);
          try {
            json = parseJson(cut % 2 === 0 ? text.slice(0, at) : text.slice(0, at) + text.slice(at + 1)).value;
          } catch (error) {
            if (!(error instanceof JsonSyntaxError)) throw error;
            outcomes.syntax++;
            return;
          }
        }
        const problems = validateInMemory({ path: `specs/providers/${PROVIDER}.json`, kind: "provider", name: PROVIDER, json });
        checkProblems(problems);
        if (problems.length > 0) outcomes.problems++;
        else outcomes.valid++;
      }),
      { numRuns: RUNS, seed: fuzzSeed(50) },
    );
    // Both outcomes happen: mutations are neither all harmless nor all fatal.
    expect(outcomes.problems).toBeGreaterThan(RUNS / 10);
    expect(outcomes.valid).toBeGreaterThan(RUNS / 100);
  });

  describe("generate(), end to end", () => {
    let root: string;
    beforeAll(async () => {
      // A memory file system where there is one: each run writes the spec and `generate` reads every spec
      // file back, and on a disk that file I/O is half the cost of a run.
      root = await mkdtemp(join("/dev/shm", "tokenmint-proof-spec-")).catch(() => mkdtemp(join(tmpdir(), "tokenmint-proof-spec-")));
      await cp(join(SPECS, "core"), join(root, "specs", "core"), { recursive: true });
      await mkdir(join(root, "specs", "providers"), { recursive: true });
      await mkdir(join(root, "packages", `provider-${PROVIDER}`), { recursive: true });
    });
    afterAll(() => rm(root, { recursive: true, force: true }));

    it(`random mutations of the spec file give problems or output, never a crash (${RUNS} runs)`, async () => {
      const outcomes = { problems: 0, files: 0 };
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.option(fc.nat(), { nil: undefined }), async (mutations, cut) => {
          let text = JSON.stringify(mutate(BASE, mutations), null, 2);
          if (cut !== undefined) text = text.slice(0, cut % (text.length + 1));
          writeFileSync(join(root, "specs", "providers", `${PROVIDER}.json`), text);
          const result = await generate({ root });
          checkProblems(result.problems);
          if (result.problems.length > 0) {
            expect(result.files.size).toBe(0);
            outcomes.problems++;
          } else {
            expect(result.files.size).toBeGreaterThan(0);
            outcomes.files++;
          }
        }),
        { numRuns: RUNS, seed: fuzzSeed(51) },
      );
      expect(outcomes.problems).toBeGreaterThan(0);
      expect(outcomes.files).toBeGreaterThan(0);
    });
  });
});
