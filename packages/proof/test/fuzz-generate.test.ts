// generate() end to end, 10,000 runs: random mutations of a real provider spec file (nodes replaced, keys
// deleted, added or renamed, text cut) go through the public API (`generate` from
// tools/codegen/src/index.ts) in a scratch workspace: problems, each a `file: pointer: message` line, or
// the generated files; never a crash. A call reads every spec file from disk, validates them, resolves
// $refs and, for a valid spec, emits with ts-morph (~1.5 ms a call that stops at a problem, ~15 ms one
// that emits, here). Apart from fuzz-spec.test.ts so that both run in parallel.
import { writeFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "@tokenmint/codegen";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuzzSeed, RUNS } from "../src/fuzz.js";
import { BASE, checkProblems, mutate, mutation, PROVIDER, SPECS } from "../src/spec-mutation.js";

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

  // ~20-30 s of CPU, which can stretch past the suite's 60 s per test on a machine busy with other work.
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
    // Both outcomes happen often: mutations are neither all harmless nor all fatal.
    expect(outcomes.problems).toBeGreaterThan(RUNS / 10);
    expect(outcomes.files).toBeGreaterThan(RUNS / 100);
  }, 240_000);
});
