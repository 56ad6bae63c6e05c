// OData filter building, no injection (10,000 runs): random filter trees whose string values are
// hostile (quotes, parentheses, keywords, any unicode) are built by the Intersight client and parsed back
// by the Intersight emulator's OData parser: the parsed tree is exactly the built one and every literal
// comes back unchanged; values that cannot be sent (control characters, lone surrogates) are refused
// with invalid_request before any request.
import { buildFilter, type Filter, OAUTH_TOKEN_PROPERTIES, OAUTH_TOKEN_PROPERTY_NAMES, type OAuthTokenProperty } from "@tokenmint/provider-intersight";
import { type Expression, parseFilter } from "@tokenmint/provider-intersight/emulator";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzSeed, RUNS, typed } from "../src/fuzz.js";

const kindOf = (p: OAuthTokenProperty) => OAUTH_TOKEN_PROPERTIES[p].kind;
const STRING_PROPS = OAUTH_TOKEN_PROPERTY_NAMES.filter((p) => kindOf(p) === "string");
const DATE_PROPS = OAUTH_TOKEN_PROPERTY_NAMES.filter((p) => kindOf(p) === "datetime");

/** Values built to break out of a literal, plus any unicode. */
const hostile = fc.oneof(
  fc.constantFrom("'", "''", "' or 1 eq 1 or 'a' eq '", "') or (Moid ne '", "x' and not (ClientName eq 'y", "eq", "null", "true", "2024-01-01T00:00:00Z", "contains(", ",", "\\'", "%27", "\u2019"),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);

/** A normalised tree: what the filter means, independent of how and/or chains are nested. */
type Norm = { t: "and" | "or"; c: Norm[] } | { t: "not"; c: Norm } | { t: "cmp"; op: string; p: string; v: string } | { t: "fn"; f: string; p: string; v: string };

type Leaf = { prop: OAuthTokenProperty; op: "eq" | "ne" | "contains" | "startswith" | "endswith"; value: string } | { prop: OAuthTokenProperty; op: "lt" | "ge"; value: Date };
type Tree = { leaf: Leaf } | { and: Tree[] } | { or: Tree[] } | { not: Tree };

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  fc.record({ prop: fc.constantFrom(...STRING_PROPS), op: fc.constantFrom("eq" as const, "ne" as const, "contains" as const, "startswith" as const, "endswith" as const), value: hostile }),
  fc.record({ prop: fc.constantFrom(...DATE_PROPS), op: fc.constantFrom("lt" as const, "ge" as const), value: fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }) }),
);
const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ leaf }),
    fc.record({ and: fc.array(tie("tree"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ or: fc.array(tie("tree"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie("tree") }),
  ),
})).tree;

function toFilter(t: Tree): Filter {
  if ("leaf" in t) return { [t.leaf.prop]: { [t.leaf.op]: t.leaf.value } } as Filter;
  if ("and" in t) return { and: t.and.map(toFilter) };
  if ("or" in t) return { or: t.or.map(toFilter) };
  return { not: toFilter(t.not) };
}

function flatten(t: "and" | "or", children: Norm[]): Norm {
  const out: Norm[] = [];
  for (const c of children) if (c.t === t) out.push(...(c.c as Norm[]));
  else out.push(c);
  return out.length === 1 ? out[0]! : { t, c: out };
}

function expected(t: Tree): Norm {
  if ("leaf" in t) {
    const { prop, op, value } = t.leaf;
    const v = value instanceof Date ? String(value.getTime()) : value;
    return op === "contains" || op === "startswith" || op === "endswith" ? { t: "fn", f: op, p: prop, v } : { t: "cmp", op, p: prop, v };
  }
  if ("and" in t) return flatten("and", t.and.map(expected));
  if ("or" in t) return flatten("or", t.or.map(expected));
  return { t: "not", c: expected(t.not) };
}

function parsed(e: Expression): Norm {
  switch (e.type) {
    case "and":
    case "or":
      return flatten(e.type, [parsed(e.left), parsed(e.right)]);
    case "not":
      return { t: "not", c: parsed(e.operand) };
    case "function":
      return { t: "fn", f: e.name, p: e.property.path.join("."), v: e.text };
    case "compare": {
      if (e.left.type !== "property" || e.right.type !== "literal") throw new Error("a literal came out where a property belongs");
      const v = e.right.kind === "datetime" ? String(Date.parse(String(e.right.value))) : String(e.right.value);
      return { t: "cmp", op: e.op, p: e.left.path.join("."), v };
    }
  }
}

const UNSENDABLE = /[\u0000-\u001f\u007f-\u009f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function unsendable(t: Tree): boolean {
  if ("leaf" in t) return typeof t.leaf.value === "string" && UNSENDABLE.test(t.leaf.value);
  if ("and" in t) return t.and.some(unsendable);
  if ("or" in t) return t.or.some(unsendable);
  return unsendable(t.not);
}

describe("Intersight OData filters", () => {
  it(`built filters parse back to the same tree with every literal unchanged (${RUNS} runs)`, () => {
    let built = 0;
    fc.assert(
      fc.property(tree, (t) => {
        const out = typed(() => buildFilter(toFilter(t)));
        if (!out.ok) {
          expect(out.error.code).toBe("invalid_request");
          expect(unsendable(t) || out.error.message.includes("nested") || out.error.message.includes("longer than")).toBe(true);
          return;
        }
        expect(unsendable(t)).toBe(false);
        built++;
        expect(parsed(parseFilter(out.value))).toEqual(expected(t));
      }),
      { numRuns: RUNS, seed: fuzzSeed(30) },
    );
    // Most trees are sendable: the property is about them, not about refusals.
    expect(built).toBeGreaterThan(RUNS / 2);
  });
});
