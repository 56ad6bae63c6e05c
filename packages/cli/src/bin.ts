#!/usr/bin/env node
import { runCli } from "./main.js";

const controller = new AbortController();
// The first Ctrl-C aborts the running operation cleanly; `emulate` handles its own signals.
const onSigint = () => controller.abort(new Error("interrupted"));
if (process.argv[2] !== "emulate") process.once("SIGINT", onSigint);
process.exitCode = await runCli(process.argv.slice(2), undefined, controller.signal);
