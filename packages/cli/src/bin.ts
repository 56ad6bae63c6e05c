#!/usr/bin/env node
// Signal handlers first, before the rest of the CLI is even loaded (it is imported below, once they are
// in place): a signal that arrives while the process starts stops the command cleanly instead of
// killing it outright. The first Ctrl-C aborts the running operation; a second one ends the process.
// `emulate`, a server, also stops cleanly on SIGTERM, and has handlers of its own (for in-process use).
import { onFirstSignal, SignalReceived } from "./signals.js";

const controller = new AbortController();
onFirstSignal(process.argv[2] === "emulate" ? ["SIGINT", "SIGTERM"] : ["SIGINT"], (signal) => controller.abort(new SignalReceived(signal)));
const { runCli } = await import("./main.js");
process.exitCode = await runCli(process.argv.slice(2), undefined, controller.signal);
