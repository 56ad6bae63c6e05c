// A malformed spec fails with one `file: pointer: message` line per problem (all files, all problems),
// exit code 2, no stack trace, and nothing written.
import { spawnSync } from "node:child_process";
import { cp, mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatProblem, generate, run } from "../src/index.js";
import { CLI, CODEGEN_DIR, FIXTURE, tempDir } from "./helpers.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

// biome-ignore lint/suspicious/noExplicitAny: test specs are edited freely
type Spec = Record<string, any>;

/** An edit that replaces the schema of Bar.baz. */
function baz(schema: Spec): (s: Spec) => Spec {
  return (s) => {
    s.components.schemas.Bar.properties.baz = schema;
    return s;
  };
}

function baseSpec(): Spec {
  return {
    openapi: "3.1.0",
    info: { title: "Bad", version: "1" },
    "x-tokenmint": { provider: "bad", errors: [{ status: 401, code: "invalid_credentials" }] },
    paths: {
      "/x": { get: { operationId: "getX", responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Bar" } } } } } } },
    },
    components: { schemas: { Bar: { type: "object", properties: { baz: { type: "string" } }, required: ["baz"] } } },
  };
}

/** A workspace with the fixture's core specs and the given provider spec files (objects or raw text). */
async function workspace(providers: Record<string, Spec | string>, packages: string[] = Object.keys(providers)): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  await mkdir(join(dir, "specs/providers"), { recursive: true });
  await cp(join(FIXTURE, "specs/core"), join(dir, "specs/core"), { recursive: true });
  for (const [id, spec] of Object.entries(providers)) {
    await writeFile(join(dir, `specs/providers/${id}.json`), typeof spec === "string" ? spec : JSON.stringify(spec, null, 2));
  }
  for (const id of packages) await mkdir(join(dir, `packages/provider-${id}`), { recursive: true });
  return dir;
}

async function problemLines(root: string): Promise<string[]> {
  return (await generate({ root })).problems.map(formatProblem);
}

const F = "specs/providers/bad.json";
const BAZ = `${F}: /components/schemas/Bar/properties/baz`;

const CASES: { name: string; edit: (s: Spec) => Spec | string; lines: string[] }[] = [
  {
    name: "bad JSON",
    edit: () => '{\n  "openapi": "3.1.0",\n}\n',
    lines: [`${F}:3:1: invalid JSON: expected a property name in double quotes, found "}"`],
  },
  {
    name: "unknown keyword",
    edit: baz({ type: "object", minProperties: 1 }),
    lines: [`${BAZ}: unknown keyword "minProperties"`],
  },
  {
    name: "unresolvable $ref",
    edit: baz({ $ref: "#/components/schemas/Nope" }),
    lines: [`${BAZ}: $ref "#/components/schemas/Nope" does not resolve`],
  },
  {
    name: "$ref to a missing core file",
    edit: baz({ $ref: "../core/nope.json#/$defs/Nope" }),
    lines: [`${BAZ}: $ref "../core/nope.json#/$defs/Nope" does not resolve: no spec file specs/core/nope.json`],
  },
  {
    name: "$ref to something that is not a named schema",
    edit: baz({ $ref: "../core/token.json#/$defs/Token/properties/value" }),
    lines: [`${BAZ}: $ref "../core/token.json#/$defs/Token/properties/value" must point to a named schema (#/$defs/<Name> in a core spec, #/components/schemas/<Name> in a provider spec)`],
  },
  {
    name: "unresolvable $ref outside schemas",
    edit: (s) => {
      s.paths["/x"].get.responses["404"] = { $ref: "#/components/responses/NotFound" };
      return s;
    },
    lines: [`${F}: /paths/~1x/get/responses/404: $ref "#/components/responses/NotFound" does not resolve`],
  },
  {
    name: "bad type value",
    edit: baz({ type: "strin" }),
    lines: [`${BAZ}: unknown type "strin" (expected one of "string", "integer", "number", "boolean", "array", "object", "null")`],
  },
  {
    name: "wrong keyword type",
    edit: baz({ type: "string", minLength: "1" }),
    lines: [`${BAZ}: "minLength" must be a non-negative integer`],
  },
  {
    name: "x-secret on an integer",
    edit: baz({ type: "integer", "x-secret": true }),
    lines: [`${BAZ}: "x-secret" is only allowed on a string (type "string" or ["string", "null"])`],
  },
  {
    name: "unknown x-decode",
    edit: baz({ type: "string", "x-decode": "timestamp" }),
    lines: [`${BAZ}: unknown "x-decode" value "timestamp" (supported: "date")`],
  },
  {
    name: "unknown canonical error code",
    edit: (s) => {
      s["x-tokenmint"].errors[0].code = "nope";
      return s;
    },
    lines: [`${F}: /x-tokenmint/errors/0/code: unknown canonical error code "nope" (see specs/core/errors.json)`],
  },
  {
    name: "schema name that is not PascalCase",
    edit: (s) => {
      s.components.schemas.bar_thing = s.components.schemas.Bar;
      delete s.components.schemas.Bar;
      s.paths["/x"].get.responses["200"].content["application/json"].schema.$ref = "#/components/schemas/bar_thing";
      return s;
    },
    lines: [`${F}: /components/schemas/bar_thing: schema name "bar_thing" is not a PascalCase identifier (letters and digits, starting with an upper-case letter)`],
  },
  {
    name: "operation without operationId",
    edit: (s) => {
      s.paths["/y"] = { post: { responses: {} } };
      return s;
    },
    lines: [`${F}: /paths/~1y/post: missing "operationId"`],
  },
  {
    name: "required property not declared",
    edit: (s) => {
      s.components.schemas.Bar.required = ["baz", "qux"];
      return s;
    },
    lines: [`${F}: /components/schemas/Bar: "required" lists "qux", which is not in "properties"`],
  },
  {
    name: "inherited property name",
    edit: (s) => {
      s.components.schemas.Bar.properties.constructor = { type: "string" };
      return s;
    },
    lines: [`${F}: /components/schemas/Bar/properties/constructor: property name "constructor" is not supported (every object inherits it)`],
  },
  {
    name: "provider id that does not match the file",
    edit: (s) => {
      s["x-tokenmint"].provider = "other";
      return s;
    },
    lines: [`${F}: /x-tokenmint/provider: must be the file's provider id "bad"`],
  },
  {
    name: "several problems in one file, in document order",
    edit: (s) => {
      s.components.schemas.Bar.properties.baz = { type: "string", minLength: -1, "x-secret": "yes", format: 3 };
      s["x-tokenmint"].errors.push({ status: "5xx", code: "provider_unavailable" });
      return s;
    },
    lines: [
      `${BAZ}: "format" must be a string`,
      `${BAZ}: "minLength" must be a non-negative integer`,
      `${BAZ}: "x-secret" must be a boolean`,
      `${F}: /x-tokenmint/errors/1/status: must be an HTTP status (100 to 599) or a class such as "5XX"`,
    ],
  },
];

describe("malformed specs", () => {
  it.each(CASES)("$name", async ({ edit, lines }) => {
    const root = await workspace({ bad: edit(baseSpec()) });
    expect(await problemLines(root)).toEqual(lines);
    const output: string[] = [];
    const result = await run({ root, log: (l) => output.push(l) });
    expect(result.exitCode).toBe(2);
    expect(output).toEqual([...lines, `codegen: ${lines.length} problem${lines.length === 1 ? "" : "s"} in the specs; nothing written`]);
    expect(await readdir(join(root, "packages/provider-bad"))).toEqual([]);
  });

  it("accepts the base spec these cases start from", async () => {
    const root = await workspace({ bad: baseSpec() });
    expect(await problemLines(root)).toEqual([]);
  });

  it("collects the problems of every file before failing", async () => {
    const core = baseSpec();
    const root = await workspace({ bad: "[1, 2", ghost: { ...core, "x-tokenmint": { provider: "ghost" } }, good: { ...core, "x-tokenmint": { provider: "good", errors: [{ code: "nope" }] } } }, ["bad", "good"]);
    await writeFile(join(root, "specs/core/scope.json"), JSON.stringify({ $defs: { Scope: { type: "object", minProperties: 1 } } }));
    expect(await problemLines(root)).toEqual([
      `specs/core/scope.json: /$defs/Scope: unknown keyword "minProperties"`,
      `${F}:1:6: invalid JSON: expected "," or "]" after an array element, found end of file`,
      "specs/providers/ghost.json: no package packages/provider-ghost for this spec",
      `specs/providers/good.json: /x-tokenmint/errors/0/code: unknown canonical error code "nope" (see specs/core/errors.json)`,
    ]);
  });

  it("reports duplicate keys, which JSON.parse would hide", async () => {
    const root = await workspace({ bad: '{"openapi": "3.1.0", "openapi": "3.1.1"}' });
    expect(await problemLines(root)).toContain(`${F}: /: duplicate key "openapi"`);
  });
});

describe("the CLI", () => {
  const node = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: CODEGEN_DIR, encoding: "utf8", timeout: 60_000 });

  it("prints one line per problem, no stack trace, and exits 2", async () => {
    const spec = baseSpec();
    spec.components.schemas.Bar.properties.baz = { type: "object", minProperties: 1 };
    const root = await workspace({ bad: spec });
    const result = node(["--root", root]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`${BAZ}: unknown keyword "minProperties"\ncodegen: 1 problem in the specs; nothing written\n`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it("rejects unknown flags with a usage error (exit 2)", () => {
    const result = node(["--frobnicate"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^codegen: unknown option "--frobnicate"\nusage: pnpm codegen \[--check\] \[--root <dir>\]/);
  });

  it("checks a clean tree with exit 0 and one summary line", () => {
    const result = node(["--check", `--root=${FIXTURE}`]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^codegen --check: 9 files from 5 specs up to date in \d+ ms\n$/);
  });
});

describe("a minimal provider spec", () => {
  it("without schemas or paths still gives modules that index.ts can re-export", async () => {
    const root = await workspace({ bare: { openapi: "3.1.0", info: { title: "Bare", version: "1" }, "x-tokenmint": { provider: "bare" } } });
    const { files, problems } = await generate({ root });
    expect(problems).toEqual([]);
    const dir = "packages/provider-bare/src/generated";
    expect(files.get(`${dir}/types.ts`)).toMatch(/\n\nexport \{\};\n$/);
    expect(files.get(`${dir}/parsers.ts`)).toMatch(/\n\nexport \{\};\n$/);
    const spec = files.get(`${dir}/spec.ts`)!;
    expect(spec).toContain("export const OPERATIONS = {} as const;");
    expect(spec).toContain("export const ERROR_MAP: readonly ErrorMapping[] = [];");
    expect(spec).toContain("export const SECRET_FIELDS: { readonly [schema: string]: readonly string[] } = {};");
    expect(spec).toContain("export const SECRET_WIRE_NAMES: readonly string[] = [];");
  });
});
