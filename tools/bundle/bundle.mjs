#!/usr/bin/env node
// Bundles a package's tsc output (dist/**/*.js) into dist/bundle/, one entry per `exports` subpath,
// with shared chunks so classes stay one identity across subpaths. Dependencies stay external: a
// provider's bundle imports @tokenmint/core, never a copy of it. Why: an ESM import of ~40 small
// files costs ~30 ms on these machines; one file costs a few (see bench/RESULTS.md, cold import).
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "esbuild";

const dir = process.cwd();
const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const entryPoints = {};
for (const [subpath, target] of Object.entries(meta.exports ?? {})) {
  const file = typeof target === "object" ? target.default : undefined;
  if (typeof file !== "string" || !file.startsWith("./dist/bundle/")) continue;
  const name = file.slice("./dist/bundle/".length).replace(/\.js$/, "");
  entryPoints[name] = join(dir, "dist", `${name}.js`);
  if (subpath === undefined) continue;
}
if (Object.keys(entryPoints).length === 0) {
  console.error(`bundle: no exports of ${meta.name} point into ./dist/bundle/`);
  process.exit(2);
}
const external = [...Object.keys(meta.dependencies ?? {}), ...Object.keys(meta.peerDependencies ?? {}), ...Object.keys(meta.optionalDependencies ?? {})].flatMap((d) => [d, `${d}/*`]);
await build({
  entryPoints,
  outdir: join(dir, "dist", "bundle"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  sourcemap: "linked",
  logLevel: "warning",
  chunkNames: "chunks/[name]-[hash]",
});
console.error(`bundle: ${meta.name}: ${Object.keys(entryPoints).map((e) => relative(dir, entryPoints[e])).join(", ")} -> dist/bundle/`);
