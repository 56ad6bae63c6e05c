import type { ConfigContext } from "@tokenmint/core";
import { type ClientAuthMethod, createIdcsClient, type IdcsClient, type IdcsOptions } from "../src/index.js";
import type { IdcsEmulator } from "../src/emulator/index.js";

/** No environment leaks into tests. */
export const noEnv: ConfigContext = { env: {} };

/** A client of the emulator's app that has a secret and an imported certificate (every method works). */
export function assertionAppClient(emu: IdcsEmulator, clientAuth: ClientAuthMethod, extra: IdcsOptions = {}): Promise<IdcsClient> {
  const app = emu.credentials.assertionApp;
  return createIdcsClient(
    {
      domainUrl: emu.url,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      clientAuth,
      privateKey: app.privateKeyPem,
      keyId: app.certificateAlias,
      maxAttempts: 3,
      ...extra,
    },
    noEnv,
  );
}

/** A client of the emulator's secret-only app. */
export function secretAppClient(emu: IdcsEmulator, extra: IdcsOptions = {}): Promise<IdcsClient> {
  const app = emu.credentials.secretApp;
  return createIdcsClient({ domainUrl: emu.url, clientId: app.clientId, clientSecret: app.clientSecret, maxAttempts: 3, ...extra }, noEnv);
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
