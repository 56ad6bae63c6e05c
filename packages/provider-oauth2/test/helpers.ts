import type { ConfigContext } from "@tokenmint/core";
import type { Oauth2Emulator } from "../src/emulator/index.js";
import { createOauth2Client, type Oauth2Client, type Oauth2Options } from "../src/index.js";

/** No environment leaks into tests. */
export const noEnv: ConfigContext = { env: {} };

/** A client of the emulator's secret client, found through discovery. */
export function secretClient(emu: Oauth2Emulator, extra: Oauth2Options = {}): Promise<Oauth2Client> {
  const c = emu.credentials.secretClient;
  return createOauth2Client({ issuer: emu.credentials.issuer, clientId: c.clientId, clientSecret: c.clientSecret, maxAttempts: 3, ...extra }, noEnv);
}

/** A client of the emulator's client_secret_jwt client (clientAuth configured, so nothing is left to the metadata). */
export function secretJwtClient(emu: Oauth2Emulator, extra: Oauth2Options = {}): Promise<Oauth2Client> {
  const c = emu.credentials.secretJwtClient;
  return createOauth2Client({ issuer: emu.credentials.issuer, clientId: c.clientId, clientSecret: c.clientSecret, clientAuth: "client_secret_jwt", maxAttempts: 3, ...extra }, noEnv);
}

/** A client of the emulator's private_key_jwt client. */
export function keyClient(emu: Oauth2Emulator, extra: Oauth2Options = {}): Promise<Oauth2Client> {
  const c = emu.credentials.keyClient;
  return createOauth2Client({ issuer: emu.credentials.issuer, clientId: c.clientId, privateKey: c.privateKeyPem, keyId: c.keyId, maxAttempts: 3, ...extra }, noEnv);
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
