// @tokenmint/provider-intersight/emulator: a loopback Intersight serving /api/v1/iam/OAuthTokens with
// a real OData subset, verifying API-key HTTP signatures (RSA v2 and EC v3 keys), answering
// Intersight's error bodies, with the kit's fault injection. Any Intersight client (the official
// SDKs, Terraform, Ansible, this package) can use it as its endpoint.
import { generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import type { EmulatorHandle } from "@tokenmint/core";
import { createEmulatorServer, type EmulatorServer } from "@tokenmint/core/emulator";
import { type ApiKeyEntry, apiKeyEntry } from "./auth.js";
import { createRoutes, type RouteContext, unknownUrl } from "./routes.js";
import { type LoginInput, type OAuthTokenMo, OAuthTokenStore, type SeedOptions } from "./store.js";

export { type ApiKeyEntry, type AuthResult, apiKeyEntry, verifyRequest } from "./auth.js";
export { comparator, type Expression, evaluate, ODataError, type OrderKey, parseFilter, parseOrderBy, parseSelect } from "./odata.js";
export { COLLECTION_PATH, intersightError, ROUTES } from "./routes.js";
export { type LoginInput, type OAuthTokenMo, OAuthTokenStore, type SeedOptions } from "./store.js";

const generate = promisify(generateKeyPair);

export interface IntersightEmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** Default 0 (a free port). */
  port?: number | undefined;
  /** `$top` when none is given. Default 100 (the service's default). */
  defaultTop?: number | undefined;
  /** Largest accepted `$top`; larger values answer 400. Default 1000 (commonly cited, unverified). */
  maxTop?: number | undefined;
  /** Largest accepted clock difference of a signature (Date, created), seconds. Default 300. */
  maxSkewSec?: number | undefined;
  /**
   * Simulated logins recorded at start, spread over the last 60 days, so `tokenmint emulate` and the
   * demo have data to list. Default 200; tests usually pass 0 and seed what they need.
   */
  seedRecords?: number | undefined;
  /** Require signed requests. Default true. */
  requireSignature?: boolean | undefined;
  /** Test keys to register instead of generating fresh ones (saves ~100 ms of RSA generation per start). */
  keys?: { rsa?: KeyObject | undefined; ec?: KeyObject | undefined } | undefined;
  /** Server clock in ms, for tests. */
  now?: (() => number) | undefined;
}

/** One API key of the emulator, ready for the client's options. */
export interface EmulatorApiKey {
  readonly [key: string]: unknown;
  readonly keyId: string;
  /** PEM private key: PKCS#1 "RSA PRIVATE KEY" (v2 keys) or SEC1 "EC PRIVATE KEY" (v3 keys), as Intersight hands them out. */
  readonly privateKeyPem: string;
  readonly algorithm: "rsa-sha256" | "hs2019";
}

/** JSON-safe test credentials: an RSA (v2) and an EC (v3) API key, and the endpoint. */
export interface IntersightEmulatorCredentials {
  readonly [key: string]: unknown;
  /** The emulator's base URL, for the client's `endpoint` option. */
  readonly endpoint: string;
  readonly rsa: EmulatorApiKey;
  readonly ec: EmulatorApiKey;
  readonly accountMoid: string;
}

export interface IntersightEmulator extends EmulatorHandle {
  readonly provider: "intersight";
  readonly url: string;
  readonly credentials: IntersightEmulatorCredentials;
  /** The kit's server: fault injection and request counts. */
  readonly server: EmulatorServer;
  /** The iam.OAuthToken records. */
  readonly store: OAuthTokenStore;
  /** Registered API keys by key id. */
  readonly keys: ReadonlyMap<string, ApiKeyEntry>;
  /** Signatures rejected so far, with the reason. */
  readonly rejected: readonly { reason: string }[];
  /** Simulates a user's OAuth2 authorization-code login; returns the record it creates. */
  login(input?: LoginInput): OAuthTokenMo;
  /** Runs `count` simulated logins with seeded random data. */
  seed(count: number, options?: SeedOptions): OAuthTokenMo[];
  /** Registers another API key (its public half); returns its key id. */
  addKey(key: KeyObject): string;
  close(): Promise<void>;
}

/** Generates the emulator's test keys: RSA-2048 (v2) and EC P-256 (v3). */
export async function generateTestKeys(): Promise<{ rsa: KeyObject; ec: KeyObject }> {
  const [rsa, ec] = await Promise.all([generate("rsa", { modulusLength: 2048 }), generate("ec", { namedCurve: "prime256v1" })]);
  return { rsa: rsa.privateKey, ec: ec.privateKey };
}

/**
 * Starts the emulator on a loopback port.
 *
 * @example
 * const emulator = await startEmulator();
 * emulator.seed(1000);
 * const client = createIntersightClient({ endpoint: emulator.url, keyId: emulator.credentials.ec.keyId, privateKey: emulator.credentials.ec.privateKeyPem });
 * console.log((await client.listAll()).length); // 1000
 * await emulator.close();
 */
export async function startEmulator(options: IntersightEmulatorOptions = {}): Promise<IntersightEmulator> {
  const store = new OAuthTokenStore();
  const generated = options.keys?.rsa !== undefined && options.keys.ec !== undefined ? { rsa: options.keys.rsa, ec: options.keys.ec } : { ...(await generateTestKeys()), ...stripUndefined(options.keys) };
  const keys = new Map<string, ApiKeyEntry>();
  const userMoid = store.newMoid(new Date("2020-02-02T00:00:00Z"));
  const addKey = (key: KeyObject): string => {
    const keyId = `${store.accountMoid}/${userMoid}/${store.newMoid()}`;
    keys.set(keyId, apiKeyEntry(keyId, key));
    return keyId;
  };
  const rsaKeyId = addKey(generated.rsa);
  const ecKeyId = addKey(generated.ec);
  const rejected: { reason: string }[] = [];
  const context: RouteContext = {
    store,
    keys,
    maxSkewSec: options.maxSkewSec ?? 300,
    defaultTop: options.defaultTop ?? 100,
    maxTop: options.maxTop ?? 1000,
    requireSignature: options.requireSignature ?? true,
    rejected,
  };
  const server = await createEmulatorServer({ name: "intersight", routes: createRoutes(context), notFound: unknownUrl, host: options.host, port: options.port, now: options.now });
  store.setBaseUrl(server.url);
  store.seed(options.seedRecords ?? 200);
  const rsa: EmulatorApiKey = { keyId: rsaKeyId, privateKeyPem: generated.rsa.export({ type: "pkcs1", format: "pem" }).toString(), algorithm: "rsa-sha256" };
  const ec: EmulatorApiKey = { keyId: ecKeyId, privateKeyPem: generated.ec.export({ type: "sec1", format: "pem" }).toString(), algorithm: "hs2019" };
  return {
    provider: "intersight",
    url: server.url,
    credentials: { endpoint: server.url, rsa, ec, accountMoid: store.accountMoid },
    server,
    store,
    keys,
    rejected,
    login: (input) => store.login(input),
    seed: (count, seedOptions) => store.seed(count, seedOptions),
    addKey,
    close: () => server.close(),
  };
}

function stripUndefined(keys: IntersightEmulatorOptions["keys"]): { rsa?: KeyObject; ec?: KeyObject } {
  const out: { rsa?: KeyObject; ec?: KeyObject } = {};
  if (keys?.rsa !== undefined) out.rsa = keys.rsa;
  if (keys?.ec !== undefined) out.ec = keys.ec;
  return out;
}
