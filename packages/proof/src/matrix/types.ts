// Shapes of the fault matrix: the faults, the operations under test, and what one cell observed.
import type { EmulatorServer, Fault } from "@tokenmint/core/emulator";
import type { CanaryRegistry } from "../canary.js";

export type FaultId =
  | "429-seconds"
  | "429-date"
  | "500"
  | "502"
  | "503"
  | "reset-before"
  | "reset-after"
  | "slow-headers"
  | "truncated-json"
  | "html-page"
  | "missing-fields"
  | "expired-on-arrival"
  | "clock-skew";

/** once: the next matching request only; always: every request, under a tight deadline. */
export type FaultMode = "once" | "always";

/** What a harness is asked to inject for one cell. */
export interface FaultRequest {
  readonly id: FaultId;
  readonly mode: FaultMode;
  /** Requests the fault applies to: 1, or effectively unbounded. */
  readonly times: number;
}

/** Everything one cell's call may use. */
export interface CellRun {
  /** Absolute deadline (epoch ms) of the call. */
  readonly deadline: number;
  /** A fresh directory for files the flow writes; it must hold complete files or nothing at the end. */
  readonly workDir: string;
}

/** The outcome one cell adds beyond ok / error code (e.g. Huawei's orphan report). */
export interface CellNotes {
  /** Appended to the outcome in the table, e.g. "orphan reported". */
  readonly note?: string | undefined;
  /** Side effects of the call on the server (Huawei: tokens created). */
  readonly sideEffects?: number | undefined;
  /** Problems with the content of files the flow wrote (the runner checks names, modes and sizes). */
  readonly fileProblems?: readonly string[] | undefined;
}

/** One prepared cell: the fault to inject, the call, and what to check after it. */
export interface PreparedCell {
  /**
   * The emulator fault to inject right before the call; undefined when the fault is in the input
   * instead (verify of an expired token).
   */
  readonly fault: Fault | undefined;
  /** The operation; resolves with what the user gets, rejects with what the user gets. */
  run(run: CellRun): Promise<unknown>;
  /** Inspected after the call ended and the emulator settled. */
  after?(outcome: { readonly value?: unknown; readonly error?: unknown }): Promise<CellNotes> | CellNotes;
}

/** One operation of one provider, bound to its own emulator instance so cells of operations run in parallel. */
export interface OperationHarness {
  readonly provider: string;
  /** e.g. "issue: client_credentials (client_secret_basic)". */
  readonly operation: string;
  /** The emulator route faults are injected on. */
  readonly route: string;
  readonly server: EmulatorServer;
  /** Attempts the client makes at most for one request (its configured retry policy). */
  readonly maxAttempts: number;
  /** Requests one call makes on the route when nothing goes wrong (pages of a listing); default 1. */
  readonly requestsPerCall?: number | undefined;
  /** Whether the transport may repeat the operation whatever happened (spec: x-tokenmint-retry-safe, refined per grant). */
  readonly retrySafe: boolean;
  /** Whether the flow writes files (token files): then each cell gets them checked. */
  readonly writesFiles: boolean;
  /**
   * Sets up one cell (a token to revoke, a fresh tenant, the fault's body) before anything is
   * injected; undefined when the fault does not apply to this operation (no token is issued, no body
   * is answered).
   */
  prepare(request: FaultRequest, canaries: CanaryRegistry): Promise<PreparedCell | undefined>;
  close(): Promise<void>;
}

/** What one cell observed. */
export interface CellResult {
  readonly provider: string;
  readonly operation: string;
  readonly fault: FaultId;
  readonly mode: FaultMode;
  /** "n/a", "ok", or the canonical error code. */
  readonly code: string;
  /** Extra outcome words (orphan reported, ...). */
  readonly note: string | undefined;
  /** Requests that arrived on the faulted route during the call. */
  readonly attempts: number;
  /** The most requests the call may make on the route: its requests x the client's attempts. */
  readonly maxAttempts: number;
  readonly elapsedMs: number;
  /** How far past its deadline the call ended (negative: before). */
  readonly overDeadlineMs: number;
  readonly deadlineMs: number;
  /** The longest event-loop delay measured during the call (timers cannot fire earlier than that). */
  readonly loopLagMs: number;
  readonly retrySafe: boolean;
  /** Milliseconds the client had to wait per Retry-After (429 faults), for the honoured-wait check. */
  readonly retryAfterMs: number | undefined;
  readonly sideEffects: number | undefined;
  /** Problems found with files the flow wrote (torn, wrong mode, left-overs). */
  readonly fileProblems: readonly string[];
  /** The error, when there was one (for messages and hints). */
  readonly error: unknown;
}
