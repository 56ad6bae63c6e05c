// Load: every provider's emulator serving N concurrent clients (each its own client object, looping on
// the provider's main call) for a fixed time, all five at once; the emulators run in a `tokenmint
// emulate` child process by default. Used by the vitest
// suite (2 s) and by `pnpm bench` (bench/suites/load.ts, 30 s).
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { Secret } from "@tokenmint/core";
import { createHuaweiCloudClient } from "@tokenmint/provider-huaweicloud";
import { type HuaweiCloudEmulatorCredentials, startEmulator as startHuawei } from "@tokenmint/provider-huaweicloud/emulator";
import { createIdcsClient } from "@tokenmint/provider-idcs";
import { type IdcsEmulatorCredentials, startEmulator as startIdcs } from "@tokenmint/provider-idcs/emulator";
import { createIntersightClient } from "@tokenmint/provider-intersight";
import { type IntersightEmulatorCredentials, startEmulator as startIntersight } from "@tokenmint/provider-intersight/emulator";
import { createOauth2Client } from "@tokenmint/provider-oauth2";
import { type Oauth2EmulatorCredentials, startEmulator as startOauth2 } from "@tokenmint/provider-oauth2/emulator";
import { createOciClient, dbScope } from "@tokenmint/provider-oci";
import { type OciEmulatorCredentials, startEmulator as startOci } from "@tokenmint/provider-oci/emulator";
import { PROOF_DIR, TOKENMINT_BIN } from "./cli-child.js";

export interface LoadOptions {
  /** Concurrent clients per emulator. */
  readonly concurrency: number;
  readonly durationMs: number;
  /**
   * Where the emulators run: `process` (default) is one `tokenmint emulate` child process serving all
   * five, so servers and clients get a core each on a 2-core machine; `inline` is this process.
   */
  readonly emulators?: "process" | "inline" | undefined;
}

export interface LoadResult {
  readonly provider: string;
  /** The call each client repeats. */
  readonly operation: string;
  readonly concurrency: number;
  readonly requests: number;
  readonly errors: number;
  /** The first few error messages, for the report. */
  readonly errorSamples: readonly string[];
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

interface Target {
  readonly provider: string;
  readonly operation: string;
  /** Makes one client; its `call` is what the client repeats. */
  client(): Promise<() => Promise<unknown>>;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** What the emulators need to be reached: URLs and their JSON-safe credentials (what `tokenmint emulate` prints). */
interface Endpoints {
  readonly oci: { url: string; credentials: OciEmulatorCredentials };
  readonly idcs: { url: string; credentials: IdcsEmulatorCredentials };
  readonly huaweicloud: { url: string; credentials: HuaweiCloudEmulatorCredentials };
  readonly intersight: { url: string; credentials: IntersightEmulatorCredentials };
  readonly oauth2: { url: string; credentials: Oauth2EmulatorCredentials };
}

async function inlineEmulators(): Promise<{ endpoints: Endpoints; close: () => Promise<void> }> {
  const [oci, idcs, huawei, intersight, oauth2] = await Promise.all([startOci(), startIdcs(), startHuawei(), startIntersight({ seedRecords: 200 }), startOauth2()]);
  return {
    endpoints: { oci, idcs, huaweicloud: huawei, intersight, oauth2 },
    close: async () => {
      await Promise.all([oci.close(), idcs.close(), huawei.close(), intersight.close(), oauth2.close()]);
    },
  };
}

/** `tokenmint emulate` in a child process; stopped with SIGINT as a user would. */
async function emulatorProcess(): Promise<{ endpoints: Endpoints; close: () => Promise<void> }> {
  const child = spawn(process.execPath, [TOKENMINT_BIN, "emulate", "--providers", "oci,idcs,huaweicloud,intersight,oauth2", "--json"], { cwd: PROOF_DIR, stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1" } });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const ready = new Promise<Endpoints>((resolve, reject) => {
    const fail = () => reject(new Error(`tokenmint emulate did not start: ${stderr}`));
    child.on("close", fail);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      // Printed after the endpoints, once every emulator runs (its signal handlers are in place from the start).
      if (stderr.includes("Ctrl-C to stop")) {
        child.off("close", fail);
        resolve((JSON.parse(stdout) as { emulators: Endpoints }).emulators);
      }
    });
  });
  const endpoints = await ready;
  return {
    endpoints,
    close: async () => {
      child.kill("SIGINT");
      await exited;
    },
  };
}

