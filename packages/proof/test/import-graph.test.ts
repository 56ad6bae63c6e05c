// What importing a package costs in files, on the built bundles (tools/bundle) as users load them. Node's
// ESM loader pays ~1 ms per file, so a provider's import must load exactly its own bundle and core's:
// its CLI side, the token manager and the emulator kit are other entries, loaded only when asked for
// (bench/RESULTS.md, cold import). Also: classes keep their names through minification.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const PROOF_DIR = fileURLToPath(new URL("..", import.meta.url));
const PACKAGES = join(PROOF_DIR, "..");
const IMPORT_LOG = fileURLToPath(new URL("./fixtures/import-log.mjs", import.meta.url));
const PROVIDERS = ["huaweicloud", "idcs", "intersight", "oauth2", "oci"] as const;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tokenmint-import-graph-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `script` (an ES module body) in a fresh Node process; returns the files it loaded, relative to packages/, and its output. */
async function filesLoadedBy(name: string, script: string): Promise<{ files: string[]; stdout: string }> {
  const log = join(dir, `${name}.log`);
  const { stdout } = await run(process.execPath, ["--import", IMPORT_LOG, "--input-type=module", "-e", script], { cwd: PROOF_DIR, env: { ...process.env, TOKENMINT_IMPORT_LOG: log } });
  const urls = (await readFile(log, "utf8")).split("\n").filter(Boolean);
  return { files: ourFiles(urls), stdout };
}

/** Our files among loaded URLs (dependencies such as jose, which the emulator kit imports, aside), relative to packages/. */
function ourFiles(urls: readonly string[]): string[] {
  return [...new Set(urls.filter((url) => url.startsWith("file:")).map((url) => relative(PACKAGES, fileURLToPath(url))).filter((file) => !file.includes("node_modules")))].sort();
}

/** Node built-ins among loaded URLs. */
function builtins(urls: readonly string[]): string[] {
  return [...new Set(urls.filter((url) => url.startsWith("node:")))].sort();
}

/**
 * Built-ins a provider's import may load: none. Each costs ~0.3 ms as an ES module import even when Node
 * has it already (a facade module of all its exports; node:fs ~1.5 ms, node:crypto ~3 ms to load):
 * client code reaches them on first use through core's getters (process.getBuiltinModule).
 */
const IMPORT_BUILTINS: ReadonlySet<string> = new Set();

/** Names of exported classes whose `name` is not the name they are exported under (minified away). */
const RENAMED_CLASSES = "Object.entries(m).filter(([k, v]) => typeof v === 'function' && /^class\\b/.test(Function.prototype.toString.call(v)) && v.name !== k).map(([k, v]) => k + ' is named ' + v.name)";

describe("import graph of the built packages", () => {
  it.each(PROVIDERS)("importing @tokenmint/provider-%s loads its bundle and core's and no built-in; loadCli() adds the CLI entries", async (id) => {
    const script = [
      `const m = await import("@tokenmint/provider-${id}");`,
      `console.log(JSON.stringify(${RENAMED_CLASSES}));`,
      // The marker is written through process.getBuiltinModule, which the ESM load hook does not see.
      `process.getBuiltinModule("node:fs").appendFileSync(process.env.TOKENMINT_IMPORT_LOG, "--- loadCli\\n");`,
      "const cli = await m.default.loadCli();",
      "if (!Array.isArray(cli.config.flags)) throw new Error('no CLI');",
      // defineProvider leaves the spec check of the descriptor to loadProvider: check ours here.
      `(await import("@tokenmint/core")).parseProviderDescriptor(m.default.descriptor, { kind: "configuration" });`,
    ].join("\n");
    const log = join(dir, `${id}.log`);
    const { stdout } = await run(process.execPath, ["--import", IMPORT_LOG, "--input-type=module", "-e", script], { cwd: PROOF_DIR, env: { ...process.env, TOKENMINT_IMPORT_LOG: log } });
    const [onImport = "", onLoadCli = ""] = (await readFile(log, "utf8")).split("--- loadCli\n");
    const files = (text: string) => ourFiles(text.split("\n").filter(Boolean));
    expect(files(onImport)).toEqual([`core/dist/bundle/index.js`, `provider-${id}/dist/bundle/index.js`]);
    expect(builtins(onImport.split("\n")).filter((b) => !IMPORT_BUILTINS.has(b))).toEqual([]);
    expect(files(onLoadCli)).toEqual([`core/dist/bundle/cli/index.js`, `provider-${id}/dist/bundle/cli/index.js`]);
    expect(JSON.parse(stdout)).toEqual([]);
  });

  it("core's subpaths load one file each on top of core's main entry, and keep class names", async () => {
    for (const subpath of ["tokens", "emulator", "cli"]) {
      const { files, stdout } = await filesLoadedBy(subpath, `const m = await import("@tokenmint/core/${subpath}"); console.log(JSON.stringify(${RENAMED_CLASSES}));`);
      expect(files, subpath).toEqual([`core/dist/bundle/${subpath}/index.js`, "core/dist/bundle/index.js"].sort());
      expect(JSON.parse(stdout), subpath).toEqual([]);
    }
    const { stdout } = await filesLoadedBy("main", `const m = await import("@tokenmint/core"); console.log(JSON.stringify([${RENAMED_CLASSES}, Object.keys(m).filter((k) => /TokenManager|TokenStore|verifyHttpSignature|cliString/.test(k))]));`);
    expect(JSON.parse(stdout)).toEqual([[], []]);
  });
});
