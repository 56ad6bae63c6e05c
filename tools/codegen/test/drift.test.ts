// Write mode writes only what changed and removes stale files; check mode writes nothing and reports
// every drifted, missing or stale file with exit code 1.
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { run } from "../src/index.js";
import { copyFixture, tempDir } from "./helpers.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function fixtureCopy(): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  await copyFixture(dir);
  return dir;
}

function collect(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (l) => lines.push(l) };
}

describe("write and check", () => {
  it("names the file a spec change makes drift, and the write fixes it", async () => {
    const root = await fixtureCopy();
    const specPath = join(root, "specs/core/scope.json");
    const spec = JSON.parse(await readFile(specPath, "utf8"));
    spec.$defs.Scope.properties.name.description = "Changed.";
    await writeFile(specPath, JSON.stringify(spec, null, 2));

    const check = collect();
    const drift = await run({ root, check: true, log: check.log });
    expect(drift.exitCode).toBe(1);
    expect(drift.drifted).toEqual(["packages/core/src/generated/types.ts"]);
    expect(check.lines[0]).toBe("drifted: packages/core/src/generated/types.ts");
    expect(check.lines.at(-1)).toMatch(/^codegen --check: 1 of 9 files out of date \(from 5 specs\) in \d+ ms; run `pnpm codegen`$/);
    expect(await readFile(join(root, "packages/core/src/generated/types.ts"), "utf8")).not.toContain("Changed.");

    const write = collect();
    const written = await run({ root, log: write.log });
    expect(written.exitCode).toBe(0);
    expect(written.written).toEqual(["packages/core/src/generated/types.ts"]);
    expect(write.lines).toHaveLength(1);
    expect(write.lines[0]).toMatch(/^codegen: 9 files from 5 specs, 1 written, 0 removed in \d+ ms$/);
    expect(await readFile(join(root, "packages/core/src/generated/types.ts"), "utf8")).toContain("/** Changed. */");
    expect((await run({ root, check: true, log: () => {} })).exitCode).toBe(0);
  });

  it("does not touch files whose content is unchanged", async () => {
    const root = await fixtureCopy();
    const path = join(root, "packages/provider-acme/src/generated/parsers.ts");
    const before = (await stat(path)).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    const result = await run({ root, log: () => {} });
    expect(result.written).toEqual([]);
    expect((await stat(path)).mtimeMs).toBe(before);
  });

  it("reports stale and missing files, then removes and recreates them", async () => {
    const root = await fixtureCopy();
    await writeFile(join(root, "packages/provider-acme/src/generated/old.ts"), "export {};\n");
    await rm(join(root, "packages/core/src/generated/secrets.ts"));
    const check = collect();
    const result = await run({ root, check: true, log: check.log });
    expect(result.exitCode).toBe(1);
    expect(result.drifted).toEqual(["packages/core/src/generated/secrets.ts", "packages/provider-acme/src/generated/old.ts"]);
    expect(check.lines).toContain("missing: packages/core/src/generated/secrets.ts");
    expect(check.lines).toContain("stale: packages/provider-acme/src/generated/old.ts");

    const write = await run({ root, log: () => {} });
    expect(write.written).toEqual(["packages/core/src/generated/secrets.ts"]);
    expect(write.removed).toEqual(["packages/provider-acme/src/generated/old.ts"]);
    await expect(stat(join(root, "packages/provider-acme/src/generated/old.ts"))).rejects.toThrow();
    expect((await run({ root, check: true, log: () => {} })).exitCode).toBe(0);
  });

  it("removes the generated files of a provider whose spec was deleted", async () => {
    const root = await fixtureCopy();
    await rm(join(root, "specs/providers/acme.json"));
    const check = await run({ root, check: true, log: () => {} });
    expect(check.exitCode).toBe(1);
    expect(check.drifted.filter((p) => p.startsWith("packages/provider-acme/"))).toHaveLength(4);
    const write = await run({ root, log: () => {} });
    expect(write.removed).toHaveLength(4);
    await expect(stat(join(root, "packages/provider-acme/src/generated"))).rejects.toThrow();
  });
});
