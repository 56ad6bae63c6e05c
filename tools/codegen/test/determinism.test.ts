// Same specs -> byte-identical output, also when the keys of every object whose order does not matter
// come in another order.
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { generate } from "../src/index.js";
import { copyFixture, FIXTURE, readJson, reorder, tempDir } from "./helpers.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe("determinism", () => {
  it("generates byte-identical files twice", async () => {
    const a = await generate({ root: FIXTURE });
    const b = await generate({ root: FIXTURE });
    expect([...b.files.entries()]).toEqual([...a.files.entries()]);
  });

  it("does not depend on the order of keys that carry no order", async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    await copyFixture(dir);
    let changed = 0;
    for (const sub of ["specs/core", "specs/providers"]) {
      for (const name of await readdir(join(dir, sub))) {
        const path = join(dir, sub, name);
        const json = await readJson(path);
        const reordered = reorder(json);
        if (JSON.stringify(reordered) !== JSON.stringify(json)) changed++;
        await writeFile(path, JSON.stringify(reordered, null, 2));
      }
    }
    expect(changed).toBeGreaterThanOrEqual(5);
    const original = await generate({ root: FIXTURE });
    const shuffled = await generate({ root: dir });
    expect(shuffled.problems).toEqual([]);
    expect([...shuffled.files.keys()]).toEqual([...original.files.keys()]);
    for (const [path, content] of original.files) expect(shuffled.files.get(path), path).toBe(content);
  });

  it("follows the spec's property order inside a schema", async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    await copyFixture(dir);
    const path = join(dir, "specs/core/scope.json");
    const json = (await readJson(path)) as { $defs: { Scope: { properties: Record<string, unknown> } } };
    const props = json.$defs.Scope.properties;
    json.$defs.Scope.properties = Object.fromEntries(Object.entries(props).reverse());
    await writeFile(path, JSON.stringify(json));
    const { files } = await generate({ root: dir });
    const types = files.get("packages/core/src/generated/types.ts")!;
    const scope = types.slice(types.indexOf("export interface Scope"));
    expect(scope.indexOf("  name: string;")).toBeLessThan(scope.indexOf("  raw: string;"));
  });
});
