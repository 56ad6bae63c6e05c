// Load: every emulator holds 200 concurrent clients for 2 s (the 30 s run is `pnpm bench`,
// bench/suites/load.ts) with zero errors; and the token manager under 10,000 concurrent callers across
// providers makes exactly one upstream call per key.
import { generateKeyPairSync } from "node:crypto";
import { issueSource, Secret, type Token, type TokenSource } from "@tokenmint/core";
import { TokenManager } from "@tokenmint/core/tokens";
import { createHuaweiCloudClient } from "@tokenmint/provider-huaweicloud";
import { startEmulator as startHuawei } from "@tokenmint/provider-huaweicloud/emulator";
import { createIdcsClient } from "@tokenmint/provider-idcs";
import { startEmulator as startIdcs } from "@tokenmint/provider-idcs/emulator";
import { createOciClient, dbScope } from "@tokenmint/provider-oci";
import { startEmulator as startOci } from "@tokenmint/provider-oci/emulator";
import { describe, expect, it } from "vitest";
import { type LoadResult, runLoad } from "../src/load.js";

function table(results: readonly LoadResult[]): string {
  const rows = results.map((r) => `${r.provider.padEnd(12)} ${r.operation.padEnd(38)} ${String(r.concurrency).padStart(4)} ${String(r.requests).padStart(7)} ${String(r.errors).padStart(6)} ${r.requestsPerSecond.toFixed(0).padStart(7)} ${r.p50Ms.toFixed(1).padStart(7)} ${r.p99Ms.toFixed(1).padStart(7)}`);
  return [`${"provider".padEnd(12)} ${"operation".padEnd(38)} conc requests errors   req/s p50 ms  p99 ms`, ...rows].join("\n");
}

describe("load", () => {
  it("each emulator holds 200 concurrent clients for 2 s with zero errors (all five at once)", async () => {
    const results = await runLoad({ concurrency: 200, durationMs: 2000 });
    process.stdout.write(`\nLoad, 200 concurrent clients per emulator, 2 s, in one process on this machine:\n${table(results)}\n`);
    expect(results.map((r) => r.provider).sort()).toEqual(["huaweicloud", "idcs", "intersight", "oauth2", "oci"]);
    for (const r of results) {
      expect(r.errors, `${r.provider}: ${r.errorSamples.join("; ")}`).toBe(0);
      // Every client got through at least one call.
      expect(r.requests).toBeGreaterThanOrEqual(r.concurrency);
      expect(Number.isFinite(r.p99Ms)).toBe(true);
    }
  }, 60_000);

  it("the token manager makes one upstream call per key under 10,000 concurrent callers across providers", async () => {
    const [oci, idcs, huawei] = await Promise.all([startOci(), startIdcs(), startHuawei()]);
    try {
      const c = oci.credentials;
      const ociClient = await createOciClient({ endpoint: oci.url, tenancy: c.tenancy, user: c.user, fingerprint: c.fingerprint, privateKey: new Secret(c.privateKeyPem) }, { env: {} });
      const publicKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
      const app = idcs.credentials.secretApp;
      const idcsClient = await createIdcsClient({ domainUrl: idcs.url, clientId: app.clientId, clientSecret: new Secret(app.clientSecret) }, { env: {} });
      const alice = idcs.credentials.users.alice;
      const huaweiClient = createHuaweiCloudClient({ endpoint: huawei.url, ...huawei.credentials.management }, { env: {} });
      const sources: [string, TokenSource][] = [
        ["oci", issueSource(ociClient, { scope: dbScope.all(), publicKey })],
        ["oci", issueSource(ociClient, { scope: dbScope.compartment(c.compartment.ocid), publicKey })],
        ["idcs", issueSource(idcsClient, { grant: "client_credentials" as const, scope: { kind: "idcs" as const, roles: ["Me"] } })],
        ["idcs", issueSource(idcsClient, { grant: "password" as const, username: alice.username, password: alice.password, scope: { kind: "idcs" as const, roles: ["Me"] } })],
        ["huaweicloud", issueSource(huaweiClient, { identityStoreId: huawei.credentials.identityStoreId, tenantId: huawei.credentials.tenantId })],
      ];
      const manager = new TokenManager();
      const callers = 10_000;
      const tokens: Token[] = await Promise.all(Array.from({ length: callers }, (_, i) => manager.getToken(sources[i % sources.length]![1])));
      expect(oci.server.count("generateScopedAccessToken")).toBe(2);
      expect(idcs.server.count("token")).toBe(2);
      expect(huawei.server.count("createBearerToken")).toBe(1);
      // Every caller of a key got the same token; different keys got different ones.
      sources.forEach((_, k) => {
        const values = new Set(tokens.filter((_, i) => i % sources.length === k).map((t) => t.value.reveal()));
        expect(values.size).toBe(1);
      });
      expect(new Set(tokens.map((t) => t.value.reveal())).size).toBe(sources.length);
    } finally {
      await Promise.all([oci.close(), idcs.close(), huawei.close()]);
    }
  }, 60_000);
});
