import { defineConfig } from "vitest/config";

// Resolve workspace packages to their TypeScript sources so tests never run against a stale build.
export default defineConfig({
  resolve: { conditions: ["tokenmint-source"] },
  ssr: { resolve: { conditions: ["tokenmint-source"] } },
  test: { include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000 },
});
