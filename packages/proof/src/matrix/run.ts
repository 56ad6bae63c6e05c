// Runs the fault matrix: every operation x every fault x (once, always). Operations run in parallel,
// each against its own emulator; the cells of one operation run one after another.
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { TokenmintError } from "@tokenmint/core";
import type { FaultHandle } from "@tokenmint/core/emulator";
import type { CanaryRegistry } from "../canary.js";
import { ALWAYS, deadlineMs, FAULT_IDS, faultRequest, MODES } from "./faults.js";
import type { CellResult, FaultId, FaultMode, OperationHarness } from "./types.js";

/** Longest wait for the requests of a call to be logged by the emulator (a delayed handler still running). */
const SETTLE_MS = 2000;
/** Delay between the starts of two operations. */
const START_STAGGER_MS = 40;

export interface MatrixOptions {
  readonly faults?: readonly FaultId[];
  readonly modes?: readonly FaultMode[];
}

export async function runMatrix(harnesses: readonly OperationHarness[], canaries: CanaryRegistry, options: MatrixOptions = {}): Promise<CellResult[]> {
  const faults = options.faults ?? FAULT_IDS;
  const modes = options.modes ?? MODES;
  const perOperation = await Promise.all(
    harnesses.map(async (harness, index) => {
      // Operations start a little apart: all of them sending their first request at the same instant,
      // from one process that also runs every emulator, could hold a request past the 300 ms attempt
      // timeout on a busy machine.
      await sleep(index * START_STAGGER_MS);
      const out: CellResult[] = [];
      for (const fault of faults) for (const mode of modes) out.push(await runCell(harness, fault, mode, canaries));
      return out;
    }),
  );
  return perOperation.flat();
}

function notApplicable(h: OperationHarness, fault: FaultId, mode: FaultMode): CellResult {
  return {
    provider: h.provider,
    operation: h.operation,
    fault,
    mode,
    code: "n/a",
    note: undefined,
    attempts: 0,
    maxAttempts: h.maxAttempts * (h.requestsPerCall ?? 1),
    elapsedMs: 0,
    overDeadlineMs: Number.NEGATIVE_INFINITY,
    deadlineMs: 0,
    loopLagMs: 0,
    retrySafe: h.retrySafe,
    retryAfterMs: undefined,
    sideEffects: undefined,
    fileProblems: [],
    error: undefined,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runCell(h: OperationHarness, fault: FaultId, mode: FaultMode, canaries: CanaryRegistry): Promise<CellResult> {
  const request = faultRequest(fault, mode);
  const cell = await h.prepare(request, canaries);
  if (cell === undefined) return notApplicable(h, fault, mode);
  const workDir = await mkdtemp(join(tmpdir(), "tokenmint-proof-cell-"));
  // Arrivals on the faulted route are counted by a zero clock-skew fault, which the kit counts down
  // when a request arrives: requests still sleeping in an injected delay are counted too. A request
  // takes one clock-skew fault (the oldest), so an injected skew fault goes first and counts as well.
  const counters: FaultHandle[] = [];
  const handles: FaultHandle[] = [];
  const counter = () => h.server.faults.inject({ route: h.route, kind: "clock-skew", skewMs: 0, times: ALWAYS });
  if (cell.fault?.kind === "clock-skew") {
    const skew = h.server.faults.inject(cell.fault);
    counters.push(skew, counter());
    handles.push(skew);
  } else {
    counters.push(counter());
    if (cell.fault !== undefined) handles.push(h.server.faults.inject(cell.fault));
  }
  const initial = counters.map((c) => c.remaining);
  const arrivals = () => counters.reduce((sum, c, i) => sum + (initial[i]! - c.remaining), 0);

  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const started = Date.now();
  const deadline = started + deadlineMs(request);
  let value: unknown;
  let error: unknown;
  try {
    value = await cell.run({ deadline, workDir });
  } catch (thrown) {
    error = thrown;
  }
  const ended = Date.now();
  lag.disable();
  const attempts = arrivals();
  // Wait for every request of the call to be answered (a delayed handler may still run), so that its
  // side effects are counted and nothing spills into the next cell.
  const settleEnd = Date.now() + SETTLE_MS;
  while (Date.now() < settleEnd && h.server.requests.filter((r) => r.route === h.route && r.time >= started).length < arrivals()) await sleep(10);
  for (const handle of [...handles, ...counters]) handle.cancel();

  const notes = (await cell.after?.(error === undefined ? { value } : { error })) ?? {};
  const fileProblems = h.writesFiles ? await checkFiles(workDir, error !== undefined) : [];
  await rm(workDir, { recursive: true, force: true });
  if (value !== undefined) canaries.observe(`${h.provider} ${h.operation} x ${fault} (${mode}): result`, value);
  if (error !== undefined) canaries.observe(`${h.provider} ${h.operation} x ${fault} (${mode}): error`, error);

  const f = cell.fault;
  const retryAfter = f?.kind === "status" ? f.retryAfter : undefined;
  const retryAfterMs = typeof retryAfter === "number" ? retryAfter * 1000 : typeof retryAfter === "string" ? Date.parse(retryAfter) - started : undefined;
  return {
    provider: h.provider,
    operation: h.operation,
    fault,
    mode,
    code: error === undefined ? "ok" : error instanceof TokenmintError ? error.code : `untyped ${error instanceof Error ? error.name : typeof error}`,
    note: notes.note,
    attempts,
    maxAttempts: h.maxAttempts * (h.requestsPerCall ?? 1),
    elapsedMs: ended - started,
    overDeadlineMs: ended - deadline,
    deadlineMs: deadline - started,
    // The histogram counts its own resolution in every sample.
    loopLagMs: Math.max(0, Math.round(lag.max / 1e6) - 10),
    retrySafe: h.retrySafe,
    retryAfterMs,
    sideEffects: notes.sideEffects,
    fileProblems: [...fileProblems, ...(notes.fileProblems ?? [])],
    error,
  };
}

/** Nothing half-written: after a failure no file at all; after a success only complete 0600 files, no temporary ones. */
async function checkFiles(dir: string, failed: boolean): Promise<string[]> {
  const problems: string[] = [];
  const names = await readdir(dir);
  if (failed && names.length > 0) problems.push(`files left after a failed call: ${names.join(", ")}`);
  for (const name of names) {
    const info = await stat(join(dir, name));
    if (name.startsWith(".")) problems.push(`temporary file left: ${name}`);
    if ((info.mode & 0o777) !== 0o600) problems.push(`${name} has mode ${(info.mode & 0o777).toString(8)}`);
    if (info.size === 0) problems.push(`${name} is empty`);
  }
  return problems;
}
