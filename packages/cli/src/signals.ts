// The signals that stop a run, and the exit codes they end it with. Kept light (exit-codes.js imports
// only a type): bin.ts loads it before anything else, so that its handlers are in place as early as possible.
import { EXIT } from "./exit-codes.js";

/** The signals a run stops on: Ctrl-C, and (for `emulate`, a server) a service manager's stop. */
export type StopSignal = "SIGINT" | "SIGTERM";

/** The abort reason of a run a signal stopped. */
export class SignalReceived extends Error {
  override readonly name = "SignalReceived";
  readonly signal: StopSignal;

  constructor(signal: StopSignal) {
    super(`interrupted by ${signal}`);
    this.signal = signal;
  }
}

/** 128 + the signal's number, as shells report a process a signal ended: 130 (SIGINT), 143 (SIGTERM). */
export function exitCodeForSignal(signal: StopSignal): number {
  return signal === "SIGTERM" ? EXIT.terminated : EXIT.aborted;
}

/** The exit code of a run stopped by its abort signal: the signal's, else 130 (interrupted). */
export function exitCodeForAbort(reason: unknown): number {
  return reason instanceof SignalReceived ? exitCodeForSignal(reason.signal) : EXIT.aborted;
}

/**
 * Calls `handler` on the first of `signals`, then removes its listeners: a second signal ends the
 * process the default way (a forced stop, should the clean one hang). Returns the removal, for a run
 * that ends first.
 */
export function onFirstSignal(signals: readonly StopSignal[], handler: (signal: StopSignal) => void): () => void {
  const remove = () => {
    for (const s of signals) process.off(s, listener);
  };
  const listener = (signal: NodeJS.Signals) => {
    remove();
    handler(signal as StopSignal);
  };
  for (const s of signals) process.on(s, listener);
  return remove;
}
