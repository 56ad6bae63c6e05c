// The generated parsers fed random JSON (10,000 runs per package: core and every provider, oauth2 included), drawn mostly
// from the schema each parser was generated from, with random parts: a parser returns a value or throws
// a TokenmintError (invalid_response, or the kind asked for), never modifies its input, and what it
// returns can be serialised.
import { isDeepStrictEqual } from "node:util";
import { TokenmintError } from "@tokenmint/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as core from "../../core/src/generated/parsers.js";
import * as huaweicloud from "../../provider-huaweicloud/src/generated/parsers.js";
import * as idcs from "../../provider-idcs/src/generated/parsers.js";
import * as intersight from "../../provider-intersight/src/generated/parsers.js";
import * as oauth2 from "../../provider-oauth2/src/generated/parsers.js";
import * as oci from "../../provider-oci/src/generated/parsers.js";
import { fuzzSeed, RUNS } from "../src/fuzz.js";
import { arbitraryFor, schemaOf } from "../src/schema-arbitrary.js";

type Parser = (input: unknown, options?: { kind?: "invalid_response" | "configuration"; pointer?: string; provider?: string; source?: string }) => unknown;

const MODULES: readonly [string, Record<string, unknown>, string | undefined][] = [
  ["core", core, undefined],
  ["oci", oci, "providers/oci.json"],
  ["idcs", idcs, "providers/idcs.json"],
  ["huaweicloud", huaweicloud, "providers/huaweicloud.json"],
  ["intersight", intersight, "providers/intersight.json"],
  ["oauth2", oauth2, "providers/oauth2.json"],
];

describe("generated parsers", () => {
  for (const [name, module, spec] of MODULES) {
    const parsers = Object.entries(module).filter(([k, v]) => k.startsWith("parse") && typeof v === "function") as [string, Parser][];
    it(`${name}: ${parsers.length} parsers, values or typed errors only (${RUNS} runs)`, () => {
      expect(parsers.length).toBeGreaterThan(0);
      const cases = fc.oneof(
        ...parsers.map(([parserName, parse]) => {
          const schema = schemaOf(parserName.slice("parse".length), spec);
          const input = schema === undefined ? fc.jsonValue() : arbitraryFor(schema[1], schema[0]);
          return fc.tuple(fc.constant(parserName), fc.constant(parse), input, fc.constantFrom("invalid_response" as const, "configuration" as const));
        }),
      );
      let accepted = 0;
      fc.assert(
        fc.property(cases, ([parserName, parse, input, kind]) => {
          const before = structuredClone(input);
          try {
            const out = parse(input, { kind, provider: name, source: "fuzz" });
            accepted++;
            JSON.stringify(out);
          } catch (error) {
            if (!(error instanceof TokenmintError)) throw new Error(`${parserName} threw ${String(error)}`);
            expect(error.code).toBe(kind);
          }
          expect(isDeepStrictEqual(input, before), `${parserName} modified its input`).toBe(true);
        }),
        { numRuns: RUNS, seed: fuzzSeed(40 + MODULES.findIndex((m) => m[0] === name)) },
      );
      // The inputs reach the happy path too, not only the first check.
      expect(accepted).toBeGreaterThan(RUNS / 20);
    });
  }
});
