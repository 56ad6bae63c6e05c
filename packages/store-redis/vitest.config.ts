import { defineConfig } from "vitest/config";

// Resolve workspace packages to their TypeScript sources so tests never run against a stale build.
export default defineConfig({
  resolve: { conditions: ["tokenmint-source"] },
  ssr: { resolve: { conditions: ["tokenmint-source"] } },
  // One file at a time: the fleet tests fork 8 processes and the outage tests kill servers, and timing
  // assertions (lock take-over, command timeouts) should not compete with each other for 2 cores.
  test: { include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000, fileParallelism: false },
});
