// Installed size: each provider package packed from the workspace (`pnpm pack`, as it would be
// published) and installed with npm into its own scratch project, against the official SDK packages
// installed the same way in the same run. The tarballs and every registry dependency come from npm's
// cache when they are there (--prefer-offline). When the registry cannot be reached, the SDK figures
// measured earlier on these machines are reported as context instead, and the rows say so.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { COLD_IMPORT_ROUNDS, coldImportMs, compareColdImports, median } from "../harness.js";
import type { Row } from "../report.js";

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PNPM = ["-y", "pnpm@10.34.8"];
const PROVIDERS = ["provider-oci", "provider-idcs", "provider-huaweicloud", "provider-intersight", "provider-oauth2"] as const;
/** The official SDKs each provider replaces, pinned as in shared/reference/benchmarks.md. */
const PEERS: Readonly<Record<string, { readonly packages: readonly string[]; readonly referenceMb: number; readonly reference: string }>> = {
  "provider-oci": { packages: ["oci-identitydataplane@2.139.1", "oci-common@2.139.1"], referenceMb: 11, reference: "11 MB, 50 packages" },
  "provider-huaweicloud": { packages: ["@huaweicloud/huaweicloud-sdk-core@3.1.211"], referenceMb: 23, reference: "23 MB, 45 packages" },
};

interface Installed {
  readonly bytes: number;
  readonly packages: number;
}

/** Apparent size of every file under a directory (independent of the file system's block size). */
async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await bytesUnder(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

/** Packages installed: every package.json directly inside node_modules/<name> or node_modules/@scope/<name>, nested ones included. */
async function packagesUnder(nodeModules: string): Promise<number> {
  let count = 0;
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith("@")) {
        await visit(path);
        continue;
      }
      const manifest = await readFile(join(path, "package.json"), "utf8").catch(() => undefined);
      if (manifest !== undefined) count++;
      await visit(join(path, "node_modules"));
    }
  };
  await visit(nodeModules);
  return count;
}

async function npmInstall(dir: string, specs: readonly string[]): Promise<Installed> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "scratch", version: "0.0.0", private: true }));
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", "--loglevel=error", ...specs], { cwd: dir, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
  const nodeModules = join(dir, "node_modules");
  return { bytes: await bytesUnder(nodeModules), packages: await packagesUnder(nodeModules) };
}

/** Packs a workspace package as pnpm publishes it (workspace:* replaced by versions); returns the tarball path. */
async function pack(pkg: string, destination: string): Promise<string> {
  const before = new Set(await readdir(destination));
  await run("npx", [...PNPM, "pack", "--pack-destination", destination], { cwd: join(ROOT, "packages", pkg), timeout: 120_000 });
  const created = (await readdir(destination)).find((f) => !before.has(f) && f.endsWith(".tgz"));
  if (created === undefined) throw new Error(`pnpm pack of ${pkg} produced no tarball`);
  return join(destination, created);
}

const mb = (bytes: number) => bytes / 1_000_000;

export async function installSizeSuite(): Promise<Row[]> {
  const scratch = await mkdtemp(join(tmpdir(), "tokenmint-install-size-"));
  const rows: Row[] = [];
  try {
    const tarballs = join(scratch, "tarballs");
    await mkdir(tarballs);
    const core = await pack("core", tarballs);
    const ours = new Map<string, Installed>();
    for (const pkg of PROVIDERS) {
      const tarball = await pack(pkg, tarballs);
      // The provider's own dependency on @tokenmint/core is satisfied by the core tarball installed with it.
      const installed = await npmInstall(join(scratch, pkg), [core, tarball]);
      ours.set(pkg, installed);
      rows.push({ figure: `@tokenmint/${pkg} installed size (MB)`, value: mb(installed.bytes), context: `${installed.packages} packages (with @tokenmint/core and its dependencies), from the packed workspace tarballs` });
      if (!(pkg in PEERS)) {
        const ms = Array.from({ length: 9 }, () => coldImportMs("esm", [`@tokenmint/${pkg}`], join(scratch, pkg)));
        rows.push({ figure: `cold import of @tokenmint/${pkg} as installed (ms)`, value: median(ms), spread: [Math.min(...ms), Math.max(...ms)], goal: "context only (no official SDK package to compare)", context: "timed inside fresh processes from an ESM entry file in the scratch project, 9 runs" });
      }
    }
    for (const [pkg, peer] of Object.entries(PEERS)) {
      let installed: Installed | undefined;
      let failure: string | undefined;
      try {
        installed = await npmInstall(join(scratch, `peer-${pkg}`), peer.packages);
      } catch (error) {
        failure = error instanceof Error ? error.message.split("\n")[0] : String(error);
      }
      const mine = ours.get(pkg)!;
      if (installed === undefined) {
        rows.push({ figure: `${peer.packages.join(" + ")} installed size (MB, earlier measurement)`, value: peer.referenceMb, context: `NOT measured in this run (${failure}): ${peer.reference} as measured earlier on these machines (shared/reference/benchmarks.md), disk usage rather than apparent size` });
        continue;
      }
      rows.push({ figure: `${peer.packages.join(" + ")} installed size (MB)`, value: mb(installed.bytes), context: `${installed.packages} packages, installed the same way in this run` });
      rows.push({ figure: `@tokenmint/${pkg} / official SDK, installed size`, value: mine.bytes / installed.bytes, goal: "< 1", context: `${mb(mine.bytes).toFixed(2)} MB vs ${mb(installed.bytes).toFixed(2)} MB; ${mine.packages} vs ${installed.packages} packages` });
      // Cold import of both as a user gets them: npm's flat node_modules, no workspace symlinks.
      const names = peer.packages.map((spec) => spec.slice(0, spec.lastIndexOf("@")));
      const cold = compareColdImports([`@tokenmint/${pkg}`], names, { oursDir: join(scratch, pkg), theirsDir: join(scratch, `peer-${pkg}`) });
      rows.push({
        figure: `cold import of @tokenmint/${pkg} / ${names.join(" + ")}, as installed`,
        value: median(cold.ratios),
        spread: [Math.min(...cold.ratios), Math.max(...cold.ratios)],
        goal: pkg === "provider-oci" ? "<= 0.1" : "< 1",
        context: `ours ${median(cold.ours).toFixed(1)} ms, SDK ${median(cold.theirs).toFixed(1)} ms; ESM / CommonJS entry files in the scratch projects, ${COLD_IMPORT_ROUNDS} alternating rounds`,
      });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return rows;
}
