// What the CLI fault runs share: the library's outcome of each cell (read from the committed
// FAULT-MATRIX.md, so the command line is held to the same outcomes as the library), a small pool that
// bounds the child processes running at once, and the check that a command left no half-written file.
import { readFileSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FAULT_LABELS } from "./matrix/faults.js";
import type { FaultId } from "./matrix/types.js";

/** The outcome of a fault on every request, as the library matrix observed it. */
export interface LibraryOutcome {
  /** "ok", "n/a" or a canonical error code. */
  readonly code: string;
  /** What the outcome adds (Huawei's "orphan check: found"). */
  readonly note: string | undefined;
}

const MATRIX_FILE = fileURLToPath(new URL("../FAULT-MATRIX.md", import.meta.url));

/** `operation` as the matrix names it ("huaweicloud issue (create bearer token)") x fault -> its "every request" outcome. */
export function libraryOutcomes(): (operation: string, fault: FaultId) => LibraryOutcome {
  const rows = new Map<string, string>();
  for (const line of readFileSync(MATRIX_FILE, "utf8").split("\n")) {
    const cells = line.split(" | ");
    if (cells.length !== 4 || !line.startsWith("| ")) continue;
    rows.set(`${cells[0]!.slice(2)}\u0000${cells[1]}`, cells[3]!.replace(/ \|$/, ""));
  }
  return (operation, fault) => {
    const text = rows.get(`${operation}\u0000${FAULT_LABELS[fault]}`);
    if (text === undefined) throw new Error(`FAULT-MATRIX.md has no row for ${operation} x ${FAULT_LABELS[fault]}`);
    const [head, ...rest] = text.split(", ");
    return { code: head!.replace(/`/g, ""), note: rest.length > 0 ? rest.join(", ") : undefined };
  };
}

/** At most `size` tasks at once; the others wait their turn in order. */
export function pool(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

/**
 * Problems with what a command left: after a failure no output file at all; after a success complete
 * 0600 files; in the token cache never a temporary or lock file, every file 0600 and every store whole.
 */
export async function fileProblems(outDir: string, cacheDir: string, failed: boolean): Promise<string[]> {
  const problems: string[] = [];
  const outputs = await filesUnder(outDir);
  if (failed && outputs.length > 0) problems.push(`files left after a failed command: ${outputs.map((f) => f.slice(outDir.length + 1)).join(", ")}`);
  for (const file of [...outputs, ...(await filesUnder(cacheDir))]) {
    const name = file.slice(file.lastIndexOf("/") + 1);
    const info = await stat(file);
    if (name.startsWith(".") || name.endsWith(".tmp")) problems.push(`temporary file left: ${file}`);
    if (name.endsWith(".lock")) problems.push(`lock file left: ${file}`);
    if ((info.mode & 0o777) !== 0o600) problems.push(`${file} has mode ${(info.mode & 0o777).toString(8)}`);
    if (info.size === 0) problems.push(`${file} is empty`);
    if (name.endsWith(".json") || name.endsWith(".tok")) {
      try {
        JSON.parse(await readFile(file, "utf8"));
      } catch {
        problems.push(`${file} is not whole JSON`);
      }
    }
  }
  return problems;
}
