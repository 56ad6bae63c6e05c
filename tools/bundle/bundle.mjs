#!/usr/bin/env node
// Bundles a package's tsc output (dist/**/*.js) into dist/bundle/, one file per `exports` subpath.
// Dependencies stay external: a provider's bundle imports @tokenmint/core, never a copy of it.
//
// Why one file: Node's ESM loader reads each module with asynchronous fs calls, so every extra file
// of an import graph costs ~1-2 ms on these machines whatever its size (~40 small files cost ~30 ms;
// see bench/RESULTS.md, cold import). So the main entry (".") is one self-contained, minified file
// with no shared chunk, and the other entries (emulators, testing helpers) import what they share with
// it from the main entry itself instead of from a chunk: classes keep one identity across subpaths and
// library users load exactly one file per package.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const dir = process.cwd();
const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const outdir = join(dir, "dist", "bundle");
/** @type {Record<string, string>} output name (without .js) -> tsc output file */
const entries = {};
let main;
for (const [subpath, target] of Object.entries(meta.exports ?? {})) {
  const file = typeof target === "object" ? target.default : undefined;
  if (typeof file !== "string" || !file.startsWith("./dist/bundle/")) continue;
  const name = file.slice("./dist/bundle/".length).replace(/\.js$/, "");
  entries[name] = join(dir, "dist", `${name}.js`);
  if (subpath === ".") main = name;
}
if (Object.keys(entries).length === 0) {
  console.error(`bundle: no exports of ${meta.name} point into ./dist/bundle/`);
  process.exit(2);
}
const external = [...Object.keys(meta.dependencies ?? {}), ...Object.keys(meta.peerDependencies ?? {}), ...Object.keys(meta.optionalDependencies ?? {})].flatMap((d) => [d, `${d}/*`]);
const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  sourcemap: "linked",
  // Smaller source compiles faster; names are kept because error classes report theirs.
  minify: true,
  keepNames: true,
  logLevel: "warning",
};

// 1. The main entry alone. Its metafile says which modules it holds and what it exports.
const mainModules = new Set();
if (main !== undefined) {
  const result = await build({ ...common, entryPoints: { [main]: entries[main] }, outdir, metafile: true });
  for (const input of Object.keys(result.metafile.inputs)) mainModules.add(resolve(input));
}

// 2. The other entries (with chunks among themselves). A relative import of a module the main entry
// already holds becomes an import of the main entry; this is only sound when the main entry exports
// every name imported that way, which the link check below proves.
const others = Object.fromEntries(Object.entries(entries).filter(([name]) => name !== main));
if (Object.keys(others).length > 0) {
  const mainOutput = join(outdir, `${main}.js`);
  // Every other output (entries such as emulator/index, and chunks/*) sits one directory below
  // dist/bundle/, so one relative specifier reaches the main entry from all of them.
  const nested = Object.keys(others).filter((name) => name.split("/").length !== 2);
  if (nested.length > 0) {
    console.error(`bundle: ${meta.name}: non-main exports must be one directory deep under dist/bundle/ (${nested.join(", ")})`);
    process.exit(2);
  }
  const mainSpecifier = `../${main}.js`;
  const reuseMain = {
    name: "reuse-main-entry",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (main === undefined) return undefined;
        const target = resolve(args.resolveDir, args.path);
        if (!mainModules.has(target) || Object.values(others).includes(target)) return undefined;
        return { path: mainSpecifier, external: true };
      });
    },
  };
  await build({ ...common, entryPoints: others, outdir, splitting: true, chunkNames: "chunks/[name]-[hash]", plugins: [reuseMain] });
  // Link check: every entry must load (an import of a name the main entry does not export fails here,
  // at build time, instead of in a user's process).
  const urls = Object.keys(entries).map((name) => pathToFileURL(join(outdir, `${name}.js`)).href);
  const check = spawnSync(process.execPath, ["--input-type=module", "-e", `for (const u of ${JSON.stringify(urls)}) await import(u);`], { cwd: dir, encoding: "utf8" });
  if (check.status !== 0) {
    console.error(`bundle: ${meta.name}: an entry does not link against ${relative(dir, mainOutput)}:\n${check.stderr.split("\n").filter((line) => /Error/.test(line)).join("\n")}`);
    console.error("bundle: export the names it needs from the main entry, or import them from a module the main entry does not hold.");
    process.exit(1);
  }
}
console.error(`bundle: ${meta.name}: ${Object.values(entries).map((e) => relative(dir, e)).join(", ")} -> dist/bundle/`);
