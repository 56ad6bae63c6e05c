// Unit tests of the pieces: the strict JSON reader, regex literals, argument parsing.
import { describe, expect, it } from "vitest";
import { parseArgs } from "../src/args.js";
import { regexLiteral } from "../src/emit/parsers.js";
import { JsonSyntaxError, parseJson } from "../src/json.js";

function syntaxError(text: string): { line: number; column: number; message: string } {
  try {
    parseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { line: error.line, column: error.column, message: error.message };
    throw error;
  }
  throw new Error("expected a syntax error");
}

describe("parseJson", () => {
  it("reads what JSON.parse reads", () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n\\"\\/"], "b": {}, "": []}';
    expect(JSON.stringify(parseJson(text).value)).toBe(JSON.stringify(JSON.parse(text)));
  });

  it("reports line and column of syntax errors", () => {
    expect(syntaxError('{\n  "a": 1,\n  "b" 2\n}')).toEqual({ line: 3, column: 7, message: 'expected ":" after a property name, found "2"' });
    expect(syntaxError('{"a": tru}')).toMatchObject({ line: 1, column: 7 });
    expect(syntaxError('{"a": "x\ny"}')).toMatchObject({ line: 1, column: 9, message: "control character in string (escape it)" });
    expect(syntaxError("[1,]")).toMatchObject({ line: 1, column: 4 });
    expect(syntaxError("01")).toMatchObject({ message: "invalid number" });
    expect(syntaxError('{"a": 1} x')).toMatchObject({ message: "unexpected text after the JSON value" });
    expect(syntaxError("")).toMatchObject({ line: 1, column: 1, message: "expected a JSON value, found end of file" });
  });

  it("reports duplicate keys and keeps __proto__ as a plain key", () => {
    const { value, duplicates } = parseJson('{"x": {"a": 1, "a": 2}, "__proto__": {"polluted": 1}}');
    expect(duplicates).toEqual([{ pointer: "/x", key: "a" }]);
    expect(Object.keys(value as object)).toEqual(["x", "__proto__"]);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe("regexLiteral", () => {
  const cases: [string, string[], string[]][] = [
    ["^[a-z][a-z0-9-]{0,39}$", ["oci", "a-1"], ["A", "-a", ""]],
    ["^a/b$", ["a/b"], ["ab"]],
    ['^"quoted"$', ['"quoted"'], ["quoted"]],
    ["^it's$", ["it's"], ["its"]],
    ["^`tick`$", ["`tick`"], ["tick"]],
    ["^\\d+\\.\\d+$", ["1.2"], ["1x2"]],
    ["^[/\\\\]+$", ["/\\/"], ["a"]],
    ["^\\/\\*x$", ["/*x"], ["x"]],
    ["^\\p{L}+$", ["été"], ["e1"]],
    ["^a\nb$", ["a\nb"], ["ab"]],
    ["^\\u{1F600}$", ["😀"], ["a"]],
  ];

  it.each(cases)("%j behaves like new RegExp(pattern, 'u')", (pattern, yes, no) => {
    const literal = regexLiteral(pattern);
    expect(literal).toMatch(/^\/.*\/u$/s);
    expect(literal).not.toMatch(/[\n\r"'`]/);
    // The literal's body has no unescaped slash: it parses as one regex literal.
    const re = new Function(`return ${literal};`)() as RegExp;
    const reference = new RegExp(pattern, "u");
    for (const s of [...yes, ...no]) expect(re.test(s), s).toBe(reference.test(s));
    for (const s of yes) expect(re.test(s), s).toBe(true);
    for (const s of no) expect(re.test(s), s).toBe(false);
  });
});

describe("parseArgs", () => {
  it("reads --check and --root", () => {
    expect(parseArgs(["--check", "--root", "/x"])).toEqual({ check: true, root: "/x", help: false });
    expect(parseArgs(["--root=/y"])).toMatchObject({ root: "/y", check: false });
  });

  it("rejects unknown options and a missing --root value", () => {
    expect(parseArgs(["--chek"])).toBe('unknown option "--chek"');
    expect(parseArgs(["extra"])).toBe('unknown argument "extra"');
    expect(parseArgs(["--root"])).toBe("--root needs a directory");
  });
});
