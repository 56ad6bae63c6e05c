// The fault matrix: every provider operation x every fault of issue 8, once (next request only) and
// always (every request, tight deadline), against the providers' emulators. Outcomes are compared with
// the committed FAULT-MATRIX.md (UPDATE_PROOF=1 rewrites it); every cell is also checked against the
// rules below, and every result, error and log event is scanned for secret canaries.
import { readFile, writeFile } from "node:fs/promises";
import { ERROR_CODES, type LogEvent, TokenmintError } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CanaryRegistry } from "../src/canary.js";
import { DEADLINE_TOLERANCE_MS, FAULT_IDS } from "../src/matrix/faults.js";
import { allHarnesses } from "../src/matrix/harnesses.js";
import { runMatrix } from "../src/matrix/run.js";
import { consoleTable, matrixMarkdown } from "../src/matrix/table.js";
import type { CellResult, FaultId } from "../src/matrix/types.js";

const MATRIX_FILE = new URL("../FAULT-MATRIX.md", import.meta.url);
const canaries = new CanaryRegistry();
const events: LogEvent[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let cells: CellResult[] = [];

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  process.on("uncaughtException", onUnhandled);
  const harnesses = await allHarnesses(canaries, (event) => events.push(event));
  try {
    cells = await runMatrix(harnesses, canaries);
  } finally {
    await Promise.all(harnesses.map((h) => h.close()));
  }
  // A rejection that surfaces late (a timer, a socket) still shows within a few turns of the loop.
  await new Promise((resolve) => setTimeout(resolve, 50));
}, 120_000);

afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
  process.off("uncaughtException", onUnhandled);
  if (cells.length > 0) process.stdout.write(`\nFault matrix (operation x fault -> outcome)\n${consoleTable(cells)}\n`);
});

const ran = () => cells.filter((c) => c.code !== "n/a");
const label = (c: CellResult) => `${c.provider} ${c.operation} x ${c.fault} (${c.mode})`;

/** Faults a retry-safe operation must recover from when they hit one request. */
const TRANSIENT = new Set<FaultId>(["429-seconds", "429-date", "500", "502", "503", "reset-before", "reset-after", "slow-headers", "truncated-json", "html-page"]);
/** What an operation ends with when the fault hits every request. */
const ALWAYS_CODE: Partial<Record<FaultId, string>> = {
  "429-seconds": "rate_limited",
  "429-date": "rate_limited",
  "500": "provider_unavailable",
  "502": "provider_unavailable",
  "503": "provider_unavailable",
  "reset-before": "network",
  "reset-after": "network",
  "slow-headers": "timeout",
  "truncated-json": "invalid_response",
  "html-page": "provider_unavailable",
  "missing-fields": "invalid_response",
};

