import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate, parseFilter } from "../src/emulator/odata.js";
import { andFilters, buildFilter, checkRawFilter, type Filter, odataString } from "../src/filter.js";

// Strings the builder accepts: any well-formed text without control characters.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const safeString = fc.string({ unit: "grapheme", maxLength: 40 }).filter((s) => !CONTROL.test(s));
const nastyString = fc.oneof(
  safeString,
  fc.constantFrom("'", "''", "' or '1' eq '1", "x') or (Moid ne '", "a' and not (ClientName eq 'b", "%27", "+", "&$top=1", "#", "\\'", "é'ü", "😀'"),
  fc.array(fc.constantFrom("'", "(", ")", " or ", " and ", "not ", "eq", ",", "%", "&", "=", "+", "a", "😀"), { maxLength: 12 }).map((a) => a.join("")),
);

/** Sends the filter through URL encoding and decoding, as it travels to the service. */
function overTheWire(filter: string): string {
  const query = new URLSearchParams({ $filter: filter }).toString();
  return new URLSearchParams(new URL(`https://intersight.com/api/v1/iam/OAuthTokens?${query}`).search).get("$filter")!;
}

describe("buildFilter", () => {
  it("writes equality, ranges, functions and combinations", () => {
    const when = new Date("2024-01-02T03:04:05.678Z");
    expect(buildFilter({ ClientName: "Terraform" })).toBe("ClientName eq 'Terraform'");
    expect(buildFilter({ ClientName: "O'Brien" })).toBe("ClientName eq 'O''Brien'");
    expect(buildFilter({ CreateTime: { lt: when } })).toBe("CreateTime lt 2024-01-02T03:04:05.678Z");
    expect(buildFilter({ CreateTime: { ge: "2024-01-02T03:04:05+02:00", lt: when } })).toBe("(CreateTime ge 2024-01-02T01:04:05.000Z) and (CreateTime lt 2024-01-02T03:04:05.678Z)");
    expect(buildFilter({ ClientName: { contains: "form" } })).toBe("contains(ClientName,'form')");
    expect(buildFilter({ ClientName: { startswith: "Ter", endswith: "orm" } })).toBe("(startswith(ClientName,'Ter')) and (endswith(ClientName,'orm'))");
    expect(buildFilter({ "User.Moid": "5f0c" })).toBe("User.Moid eq '5f0c'");
    expect(buildFilter({ ClientId: { in: ["a", "b"] } })).toBe("(ClientId eq 'a' or ClientId eq 'b')");
    expect(buildFilter({ ClientId: { ne: null } })).toBe("ClientId ne null");
    expect(buildFilter({ or: [{ ClientName: "a" }, { not: { ClientId: "b" } }] })).toBe("(ClientName eq 'a') or (not (ClientId eq 'b'))");
    expect(buildFilter({ and: [{ ClientName: "X" }, { CreateTime: { lt: when } }] })).toBe("(ClientName eq 'X') and (CreateTime lt 2024-01-02T03:04:05.678Z)");
  });

  it("refuses unknown properties, wrong types and bad operators before any request", () => {
    const bad: unknown[] = [
      { Nope: "x" },
      { "ClientName) or (Moid": "x" },
      { "User.Nope": "x" },
      { Tags: "x" },
      { User: "x" },
      { ClientName: 1 },
      { CreateTime: "yesterday" },
      { CreateTime: new Date(Number.NaN) },
      { CreateTime: { contains: "2024" } },
      { ClientName: { gt: null } },
      { ClientName: { like: "x" } },
      { ClientName: {} },
      { ClientName: { in: [] } },
      { ClientName: "line\nbreak" },
      { ClientName: "nul\u0000" },
      { ClientName: "\ud800" },
      { and: [] },
      { or: "x" },
      { and: [{ ClientName: "a" }], ClientId: "b" },
      {},
    ];
    for (const filter of bad) {
      expect(() => buildFilter(filter as Filter), JSON.stringify(filter)).toThrowError(expect.objectContaining({ code: "invalid_request" }));
    }
  });

  it("property: any string value stays one literal, whatever it contains", () => {
    fc.assert(
      fc.property(nastyString, fc.constantFrom("eq", "ne", "contains", "startswith", "endswith") as fc.Arbitrary<"eq" | "ne" | "contains" | "startswith" | "endswith">, (value, op) => {
        const filter = buildFilter({ ClientName: { [op]: value } });
        const ast = parseFilter(overTheWire(filter));
        if (op === "eq" || op === "ne") {
          expect(ast).toEqual({ type: "compare", op, left: { type: "property", path: ["ClientName"], kind: "string" }, right: { type: "literal", kind: "string", value } });
        } else {
          expect(ast).toEqual({ type: "function", name: op, property: { type: "property", path: ["ClientName"], kind: "string" }, text: value });
        }
      }),
      { numRuns: 500 },
    );
  });

  it("property: combined filters keep their structure and select exactly the matching records", () => {
    fc.assert(
      fc.property(nastyString, nastyString, nastyString, (a, b, other) => {
        const filter = buildFilter({ or: [{ and: [{ ClientName: a }, { ClientId: b }] }, { not: { ClientId: { ne: a } } }] });
        const ast = parseFilter(overTheWire(filter));
        expect(ast.type).toBe("or");
        const match = { Moid: "1", ClientName: a, ClientId: b };
        const viaNot = { Moid: "2", ClientName: other, ClientId: a };
        const miss = { Moid: "3", ClientName: `${a}x`, ClientId: `${a}y` };
        expect(evaluate(ast, match)).toBe(true);
        expect(evaluate(ast, viaNot)).toBe(true);
        expect(evaluate(ast, miss)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("property: values with control characters or lone surrogates are refused, never sent", () => {
    const withControl = fc.tuple(safeString, fc.integer({ min: 0, max: 0x9f }).filter((c) => c < 0x20 || c >= 0x7f), safeString).map(([x, c, y]) => `${x}${String.fromCharCode(c)}${y}`);
    const loneSurrogate = fc.tuple(safeString, fc.integer({ min: 0xd800, max: 0xdfff }), fc.constantFrom("", "a")).map(([x, c, y]) => `${x}${String.fromCharCode(c)}${y}`);
    fc.assert(
      fc.property(fc.oneof(withControl, loneSurrogate), (value) => {
        expect(() => buildFilter({ ClientName: value })).toThrowError(expect.objectContaining({ code: "invalid_request" }));
      }),
    );
  });

  it("odataString doubles quotes only", () => {
    fc.assert(
      fc.property(safeString, (s) => {
        const quoted = odataString(s);
        expect(quoted.slice(1, -1).replaceAll("''", "'")).toBe(s);
        expect(quoted.slice(1, -1).replaceAll("''", "")).not.toContain("'");
      }),
    );
  });
});

describe("raw filters", () => {
  it("accepts well-formed text and refuses unbalanced text", () => {
    expect(checkRawFilter("  ClientName eq 'a' ")).toBe("ClientName eq 'a'");
    expect(checkRawFilter("(ClientName eq 'it''s (fine')")).toBe("(ClientName eq 'it''s (fine')");
    for (const bad of ["", "   ", "ClientName eq 'a", "(ClientName eq 'a'", "ClientName eq 'a')", "a) or (b", "x\ny"]) {
      expect(() => checkRawFilter(bad), bad).toThrowError(expect.objectContaining({ code: "invalid_request" }));
    }
  });

  it("property: wrapping a checked raw filter never changes its meaning", () => {
    fc.assert(
      fc.property(nastyString, (value) => {
        const raw = checkRawFilter(buildFilter({ or: [{ ClientName: value }, { ClientId: value }] }));
        const ast = parseFilter(overTheWire(andFilters(raw, "Moid gt 'm'")!));
        expect(ast.type).toBe("and");
        if (ast.type === "and") {
          expect(ast.left.type).toBe("or");
          expect(ast.right).toEqual({ type: "compare", op: "gt", left: { type: "property", path: ["Moid"], kind: "string" }, right: { type: "literal", kind: "string", value: "m" } });
        }
      }),
    );
  });
});
