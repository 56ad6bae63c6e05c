// Shared test setup: an emulator, clients for its accounts, and a fresh tenant per test.
import { TokenmintError } from "@tokenmint/core";
import { createHuaweiCloudClient, type HuaweiCloudClient, type HuaweiCloudOptions } from "../src/index.js";
import type { EmulatorKeyCredentials, HuaweiCloudEmulator } from "../src/emulator/index.js";

export type Account = "management" | "delegatedAdmin" | "temporary" | "nonAdmin";

/** A client of one emulator account; quick orphan checks so fault tests stay fast. */
export function clientFor(emu: HuaweiCloudEmulator, account: Account = "management", options: HuaweiCloudOptions = {}): HuaweiCloudClient {
  const c: EmulatorKeyCredentials = emu.credentials[account];
  return createHuaweiCloudClient(
    {
      endpoint: emu.url,
      accessKey: c.accessKey,
      secretKey: c.secretKey,
      securityToken: c.securityToken,
      orphanCheck: { settleMs: 1500, intervalMs: 100, timeoutMs: 5000 },
      ...options,
    },
    { env: {} },
  );
}

/** Runs `fn` and returns the TokenmintError it throws (fails the test otherwise). */
export async function failure(fn: () => Promise<unknown>): Promise<TokenmintError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof TokenmintError) return error;
    throw error;
  }
  throw new Error("expected a TokenmintError, got success");
}

/** One field of an error's details, typed for the test (throws when it is absent). */
export function detail<T>(error: { details?: Readonly<Record<string, unknown>> | undefined }, key: string): T {
  const value = error.details?.[key];
  if (value === undefined) throw new Error(`the error has no details.${key}`);
  return value as T;
}
