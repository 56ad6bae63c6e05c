// The faults of the matrix (issue 8), how each is injected with core's emulator kit, and the timing
// settings every harness configures its client with so the whole matrix stays fast.
import type { Fault } from "@tokenmint/core/emulator";
import type { FaultId, FaultMode, FaultRequest } from "./types.js";

/** Per-attempt timeout of every client in the matrix. */
export const ATTEMPT_TIMEOUT_MS = 300;
/** Latency of the slow-headers fault: past the per-attempt timeout. */
export const SLOW_HEADERS_MS = 600;
/** Attempts every client makes at most. */
export const MAX_ATTEMPTS = 3;
/** Deadline of a cell whose fault hits the next request only (long enough for a 1-2 s Retry-After). */
export const ONCE_DEADLINE_MS = 3000;
/**
 * Deadline of a cell whose fault hits every request: past the worst case of the retry policy (3 attempts,
 * full-jitter backoff up to 200 + 400 ms), so the outcome does not depend on jitter; a Retry-After longer
 * than what is left of it ends the call at once.
 */
export const ALWAYS_DEADLINE_MS = 1500;
/**
 * Deadline of a cell whose headers are slow on every request: tight, so the deadline is what ends it,
 * yet past the moment the slow handler runs (Huawei's orphan check must see the token it makes).
 */
export const SLOW_ALWAYS_DEADLINE_MS = 700;
/**
 * How far past its deadline a call may end, beyond the event-loop lag measured during the call (a
 * process the machine does not run cannot fire its timers on time; that is not the code's doing).
 */
export const DEADLINE_TOLERANCE_MS = 50;
/** Server clock skew: past OCI's 5-minute and IDCS's 30-second tolerance, within Huawei's 15 minutes. */
export const CLOCK_SKEW_MS = 10 * 60_000;
/** "Unbounded" for a fault's `times` (a finite number, so the kit's countdown stays exact). */
export const ALWAYS = 1_000_000_000;

export const FAULT_IDS: readonly FaultId[] = [
  "429-seconds",
  "429-date",
  "500",
  "502",
  "503",
  "reset-before",
  "reset-after",
  "slow-headers",
  "truncated-json",
  "html-page",
  "missing-fields",
  "expired-on-arrival",
  "clock-skew",
];

export const FAULT_LABELS: Readonly<Record<FaultId, string>> = {
  "429-seconds": "429, Retry-After: 1 (seconds)",
  "429-date": "429, Retry-After: HTTP date 1-2 s ahead",
  "500": "500",
  "502": "502",
  "503": "503",
  "reset-before": "connection reset before the request was processed",
  "reset-after": "connection reset after the request was processed",
  "slow-headers": `headers after ${SLOW_HEADERS_MS} ms (per-attempt timeout ${ATTEMPT_TIMEOUT_MS} ms)`,
  "truncated-json": "body cut mid-JSON",
  "html-page": "HTML error page (502 from a proxy)",
  "missing-fields": "JSON missing required fields",
  "expired-on-arrival": "token already expired on arrival",
  "clock-skew": `server clock ${CLOCK_SKEW_MS / 60_000} min ahead`,
};

export const MODES: readonly FaultMode[] = ["once", "always"];

export function faultRequest(id: FaultId, mode: FaultMode): FaultRequest {
  return { id, mode, times: mode === "once" ? 1 : ALWAYS };
}

/** The deadline of a cell, relative to its start. */
export function deadlineMs(request: FaultRequest): number {
  if (request.mode === "once") return ONCE_DEADLINE_MS;
  return request.id === "slow-headers" ? SLOW_ALWAYS_DEADLINE_MS : ALWAYS_DEADLINE_MS;
}

/** An HTTP date 1-2 s ahead (HTTP dates have whole seconds, so the wait is at least 1 s). */
export function retryAfterDate(now = Date.now()): string {
  return new Date(Math.floor((now + 2000) / 1000) * 1000).toUTCString();
}

/** What a provider adds to the kit's faults. */
export interface ProviderFaultParts {
  readonly route: string;
  /** A provider-shaped error body for a status fault. */
  errorBody(status: number): object;
  /** The success answer with a required field missing; undefined when the answer has no body. */
  readonly missingFields: object | undefined;
  /** A success answer carrying an already expired token; undefined when no token is issued. */
  readonly expired: object | undefined;
  /** Whether the success answer has a body at all (a 204 has none to cut). */
  readonly jsonBody: boolean;
}

/**
 * The kit fault for a request, or undefined when it does not apply to the operation. Retry-After
 * dates are computed here, right before injection.
 */
export function kitFault(request: FaultRequest, parts: ProviderFaultParts): Fault | undefined {
  const base = { route: parts.route, times: request.times };
  switch (request.id) {
    case "429-seconds":
      return { ...base, kind: "status", status: 429, retryAfter: 1, body: parts.errorBody(429) };
    case "429-date":
      return { ...base, kind: "status", status: 429, retryAfter: retryAfterDate(), body: parts.errorBody(429) };
    case "500":
    case "502":
    case "503":
      return { ...base, kind: "status", status: Number(request.id), body: parts.errorBody(Number(request.id)) };
    case "reset-before":
      return { ...base, kind: "reset-before" };
    case "reset-after":
      return { ...base, kind: "reset-after" };
    case "slow-headers":
      return { ...base, kind: "latency", delayMs: SLOW_HEADERS_MS };
    case "truncated-json":
      return parts.jsonBody ? { ...base, kind: "truncate" } : undefined;
    case "html-page":
      return { ...base, kind: "html", status: 502 };
    case "missing-fields":
      return parts.missingFields === undefined ? undefined : { ...base, kind: "body", body: parts.missingFields };
    case "expired-on-arrival":
      return parts.expired === undefined ? undefined : { ...base, kind: "body", body: parts.expired };
    case "clock-skew":
      return { ...base, kind: "clock-skew", skewMs: CLOCK_SKEW_MS };
  }
}

/** Seconds since the epoch. */
export const epochSeconds = (ms = Date.now()) => Math.floor(ms / 1000);

/**
 * iat/exp of a token a verify cell signs: expired an hour ago for "expired-on-arrival", issued by a server
 * clock CLOCK_SKEW_MS ahead for "clock-skew", otherwise fresh for an hour.
 */
export function tokenTimesFor(request: FaultRequest): { iat: number; exp: number } {
  const now = epochSeconds();
  const skew = CLOCK_SKEW_MS / 1000;
  if (request.id === "expired-on-arrival") return { iat: now - 7200, exp: now - 3600 };
  if (request.id === "clock-skew") return { iat: now + skew, exp: now + skew + 3600 };
  return { iat: now, exp: now + 3600 };
}