describe("fault matrix", () => {
  it("covers every operation x every fault, both modes", () => {
    const operations = new Set(cells.map((c) => `${c.provider} ${c.operation}`));
    expect(operations.size).toBeGreaterThanOrEqual(23);
    expect(cells.length).toBe(operations.size * FAULT_IDS.length * 2);
    for (const provider of ["oci", "idcs", "huaweicloud", "intersight", "oauth2"]) expect(ran().some((c) => c.provider === provider)).toBe(true);
  });

  it("matches the committed FAULT-MATRIX.md (UPDATE_PROOF=1 rewrites it)", async () => {
    const observed = matrixMarkdown(cells);
    if (process.env["UPDATE_PROOF"] === "1") await writeFile(MATRIX_FILE, observed);
    const committed = await readFile(MATRIX_FILE, "utf8").catch(() => "(missing)");
    expect(observed).toBe(committed);
  });

  it("every failure is a TokenmintError with a canonical code", () => {
    const codes = new Set<string>(ERROR_CODES);
    expect(ran().filter((c) => c.code !== "ok" && !codes.has(c.code)).map((c) => `${label(c)}: ${c.code}`)).toEqual([]);
  });

  it("attempts are bounded by the client's policy, as counted by the emulator", () => {
    // No request at all only when the deadline passed first (OCI: while the key pair was generated).
    expect(ran().filter((c) => (c.attempts < 1 && c.code !== "timeout") || c.attempts > c.maxAttempts).map((c) => `${label(c)}: ${c.attempts} attempts`)).toEqual([]);
  });

  it(`every call ends by its deadline + ${DEADLINE_TOLERANCE_MS} ms (+ the event-loop lag it suffered)`, () => {
    const late = ran().filter((c) => c.overDeadlineMs > DEADLINE_TOLERANCE_MS + c.loopLagMs);
    expect(late.map((c) => `${label(c)}: ${c.overDeadlineMs} ms late, event-loop lag ${c.loopLagMs} ms`)).toEqual([]);
    // The check means something only if calls do run into their deadline.
    const atDeadline = ran().filter((c) => c.overDeadlineMs > -DEADLINE_TOLERANCE_MS);
    expect(atDeadline.length).toBeGreaterThan(5);
  });

  it("a Retry-After is waited out before the next attempt", () => {
    const waited = ran().filter((c) => c.retryAfterMs !== undefined && c.mode === "once" && c.code === "ok");
    expect(waited.length).toBeGreaterThan(0);
    expect(waited.filter((c) => c.elapsedMs < c.retryAfterMs! - 10).map((c) => `${label(c)}: ${c.elapsedMs} ms < ${c.retryAfterMs} ms`)).toEqual([]);
  });

  it("retry-safe operations recover from a transient fault; others are repeated only after a 429", () => {
    const wrong: string[] = [];
    for (const c of ran().filter((c) => c.mode === "once" && TRANSIENT.has(c.fault))) {
      if (c.retrySafe && c.code !== "ok") wrong.push(`${label(c)}: ${c.code}`);
      const refused = c.fault === "429-seconds" || c.fault === "429-date";
      if (!c.retrySafe && !refused && c.attempts !== 1) wrong.push(`${label(c)}: an unsafe operation was repeated (${c.attempts} attempts)`);
      if (!c.retrySafe && refused && c.code !== "ok") wrong.push(`${label(c)}: a 429 (nothing processed) was not retried: ${c.code}`);
    }
    expect(wrong).toEqual([]);
  });

  it("a fault on every request ends in its canonical code", () => {
    const wrong = ran()
      .filter((c) => c.mode === "always" && ALWAYS_CODE[c.fault] !== undefined && c.code !== ALWAYS_CODE[c.fault])
      .map((c) => `${label(c)}: ${c.code}, expected ${ALWAYS_CODE[c.fault]}`);
    expect(wrong).toEqual([]);
  });

  it("a body missing required fields is invalid_response; a token expired on arrival is refused", () => {
    const wrong: string[] = [];
    for (const c of ran()) {
      if (c.fault === "missing-fields" && c.code !== "invalid_response") wrong.push(`${label(c)}: ${c.code}`);
      if (c.fault === "expired-on-arrival" && c.code !== (c.operation.startsWith("verify") ? "invalid_token" : "invalid_response")) wrong.push(`${label(c)}: ${c.code}`);
      if (c.fault === "expired-on-arrival" && c.operation.startsWith("issue") && !(c.error instanceof TokenmintError && c.error.details?.["expiredOnArrival"] === true)) wrong.push(`${label(c)}: not refused as expired on arrival`);
    }
    expect(wrong).toEqual([]);
  });

  it("server clock skew: accepted, or refused with a message or hint about the clock", () => {
    const wrong = ran()
      .filter((c) => c.fault === "clock-skew" && c.code !== "ok")
      .filter((c) => {
        const e = c.error as { message?: string; hint?: string } | undefined;
        return !/clock|skew|not yet valid|in the future|expired/i.test(`${e?.message ?? ""} ${e?.hint ?? ""}`);
      })
      .map((c) => `${label(c)}: ${c.code} says nothing about time`);
    expect(wrong).toEqual([]);
  });

  it("Huawei create: at most one token per call, and a token the caller did not get is reported", () => {
    const creates = ran().filter((c) => c.provider === "huaweicloud" && c.operation.startsWith("issue"));
    expect(creates.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const c of creates) {
      if (c.sideEffects === undefined || c.sideEffects > 1) wrong.push(`${label(c)}: ${c.sideEffects} tokens created`);
      if (c.code !== "ok" && c.sideEffects === 1 && c.note !== "orphan check: found") wrong.push(`${label(c)}: a token was created but not reported (${c.note ?? "no orphan check"})`);
    }
    expect(wrong).toEqual([]);
  });

  it("revoked means gone", () => {
    expect(ran().filter((c) => c.note === "token still there" || c.note === "record still there").map(label)).toEqual([]);
  });

  it("files: complete and 0600 after a success, nothing at all after a failure", () => {
    const withFiles = ran().filter((c) => c.operation.includes("saved"));
    expect(withFiles.some((c) => c.code === "ok")).toBe(true);
    expect(ran().flatMap((c) => c.fileProblems.map((p) => `${label(c)}: ${p}`))).toEqual([]);
  });

  it("no unhandled rejection or uncaught exception during the matrix", () => {
    expect(unhandled.map((u) => String(u))).toEqual([]);
  });

  it("no secret canary in any result, error (causes included) or log event", () => {
    for (const event of events) canaries.observe(`log event (${event.provider ?? "core"}): ${event.message}`, event);
    expect(events.length).toBeGreaterThan(0);
    expect(canaries.size).toBeGreaterThan(20);
    expect(canaries.findings()).toEqual([]);
  });
});
