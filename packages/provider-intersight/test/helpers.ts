// Shared test setup: one emulator per test file with keys generated once per process.
import type { KeyObject } from "node:crypto";
import { createIntersightClient, type IntersightClient, type IntersightOptions } from "../src/index.js";
import { generateTestKeys, type IntersightEmulator, type IntersightEmulatorOptions, startEmulator } from "../src/emulator/index.js";

let keys: Promise<{ rsa: KeyObject; ec: KeyObject }> | undefined;

/** RSA-2048 and EC P-256 keys, generated once per test process. */
export function testKeys(): Promise<{ rsa: KeyObject; ec: KeyObject }> {
  keys ??= generateTestKeys();
  return keys;
}

export async function emulator(options: IntersightEmulatorOptions = {}): Promise<IntersightEmulator> {
  return startEmulator({ keys: await testKeys(), seedRecords: 0, ...options });
}

/** A client of the emulator with its RSA (default) or EC key; fast retries. */
export function clientFor(emu: IntersightEmulator, kind: "rsa" | "ec" = "rsa", options: IntersightOptions = {}): IntersightClient {
  const key = emu.credentials[kind];
  return createIntersightClient({ endpoint: emu.url, keyId: key.keyId, privateKey: key.privateKeyPem, maxAttempts: 3, ...options }, { env: {} });
}

/** Fast retries: the transport's backoff is at most a few ms with this random source. */
export const DAY = 86_400_000;