async function targets(endpoints: Endpoints): Promise<Target[]> {
  const { oci, idcs, huaweicloud: huawei, intersight, oauth2 } = endpoints;
  const ociKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
  const where = { identityStoreId: huawei.credentials.identityStoreId, tenantId: huawei.credentials.tenantId };
  // A few tokens to list.
  const seed = createHuaweiCloudClient({ endpoint: huawei.url, ...huawei.credentials.management }, { env: {} });
  for (let i = 0; i < 3; i++) await seed.issue(where);
  const c = oci.credentials;
  return [
    {
      provider: "oci",
      operation: "issue (API key, caller's public key)",
      client: async () => {
        const client = await createOciClient({ endpoint: oci.url, tenancy: c.tenancy, user: c.user, fingerprint: c.fingerprint, privateKey: new Secret(c.privateKeyPem) }, { env: {} });
        return () => client.issue({ scope: dbScope.all(), publicKey: ociKey });
      },
    },
    {
      provider: "idcs",
      operation: "issue (client_credentials)",
      client: async () => {
        const app = idcs.credentials.secretApp;
        const client = await createIdcsClient({ domainUrl: idcs.url, clientId: app.clientId, clientSecret: new Secret(app.clientSecret) }, { env: {} });
        return () => client.issue({ grant: "client_credentials", scope: { kind: "idcs", roles: ["Me"] } });
      },
    },
    {
      provider: "huaweicloud",
      operation: "list",
      client: async () => {
        const client = createHuaweiCloudClient({ endpoint: huawei.url, ...huawei.credentials.management }, { env: {} });
        return () => client.listAll(where);
      },
    },
    {
      provider: "intersight",
      operation: "list (one page of 100)",
      client: async () => {
        const client = createIntersightClient({ endpoint: intersight.url, keyId: intersight.credentials.ec.keyId, privateKey: intersight.credentials.ec.privateKeyPem }, { env: {} });
        return () => client.listPage({ top: 100 });
      },
    },
    {
      provider: "oauth2",
      operation: "issue (client_credentials, client_secret_basic, token endpoint given)",
      client: async () => {
        const app = oauth2.credentials.secretClient;
        const client = await createOauth2Client({ tokenEndpoint: oauth2.credentials.tokenEndpoint, clientId: app.clientId, clientSecret: new Secret(app.clientSecret) }, { env: {} });
        return () => client.issue({ grant: "client_credentials" });
      },
    },
  ];
}

async function drive(target: Target, options: LoadOptions): Promise<LoadResult> {
  const calls = await Promise.all(Array.from({ length: options.concurrency }, () => target.client()));
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + options.durationMs;
  await Promise.all(
    calls.map(async (call) => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await call();
          latencies.push(performance.now() - t);
        } catch (error) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    provider: target.provider,
    operation: target.operation,
    concurrency: options.concurrency,
    requests: latencies.length + errors,
    errors,
    errorSamples,
    requestsPerSecond: ((latencies.length + errors) * 1000) / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] ?? Number.NaN,
  };
}

/** Starts the five emulators, loads them all at once, and stops them. */
export async function runLoad(options: LoadOptions): Promise<LoadResult[]> {
  const emulators = options.emulators === "inline" ? await inlineEmulators() : await emulatorProcess();
  try {
    const all = await targets(emulators.endpoints);
    return await Promise.all(all.map((t) => drive(t, options)));
  } finally {
    await emulators.close();
  }
}
