// Every property of the proof suites runs at least 10,000 cases (issue 8), and says how many in its name:
// each `fc.assert` in src/ and test/ takes `numRuns: RUNS`, and RUNS is at least 10,000.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RUNS } from "../src/fuzz.js";

const files = ["src", "test"].flatMap((dir) =>
  readdirSync(fileURLToPath(new URL(`../${dir}/`, import.meta.url)), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && f !== "fuzz-runs.test.ts")
    .map((f) => [`${dir}/${f}`, readFileSync(fileURLToPath(new URL(`../${dir}/${f}`, import.meta.url)), "utf8")] as const),
);

describe("property runs", () => {
  it("RUNS is at least 10,000, and every fc.assert uses it", () => {
    expect(RUNS).toBeGreaterThanOrEqual(10_000);
    const asserts = files.map(([name, text]) => [name, text.split("fc.assert(").length - 1, text.split("numRuns: RUNS").length - 1, text.split("numRuns").length - 1] as const).filter(([, n]) => n > 0);
    expect(asserts.length).toBeGreaterThanOrEqual(8);
    expect(asserts.filter(([, n, runs, any]) => n !== runs || any !== runs).map(([name, n, runs]) => `${name}: ${n} fc.assert, ${runs} with numRuns: RUNS`)).toEqual([]);
  });
});
