#!/usr/bin/env node
// Bundles a package's tsc output (dist/**/*.js) into dist/bundle/, one file per `exports` subpath.
// Dependencies stay external: a provider's bundle imports @tokenmint/core, never a copy of it.
//
// Why one file: Node's ESM loader reads each module with asynchronous fs calls, so every extra file
// of an import graph costs ~1-2 ms on these machines whatever its size (~40 small files cost ~30 ms;
// see bench/RESULTS.md, cold import). So the main entry (".") is one self-contained, minified file
// with no shared chunk, and the other entries (emulators, testing helpers) import what they share with
// it from the main entry itself instead of from a chunk: classes keep one identity across subpaths and
// library users load exactly one file per package. What only some users need (a provider's CLI, the
// token manager) is another entry: a subpath, or a dynamic import of that entry from the main one.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
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
  // Smaller source compiles faster. Classes keep their names (util.inspect and stack traces show
  // them: see classNames below); keepNames would also name every function, ~6% of the bytes and one
  // call each at load (~0.4 ms of a provider's cold import).
  minify: true,
  logLevel: "warning",
};

/** Every class of the tsc output keeps its name through minification. */
const classNames = {
  name: "class-names",
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(join(dir, "dist"))) return undefined;
      const source = readFileSync(args.path, "utf8");
      const names = [...source.matchAll(/^(?:export )?class ([A-Za-z_$][\w$]*)/gm)].map((match) => match[1]);
      if (names.length === 0) return undefined;
      const naming = names.map((name) => `Object.defineProperty(${name}, "name", { value: ${JSON.stringify(name)} });\n`).join("");
      // Before the source-map comment, which esbuild reads to map back to the TypeScript.
      const at = source.lastIndexOf("//# sourceMappingURL=");
      return { contents: at === -1 ? `${source}\n${naming}` : `${source.slice(0, at)}${naming}${source.slice(at)}`, loader: "js", resolveDir: dirname(args.path) };
    });
  },
};

// 1. The main entry alone. Its metafile says which modules it holds and what it exports.
/** Modules of the main entry whose every export the main entry exports under the same name. */
const mainModules = new Set();
/** Every module the main entry holds (as its metafile names them). */
const mainInputs = new Set();
if (main !== undefined) {
  // A dynamic import of another entry (e.g. a provider's lazily loaded `./cli`) stays a dynamic import
  // of that entry's bundle, so the main entry does not hold it and loads it only when asked.
  const otherFiles = new Map(Object.entries(entries).filter(([name]) => name !== main).map(([name, file]) => [file, name]));
  const lazyEntries = {
    name: "lazy-entries",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const name = args.kind === "dynamic-import" ? otherFiles.get(resolve(args.resolveDir, args.path)) : undefined;
        return name === undefined ? undefined : { path: `./${name}.js`, external: true };
      });
    },
  };
  const result = await build({ ...common, entryPoints: { [main]: entries[main] }, outdir, metafile: true, plugins: [lazyEntries, classNames] });
  const mainExports = new Set(Object.values(result.metafile.outputs).find((output) => output.entryPoint !== undefined)?.exports ?? []);
  // Each held module's own export names, `export *` resolved (each bundled alone, nothing written).
  const held = Object.keys(result.metafile.inputs).filter((input) => /\.js$/.test(input));
  for (const input of held) mainInputs.add(input);
  const own = await build({ ...common, minify: false, sourcemap: false, entryPoints: held, outdir: join(dir, "dist", ".bundle-probe"), write: false, metafile: true });
  for (const output of Object.values(own.metafile.outputs)) {
    if (output.entryPoint === undefined) continue;
    // A module the main entry only partly exports (internal helpers such as a temp-file namer) is
    // copied into the entries that use it rather than imported from the main entry, which does not
    // export those names. Such modules must hold no state and define no class whose identity matters;
    // errors and secrets are public API, so they are always shared.
    if (output.exports.every((name) => mainExports.has(name))) mainModules.add(resolve(output.entryPoint));
  }
}

// 2. The other entries. A relative import of a module whose exports the main entry re-exports becomes
// an import of the main entry; the link check below proves every name imported that way is there.
const others = Object.fromEntries(Object.entries(entries).filter(([name]) => name !== main));
if (Object.keys(others).length > 0) {
  const mainOutput = join(outdir, `${main}.js`);
  // Every other output (entries such as emulator/index) sits one directory below dist/bundle/, so one
  // relative specifier reaches the main entry from all of them.
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
  // Each entry alone, without shared chunks: a chunk would be one more file to load (see above).
  // Modules two entries hold are copied into both, which is only sound for stateless helpers.
  const holders = new Map();
  for (const [name, file] of Object.entries(others)) {
    const result = await build({ ...common, entryPoints: { [name]: file }, outdir, metafile: true, plugins: [reuseMain, classNames] });
    for (const input of Object.keys(result.metafile.inputs)) holders.set(input, [...(holders.get(input) ?? []), name]);
  }
  const copied = ([input, names]) => names.length > 1 || mainInputs.has(input);
  const sharedClasses = [...holders].filter((holder) => copied(holder) && /\bclass\s/.test(readFileSync(join(dir, holder[0]), "utf8")));
  if (sharedClasses.length > 0) {
    console.error(`bundle: ${meta.name}: ${sharedClasses.map(([input, names]) => `${input} (${names.join(", ")})`).join("; ")} would be copied into several entries, each with its own class: export all of its names from the main entry`);
    process.exit(1);
  }
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
