import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineProvider, loadProvider, type ProviderDefinition } from "../src/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tokenmint-provider-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a plugin module default-exporting a definition with this descriptor; returns its URL. */
async function plugin(name: string, descriptor: unknown, extra = ""): Promise<string> {
  const file = join(dir, `${name}.mjs`);
  await writeFile(file, `export default { descriptor: ${JSON.stringify(descriptor)}, createClient: () => ({ provider: "x", configKey: "k" })${extra} };\n`);
  return pathToFileURL(file).href;
}

const good = { id: "acme", displayName: "Acme", capabilities: ["issue", "revoke"] };

describe("defineProvider", () => {
  it("freezes the definition and refuses a missing id, createClient or a loadCli that is not a function", () => {
    const p = defineProvider({ descriptor: { ...good, capabilities: ["issue"] }, createClient: () => ({ provider: "acme", configKey: "k" }) });
    expect(Object.isFrozen(p) && Object.isFrozen(p.descriptor)).toBe(true);
    const bad = (d: unknown) => () => defineProvider(d as ProviderDefinition);
    expect(bad({ descriptor: {}, createClient: () => ({}) })).toThrow(expect.objectContaining({ code: "configuration", message: expect.stringMatching(/string id/) }));
    expect(bad({ descriptor: good })).toThrow(/acme: createClient must be a function/);
    expect(bad({ descriptor: good, createClient: () => ({}), loadCli: {} })).toThrow(/acme: loadCli must be a function/);
    expect(bad({ descriptor: good, createClient: () => ({}), cli: { config: { flags: [] } } })).toThrow(/acme: "cli" is now "loadCli"/);
  });
});

describe("loadProvider", () => {
  it("loads a plugin's default export and checks its descriptor against the spec", async () => {
    const p = await loadProvider(await plugin("good", good));
    expect(p.descriptor).toEqual(good);
    await expect(loadProvider(await plugin("bad-id", { ...good, id: "Acme Corp" }))).rejects.toMatchObject({ code: "configuration", message: expect.stringMatching(/bad-id\.mjs.*\/id.*string matching/) });
    await expect(loadProvider(await plugin("bad-capability", { ...good, capabilities: ["issue", "delete"] }))).rejects.toMatchObject({ code: "configuration", message: expect.stringMatching(/\/capabilities\/1/) });
    await expect(loadProvider(await plugin("extra-field", { ...good, colour: "red" }))).rejects.toMatchObject({ code: "configuration", message: expect.stringMatching(/no property "colour"/) });
    await expect(loadProvider(await plugin("bad-cli", good, ", loadCli: 42"))).rejects.toThrow(/loadCli must be a function/);
  });

  it("names a module that cannot be loaded or exports no definition", async () => {
    await expect(loadProvider(pathToFileURL(join(dir, "missing.mjs")).href)).rejects.toMatchObject({ code: "configuration", message: expect.stringMatching(/cannot load provider module/) });
    const file = join(dir, "nothing.mjs");
    await writeFile(file, "export const x = 1;\n");
    await expect(loadProvider(pathToFileURL(file).href)).rejects.toThrow(/does not export a provider definition/);
  });
});
