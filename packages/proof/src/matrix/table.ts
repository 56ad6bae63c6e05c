// The matrix as text: the committed markdown (deterministic outcomes only) and the console table
// (with attempts and timings, which vary from run to run).
import { ALWAYS_DEADLINE_MS, ATTEMPT_TIMEOUT_MS, SLOW_ALWAYS_DEADLINE_MS, CLOCK_SKEW_MS, DEADLINE_TOLERANCE_MS, FAULT_LABELS, MAX_ATTEMPTS, ONCE_DEADLINE_MS, SLOW_HEADERS_MS } from "./faults.js";
import type { CellResult } from "./types.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The outcome words of a cell: ok / code, the harness's note, and (fault on the next request only) the attempts. */
export function outcome(cell: CellResult): string {
  if (cell.code === "n/a") return "n/a";
  const parts = [cell.code === "ok" ? "ok" : `\`${cell.code}\``];
  if (cell.note !== undefined) parts.push(cell.note);
  // Attempts are deterministic when the fault hits one request; under an always-on fault and a tight
  // deadline they depend on backoff jitter, so only their bound is checked (not written down).
  if (cell.mode === "once") parts.push(plural(cell.attempts, "request"));
  return parts.join(", ");
}

function key(c: CellResult): string {
  return `${c.provider}\u0000${c.operation}\u0000${c.fault}`;
}

/** Counts of outcomes per mode. */
export function totals(cells: readonly CellResult[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const c of cells) {
    const mode = out[c.mode] ?? {};
    mode[c.code] = (mode[c.code] ?? 0) + 1;
    out[c.mode] = mode;
  }
  return out;
}

function totalsLines(cells: readonly CellResult[]): string[] {
  const t = totals(cells);
  const lines: string[] = [];
  for (const mode of ["once", "always"]) {
    const counts = t[mode] ?? {};
    const all = Object.values(counts).reduce((a, b) => a + b, 0);
    const detail = Object.entries(counts)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([code, n]) => `${code} ${n}`)
      .join(", ");
    lines.push(`- fault ${mode === "once" ? "on the next request only" : "on every request"}: ${all} cells: ${detail}`);
  }
  return lines;
}

/** The committed FAULT-MATRIX.md. */
export function matrixMarkdown(cells: readonly CellResult[]): string {
  const byKey = new Map<string, { once?: CellResult; always?: CellResult }>();
  for (const c of cells) {
    const entry = byKey.get(key(c)) ?? {};
    entry[c.mode] = c;
    byKey.set(key(c), entry);
  }
  const lines = [
    "# Fault matrix",
    "",
    "Written by `packages/proof/test/fault-matrix.test.ts` (`UPDATE_PROOF=1 npx vitest run test/fault-matrix.test.ts` in",
    "packages/proof regenerates it); the test fails when the outcomes it observes differ from this file.",
    "",
    "Every operation runs against its provider's emulator with core's fault injection, each operation on its own",
    "emulator, all in parallel.",
    "",
    `- Clients: per-attempt timeout ${ATTEMPT_TIMEOUT_MS} ms, at most ${MAX_ATTEMPTS} attempts per request (the providers' options).`,
    `- "next request only": the fault hits one request; deadline ${ONCE_DEADLINE_MS} ms.`,
    `- "every request": the fault hits every request; deadline ${ALWAYS_DEADLINE_MS} ms (${SLOW_ALWAYS_DEADLINE_MS} ms for slow headers, so that the deadline ends those calls).`,
    `- Slow headers arrive after ${SLOW_HEADERS_MS} ms; the server clock is ${CLOCK_SKEW_MS / 60_000} minutes ahead.`,
    "- Issue operations go through `TokenManager.getToken()`, as the READMEs show; a token already expired on arrival is refused by the provider's `issue()` itself (Huawei reports the token it made).",
    "- Requests: those that reached the faulted route, counted by the emulator as they arrive (a listing of every page makes several).",
    "",
    "Checked for every cell besides the outcome: the error is a `TokenmintError` with a canonical code; requests",
    `never exceed the client's bound; the call ends by its deadline + ${DEADLINE_TOLERANCE_MS} ms (+ the event-loop lag measured during`,
    "the call, when the machine is too busy to run the process on time); a Retry-After is waited out; an operation that",
    "is not retry-safe is repeated only after a 429; no unhandled rejection; Huawei create makes at most one token per",
    "call and reports one it did not return; token files are complete and 0600 after a success and absent after a",
    "failure; no secret canary in any result, error, cause or log event (for the CLI: test/canaries.test.ts).",
    "",
    "| operation | fault | fault on the next request only | fault on every request |",
    "|---|---|---|---|",
  ];
  for (const entry of byKey.values()) {
    const any = (entry.once ?? entry.always)!;
    lines.push(`| ${any.provider} ${any.operation} | ${FAULT_LABELS[any.fault]} | ${entry.once ? outcome(entry.once) : ""} | ${entry.always ? outcome(entry.always) : ""} |`);
  }
  lines.push("", "## Totals", "", ...totalsLines(cells), "");
  return lines.join("\n");
}

/** A compact console table with the run's attempts and timings. */
export function consoleTable(cells: readonly CellResult[]): string {
  const rows = cells.map((c) => [
    `${c.provider} ${c.operation}`.slice(0, 58),
    c.fault,
    c.mode,
    c.code === "n/a" ? "n/a" : `${c.code}${c.note ? ` (${c.note})` : ""}`,
    c.code === "n/a" ? "" : `${c.attempts}/${c.maxAttempts}`,
    c.code === "n/a" ? "" : `${c.elapsedMs} ms`,
    c.code === "n/a" ? "" : `${c.overDeadlineMs > 0 ? "+" : ""}${c.overDeadlineMs} ms`,
    c.code === "n/a" ? "" : `${c.loopLagMs} ms`,
  ]);
  const header = ["operation", "fault", "mode", "outcome", "requests", "elapsed", "vs deadline", "loop lag"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i]!)).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line), "", "Totals:", ...totalsLines(cells)].join("\n");
}
