// Alternating-rounds measurement: every figure is a ratio to a baseline run in the same process and
// the same rounds, because these shared machines vary by 2x from one day to the next.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import { cpus, platform, release, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Candidate {
  name: string;
  /** Runs `n` operations; resolves when they are done. */
  run(n: number): Promise<void> | void;
}

export interface Measured {
  name: string;
  /** Operations per second of each round. */
  perRound: number[];
  median: number;
}

export async function measure(candidates: readonly Candidate[], options: { rounds?: number; roundMs?: number } = {}): Promise<Measured[]> {
  const rounds = options.rounds ?? 7;
  const roundMs = options.roundMs ?? 300;
  const batch = new Map<string, number>();
  for (const c of candidates) batch.set(c.name, await calibrate(c, roundMs / 10));
  const results = candidates.map((c) => ({ name: c.name, perRound: [] as number[], median: 0 }));
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of candidates.entries()) {
      const n = batch.get(c.name)!;
      let ops = 0;
      const start = performance.now();
      while (performance.now() - start < roundMs) {
        await c.run(n);
        ops += n;
      }
      results[i]!.perRound.push((ops * 1000) / (performance.now() - start));
    }
  }
  for (const r of results) r.median = median(r.perRound);
  return results;
}

async function calibrate(c: Candidate, targetMs: number): Promise<number> {
  let n = 1;
  for (;;) {
    const start = performance.now();
    await c.run(n);
    const took = performance.now() - start;
    if (took >= targetMs || n >= 1 << 22) return n;
    n *= 2;
  }
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Per-round ratios of a to b (same round), with their median and spread. */
export function ratio(a: Measured, b: Measured): { median: number; min: number; max: number } {
  const r = a.perRound.map((v, i) => v / b.perRound[i]!);
  return { median: median(r), min: Math.min(...r), max: Math.max(...r) };
}

export function machine(): Record<string, string | number> {
  const cpu = cpus();
  return { node: process.version, platform: `${platform()} ${release()}`, cpu: cpu[0]?.model ?? "unknown", cores: cpu.length, memoryGiB: Math.round(totalmem() / 2 ** 30) };
}

export const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(1));

const coldImportDir = join(dirname(fileURLToPath(import.meta.url)), "cold-import");

/**
 * Milliseconds a fresh Node process spends loading `specifiers`, timed inside the process from an
 * entry file of the given module system: `esm` imports, `cjs` requires. Timing in the process leaves
 * out Node's start-up (30-80 ms here, noisier than the figure itself). Specifiers resolve from `dir`
 * (default bench/cold-import, i.e. bench's dependencies), where the entry file is copied.
 */
export function coldImportMs(system: "esm" | "cjs", specifiers: readonly string[], dir: string = coldImportDir): number {
  const name = system === "esm" ? "entry.mjs" : "entry.cjs";
  const entry = join(dir, name);
  if (!existsSync(entry)) copyFileSync(join(coldImportDir, name), entry);
  const result = spawnSync(process.execPath, [entry, ...specifiers], { cwd: dir, encoding: "utf8" });
  const ms = Number(result.stdout.trim());
  if (result.status !== 0 || !Number.isFinite(ms)) throw new Error(`loading ${specifiers.join(", ")} failed: ${result.stderr.trim().split("\n").slice(-3).join(" ")}`);
  return ms;
}

/**
 * Rounds of a cold-import comparison. A cold import is ~10 ms on our side, where a busy neighbour on these
 * shared 2-core VMs moves single rounds by 30% and more (bench/RESULTS.md spreads): 31 rounds keep the
 * median steady at ~5 s per comparison.
 */
export const COLD_IMPORT_ROUNDS = 31;

/** Alternating rounds of cold loads of ours (ESM) and theirs (CommonJS); per-round ratios ours/theirs. */
export function compareColdImports(
  ours: readonly string[],
  theirs: readonly string[],
  options: { rounds?: number; oursDir?: string; theirsDir?: string } = {},
): { ours: number[]; theirs: number[]; ratios: number[] } {
  const rounds = options.rounds ?? COLD_IMPORT_ROUNDS;
  coldImportMs("esm", ours, options.oursDir); // warm the disk cache for both
  coldImportMs("cjs", theirs, options.theirsDir);
  const result = { ours: [] as number[], theirs: [] as number[], ratios: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    const o = coldImportMs("esm", ours, options.oursDir);
    const t = coldImportMs("cjs", theirs, options.theirsDir);
    result.ours.push(o);
    result.theirs.push(t);
    result.ratios.push(o / t);
  }
  return result;
}
