import { defineConfig } from "vitest/config";

// Resolve workspace packages to their TypeScript sources so the proofs never run against a stale build
// (the CLI and the durability writer run as child processes from the builds).
// The fault matrix checks deadlines to 50 ms and the load test measures latency: each runs alone,
// before the CPU-heavy fuzzers and CLI runs, which then share the cores.
const shared = { testTimeout: 60_000, hookTimeout: 60_000 };
export default defineConfig({
  resolve: { conditions: ["tokenmint-source"] },
  ssr: { resolve: { conditions: ["tokenmint-source"] } },
  test: {
    // Two workers on this 2-core machine (vitest's default leaves one core idle).
    maxWorkers: 2,
    projects: [
      { extends: true, test: { ...shared, name: "fault-matrix", include: ["test/fault-matrix.test.ts"], sequence: { groupOrder: 0 } } },
      { extends: true, test: { ...shared, name: "load", include: ["test/load.test.ts"], sequence: { groupOrder: 1 } } },
      { extends: true, test: { ...shared, name: "proofs", include: ["test/**/*.test.ts"], exclude: ["test/fault-matrix.test.ts", "test/load.test.ts"], sequence: { groupOrder: 2 } } },
    ],
  },
});
