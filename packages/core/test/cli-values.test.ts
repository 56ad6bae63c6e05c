import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { type CliValues, Secret, TokenmintError } from "../src/index.js";
import { cliBoolean, cliList, cliNumber, cliSecret, cliString } from "../src/cli/index.js";

const CANARY = "CANARY-cli-values-9d1e-do-not-leak";
const P = "acme";

/** Calls `read` and returns the TokenmintError it throws (failing the test when it does not throw one). */
function refusal(read: () => unknown): TokenmintError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(TokenmintError);
    return error as TokenmintError;
  }
  throw new Error("no error was thrown");
}

/** Everything an error shows: message, hint, JSON and inspect output. */
function shown(error: TokenmintError): string {
  return [error.message, error.hint ?? "", JSON.stringify(error), inspect(error, { depth: 5 }), String(error.stack)].join("\n");
}

describe("cliString", () => {
  it("reads text, takes a number as its decimal text, and is undefined when absent", () => {
    const values: CliValues = { region: "us-ashburn-1", empty: "", port: 8443 };
    expect(cliString(values, "region", P)).toBe("us-ashburn-1");
    expect(cliString(values, "empty", P)).toBe("");
    expect(cliString(values, "port", P)).toBe("8443");
    expect(cliString(values, "absent", P)).toBeUndefined();
  });

  it("refuses true/false, lists, secrets and non-finite numbers with a configuration error naming the flag", () => {
    for (const [value, kind] of [
      [true, "true/false"],
      [["a", "b"], "a list"],
      [new Secret(CANARY), "a secret"],
      [Number.NaN, "a number"],
    ] as const) {
      const error = refusal(() => cliString({ endpoint: value }, "endpoint", P));
      expect(error).toMatchObject({ code: "configuration", provider: P, message: `--endpoint takes one text value, not ${kind}` });
      expect(shown(error)).not.toContain(CANARY);
    }
  });
});

describe("cliSecret", () => {
  it("passes a Secret through and wraps plain text at once", () => {
    const given = new Secret(CANARY);
    expect(cliSecret({ password: given }, "password", P)).toBe(given);
    const wrapped = cliSecret({ password: CANARY }, "password", P);
    expect(wrapped).toBeInstanceOf(Secret);
    expect(wrapped?.reveal()).toBe(CANARY);
    expect(String(wrapped)).not.toContain(CANARY);
    expect(cliSecret({}, "password", P)).toBeUndefined();
  });

  it("refuses a list, a number or true/false without showing what was given", () => {
    for (const value of [[CANARY, CANARY], 42, true]) {
      const error = refusal(() => cliSecret({ "client-secret": value }, "client-secret", P));
      expect(error).toMatchObject({ code: "configuration", provider: P });
      expect(error.message).toMatch(/^--client-secret takes one secret value, not /);
      expect(shown(error)).not.toContain(CANARY);
    }
  });
});

describe("cliList", () => {
  it("splits commas, takes repeated flags, trims, drops empty items", () => {
    expect(cliList({ scope: ["read,write", " admin ", "a,,b,"] }, "scope", P)).toEqual(["read", "write", "admin", "a", "b"]);
    expect(cliList({ scope: "read, write" }, "scope", P)).toEqual(["read", "write"]);
    expect(cliList({ scope: [] }, "scope", P)).toEqual([]);
    expect(cliList({ scope: " , " }, "scope", P)).toEqual([]);
    expect(cliList({}, "scope", P)).toBeUndefined();
  });

  it("returns a copy: the caller's values are not changed", () => {
    const given = ["a"];
    const read = cliList({ scope: given }, "scope", P)!;
    read.push("b");
    expect(given).toEqual(["a"]);
  });

  it("refuses a number, true/false, a secret, or a list of anything but text", () => {
    for (const value of [3, false, new Secret(CANARY), [CANARY, 7] as unknown as readonly string[]]) {
      const error = refusal(() => cliList({ role: value }, "role", P));
      expect(error).toMatchObject({ code: "configuration", provider: P });
      expect(error.message).toMatch(/^--role takes a list of text values/);
      expect(shown(error)).not.toContain(CANARY);
    }
  });
});

describe("cliBoolean", () => {
  it("is true when given, false when absent or false", () => {
    expect(cliBoolean({ all: true }, "all", P)).toBe(true);
    expect(cliBoolean({ all: false }, "all", P)).toBe(false);
    expect(cliBoolean({}, "all", P)).toBe(false);
  });

  it("refuses anything else instead of reading it as false", () => {
    for (const value of ["true", 1, ["x"], new Secret(CANARY)]) {
      const error = refusal(() => cliBoolean({ all: value }, "all", P));
      expect(error).toMatchObject({ code: "configuration", provider: P });
      expect(error.message).toMatch(/^--all takes true or false, not /);
      expect(shown(error)).not.toContain(CANARY);
    }
  });
});

describe("cliNumber", () => {
  it("reads numbers and numeric text", () => {
    expect(cliNumber({ top: 5 }, "top", P)).toBe(5);
    expect(cliNumber({ top: " 2.5 " }, "top", P)).toBe(2.5);
    expect(cliNumber({ top: 0 }, "top", P, { min: 0 })).toBe(0);
    expect(cliNumber({}, "top", P, { min: 1 })).toBeUndefined();
  });

  it("refuses blank text, NaN, infinities, values below min and fractions of integer flags", () => {
    const cases: [CliValues[string], Parameters<typeof cliNumber>[3], string][] = [
      ["", {}, "a number"],
      ["ten", {}, "a number"],
      [Number.POSITIVE_INFINITY, {}, "a number"],
      [true, {}, "a number"],
      [["1"], {}, "a number"],
      [-1, { min: 0 }, "a non-negative number"],
      [1.5, { min: 0, integer: true }, "a non-negative integer"],
      [0, { min: 1, integer: true }, "an integer of at least 1"],
      [0.5, { min: 1 }, "a number of at least 1"],
    ];
    for (const [value, options, expected] of cases) {
      const error = refusal(() => cliNumber({ "page-size": value }, "page-size", P, options));
      expect(error).toMatchObject({ code: "configuration", provider: P, message: `--page-size must be ${expected}` });
    }
    const secretError = refusal(() => cliNumber({ "page-size": new Secret(CANARY) }, "page-size", P));
    expect(shown(secretError)).not.toContain(CANARY);
  });
});
