// Load: each provider's emulator holds 200 concurrent clients for 30 s, all five at once, with zero
// errors; p50/p99 latency and throughput per emulator. The emulators run in one `tokenmint emulate` child
// process, the clients (each its own client object, repeating the provider's main call) in this one, so
// each side has a core of this 2-core machine. The engine is packages/proof/src/load.ts, whose 2-second
// run is part of the proof suite (packages/proof/test/load.test.ts).
import { runLoad } from "../../packages/proof/src/load.js";
import { fmt } from "../harness.js";
import type { Row } from "../report.js";

const CONCURRENCY = 200;
const DURATION_MS = 30_000;

export async function loadSuite(): Promise<Row[]> {
  const results = await runLoad({ concurrency: CONCURRENCY, durationMs: DURATION_MS });
  const rows: Row[] = [];
  for (const r of results) {
    const context = `${r.operation}; ${r.requests} requests, ${fmt(r.requestsPerSecond)}/s, max ${r.maxMs.toFixed(0)} ms${r.errors > 0 ? `; errors: ${r.errorSamples.join("; ")}` : ""}`;
    rows.push({ figure: `${r.provider}: errors with ${CONCURRENCY} concurrent clients for ${DURATION_MS / 1000} s`, value: r.errors, goal: "0", context });
    rows.push({ figure: `${r.provider}: p50 latency (ms)`, value: r.p50Ms, context: "client and emulator on this machine; the clients' CPU is the limit (one core for 800 clients)" });
    rows.push({ figure: `${r.provider}: p99 latency (ms)`, value: r.p99Ms });
  }
  return rows;
}
