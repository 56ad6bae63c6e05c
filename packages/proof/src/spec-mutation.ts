// What the spec fuzzers share: a real provider spec, random mutations of it (nodes replaced, keys
// deleted, added or renamed) and the check that every problem reported is a well-formed one.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatProblem } from "@tokenmint/codegen";
import fc from "fast-check";
import { expect } from "vitest";
import type { JsonValue } from "../../../tools/codegen/src/json.js";
import type { SpecDocument } from "../../../tools/codegen/src/load.js";
import type { SpecProblem } from "../../../tools/codegen/src/problems.js";

export const SPECS = fileURLToPath(new URL("../../../specs/", import.meta.url));
export const PROVIDER = "huaweicloud";
export const BASE: JsonValue = JSON.parse(readFileSync(join(SPECS, "providers", `${PROVIDER}.json`), "utf8")) as JsonValue;
export const CORE_DOCS: SpecDocument[] = readdirSync(join(SPECS, "core"))
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
export type Mutation = { at: number; op: "replace" | "delete" | "add" | "rename"; key: string; value: JsonValue };
export const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("replace" as const, "delete" as const, "add" as const, "rename" as const),
  key: fc.oneof(fc.constantFrom(...KEYWORDS), fc.string({ maxLength: 8 })),
  value: fc.oneof(schemaish, fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>),
});

export function mutate(base: JsonValue, mutations: readonly Mutation[]): JsonValue {
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

export function checkProblems(problems: readonly SpecProblem[]): void {
  for (const p of problems) {
    expect(typeof p.file).toBe("string");
    expect(typeof p.message).toBe("string");
    expect(formatProblem(p).length).toBeGreaterThan(0);
  }
}
