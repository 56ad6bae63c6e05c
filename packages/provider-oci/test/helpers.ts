import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConfigContext, isTokenmintError, Secret, type TokenmintError } from "@tokenmint/core";
import { createOciClient, type OciClient, type OciOptions } from "../src/index.js";
import type { OciEmulator } from "../src/emulator/index.js";

/** No environment leaks into tests. */
export const noEnv: ConfigContext = { env: {} };

/** A caller-supplied key for tests that are not about key generation (generating one costs ~100 ms). */
export const SUPPLIED_PUBLIC_KEY: string = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();

/** The three spellings of one public key. */
export function publicKeyFormats(key: KeyObject): { pem: string; pemSingleLine: string; base64Der: string } {
  const pem = key.export({ type: "spki", format: "pem" }).toString();
  const base64Der = key.export({ type: "spki", format: "der" }).toString("base64");
  return { pem, pemSingleLine: `-----BEGIN PUBLIC KEY-----${base64Der}-----END PUBLIC KEY-----`, base64Der };
}

/** A client of the emulator's main user with explicit credentials and quick retries. */
export function explicitClient(emu: OciEmulator, extra: OciOptions = {}): Promise<OciClient> {
  const c = emu.credentials;
  return createOciClient(
    {
      endpoint: emu.url,
      tenancy: c.tenancy,
      user: c.user,
      fingerprint: c.fingerprint,
      privateKey: new Secret(c.privateKeyPem),
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      ...extra,
    },
    noEnv,
  );
}

/** A temporary home directory, removed by the returned cleanup. */
export async function tempHome(): Promise<{ home: string; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), "tokenmint-oci-"));
  return { home, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/** Writes `~/.oci/<name>` (0600) and returns its path. */
export async function writeOciFile(home: string, name: string, content: string, dir = ".oci"): Promise<string> {
  await mkdir(join(home, dir), { recursive: true, mode: 0o700 });
  const path = join(home, dir, name);
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** The TokenmintError a promise rejects with (anything else is rethrown). */
export async function failure(promise: Promise<unknown>): Promise<TokenmintError> {
  const error = await rejection(promise);
  if (!isTokenmintError(error)) throw error;
  return error;
}
