// Intersight harnesses: list (every page), get and revoke of iam.OAuthToken records, signed with an
// RSA API key generated here and registered in the emulator (its PEM is a canary). Nothing is issued,
// so "expired on arrival" does not apply.
import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import type { Logger } from "@tokenmint/core";
import { createIntersightClient, type IntersightClient } from "@tokenmint/provider-intersight";
import { type IntersightEmulator, startEmulator } from "@tokenmint/provider-intersight/emulator";
import type { CanaryRegistry } from "../canary.js";
import { ATTEMPT_TIMEOUT_MS, kitFault, MAX_ATTEMPTS } from "./faults.js";
import type { FaultRequest, OperationHarness, PreparedCell } from "./types.js";

const generate = promisify(generateKeyPair);
export const errorBody = (status: number) => ({ code: status === 429 ? "TooManyRequests" : "InternalServerError", message: `injected ${status}`, messageId: "barcelona_injected", traceId: "proof" });

/** An emulator whose RSA API key (a canary) was generated here. */
export async function intersightCanaryEmulator(canaries: CanaryRegistry, logger: Logger): Promise<{ emu: IntersightEmulator; client: IntersightClient }> {
  const [rsa, ec] = await Promise.all([generate("rsa", { modulusLength: 2048 }), generate("ec", { namedCurve: "prime256v1" })]);
  const emu = await startEmulator({ seedRecords: 25, keys: { rsa: rsa.privateKey, ec: ec.privateKey } });
  const pem = emu.credentials.rsa.privateKeyPem;
  canaries.addPem(pem, "intersight API key");
  canaries.addPem(rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), "intersight API key (PKCS#8)");
  const client = createIntersightClient({ endpoint: emu.url, keyId: emu.credentials.rsa.keyId, privateKey: pem, attemptTimeoutMs: ATTEMPT_TIMEOUT_MS, maxAttempts: MAX_ATTEMPTS }, { env: {}, logger });
  return { emu, client };
}

function harness(emu: IntersightEmulator, operation: string, route: string, jsonBody: boolean, call: (request: FaultRequest) => Omit<PreparedCell, "fault">, requestsPerCall = 1): OperationHarness {
  return {
    requestsPerCall,
    provider: "intersight",
    operation,
    route,
    server: emu.server,
    maxAttempts: MAX_ATTEMPTS,
    retrySafe: true,
    writesFiles: false,
    async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
      const fault = kitFault(request, { route, errorBody, missingFields: jsonBody ? { Results: [] } : undefined, expired: undefined, jsonBody });
      return fault === undefined ? undefined : { fault, ...call(request) };
    },
    close: () => emu.close(),
  };
}

/** Every record, 10 per page (the faulted request is the first page's). */
export async function intersightListHarness(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness> {
  const { emu, client } = await intersightCanaryEmulator(canaries, logger);
  const before = emu.server.count("GetIamOAuthTokenList");
  await client.listAll({ pageSize: 10 });
  const pages = emu.server.count("GetIamOAuthTokenList") - before;
  return harness(emu, "list (every page)", "GetIamOAuthTokenList", true, () => ({ run: ({ deadline }) => client.listAll({ pageSize: 10 }, { deadline }) }), pages);
}

export async function intersightGetHarness(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness> {
  const { emu, client } = await intersightCanaryEmulator(canaries, logger);
  const moid = emu.login({ clientName: "proof" }).Moid;
  return harness(emu, "get", "GetIamOAuthTokenByMoid", true, () => ({ run: ({ deadline }) => client.get(moid, { deadline }) }));
}

/** Revoke of a record made for the cell (a simulated login). */
export async function intersightRevokeHarness(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness> {
  const { emu, client } = await intersightCanaryEmulator(canaries, logger);
  return harness(emu, "revoke", "DeleteIamOAuthToken", false, () => {
    const moid = emu.login({ clientName: "proof" }).Moid;
    return {
      run: ({ deadline }) => client.revoke(moid, { deadline }),
      after: ({ error }) => ({ note: error === undefined && emu.store.get(moid) !== undefined ? "record still there" : undefined }),
    };
  });
}
