// Fault injection: which faults the next matching requests get, and how many are left.
import { TokenmintError } from "../errors.js";
import type { Fault, FaultController, FaultHandle, FaultKind } from "./types.js";

/** Faults that change how the answer is made; a request takes at most one of them. */
export type OutcomeFault = Exclude<Fault, { kind: "latency" | "clock-skew" }>;

/** What one request gets. */
export interface AppliedFaults {
  readonly delayMs: number;
  readonly skewMs: number;
  readonly outcome: OutcomeFault | undefined;
  /** Kinds taken, in the order they act. */
  readonly kinds: FaultKind[];
}

interface Slot extends FaultHandle {
  remaining: number;
}

const KINDS = new Set<FaultKind>(["status", "latency", "reset-before", "reset-after", "truncate", "html", "body", "clock-skew"]);

function validate(fault: Fault): void {
  const bad = (why: string) => new TokenmintError("configuration", `fault ${JSON.stringify(fault.kind)}: ${why}`);
  if (!KINDS.has(fault.kind)) throw new TokenmintError("configuration", `unknown fault kind ${JSON.stringify(fault.kind)}`);
  const times = fault.times ?? 1;
  if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times > 0))) throw bad("times must be a positive integer or Infinity");
  const isStatus = (s: number | undefined) => s === undefined || (Number.isInteger(s) && s >= 200 && s <= 599);
  if ((fault.kind === "status" || fault.kind === "html" || fault.kind === "body") && !isStatus(fault.status)) throw bad("status must be 200-599");
  if (fault.kind === "status" && fault.status === undefined) throw bad("status is required");
  if (fault.kind === "latency" && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) throw bad("delayMs must be a non-negative number");
  if (fault.kind === "clock-skew" && !Number.isFinite(fault.skewMs)) throw bad("skewMs must be a finite number");
}

export interface FaultQueue extends FaultController {
  /** Takes the faults for one request to `route` and counts them down. */
  take(route: string, method: string): AppliedFaults;
}

export function createFaultQueue(): FaultQueue {
  let slots: Slot[] = [];

  const matches = (slot: Slot, route: string, method: string) =>
    slot.remaining > 0 && (slot.fault.route === undefined || slot.fault.route === route) && (slot.fault.method === undefined || slot.fault.method.toUpperCase() === method);

  function use(slot: Slot): void {
    slot.remaining -= 1;
    if (slot.remaining <= 0) slots = slots.filter((s) => s !== slot);
  }

  return {
    inject(fault) {
      validate(fault);
      const slot: Slot = {
        fault: Object.freeze({ ...fault }),
        remaining: fault.times ?? 1,
        cancel() {
          slot.remaining = 0;
          slots = slots.filter((s) => s !== slot);
        },
      };
      slots.push(slot);
      return slot;
    },
    clear() {
      for (const slot of slots) slot.remaining = 0;
      slots = [];
    },
    get active() {
      return [...slots];
    },
    take(route, method) {
      const upper = method.toUpperCase();
      let latency: Slot | undefined;
      let skew: Slot | undefined;
      let outcome: Slot | undefined;
      for (const slot of slots) {
        if (!matches(slot, route, upper)) continue;
        const kind = slot.fault.kind;
        if (kind === "latency") latency ??= slot;
        else if (kind === "clock-skew") skew ??= slot;
        else outcome ??= slot;
      }
      const kinds: FaultKind[] = [];
      let delayMs = 0;
      let skewMs = 0;
      for (const slot of [skew, latency, outcome]) {
        if (slot === undefined) continue;
        use(slot);
        kinds.push(slot.fault.kind);
        if (slot.fault.kind === "latency") delayMs = slot.fault.delayMs;
        if (slot.fault.kind === "clock-skew") skewMs = slot.fault.skewMs;
      }
      return { delayMs, skewMs, outcome: outcome?.fault as OutcomeFault | undefined, kinds };
    },
  };
}
