// Spec parsing, 10,000 runs through the codegen's validator in memory (validate.ts + refs.ts, the steps
// `generate` runs before it emits anything): random mutations of a real provider spec (nodes replaced,
// keys deleted, added or renamed, text cut or a character dropped) give problems or a valid spec, never a
// crash. `generate()` end to end on mutated spec files is fuzz-generate.test.ts.
import { formatProblem } from "@tokenmint/codegen";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonSyntaxError, parseJson } from "../../../tools/codegen/src/json.js";
import type { SpecDocument } from "../../../tools/codegen/src/load.js";
import { Problems, type SpecProblem } from "../../../tools/codegen/src/problems.js";
import { namedKey, resolveRefs } from "../../../tools/codegen/src/refs.js";
import type { NamedSchema, PendingRef } from "../../../tools/codegen/src/schema.js";
import { validateCoreDoc, validateProviderDoc } from "../../../tools/codegen/src/validate.js";
import { fuzzSeed, RUNS } from "../src/fuzz.js";
import { BASE, CORE_DOCS, checkProblems, mutate, mutation, PROVIDER } from "../src/spec-mutation.js";

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
});
