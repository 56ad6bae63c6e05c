// Huawei Cloud harnesses: create, list and revoke of bearer tokens. The AK/SK pairs (one permanent, one
// temporary with its security token) are canaries registered in the emulator; issued tokens are
// registered as they come. Every cell gets its own tenant, so side effects are counted per call.
import { randomUUID } from "node:crypto";
import { type Logger, type Token, TokenmintError } from "@tokenmint/core";
import { createHuaweiCloudClient, type HuaweiCloudClient, type HuaweiCloudOptions } from "@tokenmint/provider-huaweicloud";
import { type HuaweiCloudEmulator, startEmulator } from "@tokenmint/provider-huaweicloud/emulator";
import type { CanaryRegistry } from "../canary.js";
import { ATTEMPT_TIMEOUT_MS, kitFault, MAX_ATTEMPTS } from "./faults.js";
import { issueThroughManager } from "./manager.js";
import type { FaultRequest, OperationHarness, PreparedCell } from "./types.js";

const HW_ERRORS: Readonly<Record<number, string>> = { 429: "APIGW.0308", 500: "APIGW.0103", 502: "APIGW.0201", 503: "APIGW.0201" };
export const errorBody = (status: number) => ({ error_code: HW_ERRORS[status] ?? "APIGW.0103", error_msg: `injected ${status}`, request_id: randomUUID().replace(/-/g, "") });

/**
 * Orphan checks short enough for the matrix yet long enough to see a create that completes after the
 * client gave up (the slow-headers fault runs the handler 600 ms after arrival; the attempt gives up at 300).
 */
const FAST: HuaweiCloudOptions = { attemptTimeoutMs: ATTEMPT_TIMEOUT_MS, maxAttempts: MAX_ATTEMPTS, orphanCheck: { settleMs: 600, intervalMs: 20, timeoutMs: 2000 } };

type Credentials = "permanent" | "temporary";

export interface HuaweiCanaryEmulator {
  readonly emu: HuaweiCloudEmulator;
  /** A client with the canary credentials and the matrix's fast settings. */
  readonly client: HuaweiCloudClient;
  /** A client of the emulator's own management pair, for set-up calls. */
  readonly plain: HuaweiCloudClient;
  readonly credentials: { readonly accessKey: string; readonly secretKey: string; readonly securityToken: string | undefined };
}

/** An emulator with an AK/SK pair (and security token, for temporary credentials) made of canaries. */
export async function huaweiCanaryEmulator(canaries: CanaryRegistry, kind: Credentials, logger: Logger): Promise<HuaweiCanaryEmulator> {
  const emu = await startEmulator({ tokenLimit: 1000 });
  const account = emu.keys.get(emu.credentials.management.accessKey)!.account;
  // AKs are 20 upper-case characters; the canary is what makes the pair unique.
  const accessKey = canaries.mint("AK").toUpperCase();
  canaries.add(accessKey, "huawei AK");
  const secretKey = canaries.mint("HWSK");
  const securityToken = kind === "temporary" ? canaries.mint("HWSECURITYTOKEN") : undefined;
  emu.keys.add({ accessKey, secretKey, securityToken, account });
  const client = createHuaweiCloudClient({ endpoint: emu.url, accessKey, secretKey, securityToken, ...FAST }, { env: {}, logger });
  // For set-up calls (a token to revoke): no fault is injected on their route while they run.
  const plain = createHuaweiCloudClient({ endpoint: emu.url, ...emu.credentials.management }, { env: {} });
  return { emu, client, plain, credentials: { accessKey, secretKey, securityToken } };
}

const CREATE = "createBearerToken";

/** Create, through the manager; at most one token may be created per call, and an unreturned one must be reported. */
export async function huaweiIssueHarness(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness> {
  const { emu, client } = await huaweiCanaryEmulator(canaries, "permanent", logger);
  return {
    provider: "huaweicloud",
    operation: "issue (create bearer token)",
    route: CREATE,
    server: emu.server,
    maxAttempts: MAX_ATTEMPTS,
    retrySafe: false,
    writesFiles: false,
    async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
      const where = emu.addTenant();
      const now = Date.now();
      // Expired on arrival for real: the emulator's clock 10 minutes behind (within APIG's 15-minute
      // signature tolerance) with one-minute tokens, so the expired token is the one the server made and
      // the client's orphan handling finds it by its real id (a replaced body would name a token that
      // does not exist). The body is a placeholder: kitFault only needs to know a token is issued.
      const expiredForReal = request.id === "expired-on-arrival";
      const fault = expiredForReal
        ? { route: CREATE, times: request.times, kind: "clock-skew" as const, skewMs: -10 * 60_000 }
        : kitFault(request, { route: CREATE, errorBody, missingFields: { token_id: randomUUID(), creation_time: now }, expired: {}, jsonBody: true });
      if (fault === undefined) return undefined;
      const lifetimeMs = emu.tokens.tokenLifetimeMs;
      if (expiredForReal) emu.tokens.tokenLifetimeMs = 60_000;
      return {
        fault,
        async run({ deadline }) {
          const token: Token = await issueThroughManager(() => client.issue(where, { deadline }));
          canaries.add(token.value.reveal(), "huawei issued token");
          return token;
        },
        after({ error }) {
          emu.tokens.tokenLifetimeMs = lifetimeMs;
          const created = emu.server.requests.filter((r) => r.route === CREATE && r.handled && r.path.includes(where.tenantId));
          for (const t of emu.listTokens(where.identityStoreId, where.tenantId)) canaries.add(t.value, "huawei stored token");
          const check = error instanceof TokenmintError ? error.details?.["orphanCheck"] : undefined;
          return { sideEffects: created.length, note: typeof check === "string" ? `orphan check: ${check}` : undefined };
        },
      };
    },
    close: () => emu.close(),
  };
}

/** List with temporary credentials (AK, SK and security token). */
export async function huaweiListHarness(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness> {
  const { emu, client, plain } = await huaweiCanaryEmulator(canaries, "temporary", logger);
  const where = emu.addTenant();
  for (let i = 0; i < 3; i++) canaries.add((await plain.issue(where)).value.reveal(), "huawei issued token");
  return {
    provider: "huaweicloud",
    operation: "list (temporary credentials)",
    route: "listBearerTokens",
    server: emu.server,
    maxAttempts: MAX_ATTEMPTS,
    retrySafe: true,
    writesFiles: false,
    async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
      const fault = kitFault(request, { route: "listBearerTokens", errorBody, missingFields: {}, expired: undefined, jsonBody: true });
      if (fault === undefined) return undefined;
      return { fault, run: ({ deadline }) => client.listAll(where, { deadline }) };
    },
    close: () => emu.close(),
  };
}

/** Revoke of a token made (unfaulted) for the cell; a repeat that finds it gone is success. */
export async function huaweiRevokeHarness(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness> {
  const { emu, client, plain } = await huaweiCanaryEmulator(canaries, "permanent", logger);
  return {
    provider: "huaweicloud",
    operation: "revoke",
    route: "deleteBearerToken",
    server: emu.server,
    maxAttempts: MAX_ATTEMPTS,
    retrySafe: true,
    writesFiles: false,
    async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
      const fault = kitFault(request, { route: "deleteBearerToken", errorBody, missingFields: undefined, expired: undefined, jsonBody: false });
      if (fault === undefined) return undefined;
      const where = emu.addTenant();
      const token = await plain.issue(where);
      canaries.add(token.value.reveal(), "huawei issued token");
      return {
        fault,
        run: ({ deadline }) => client.revoke({ ...where, tokenId: token.id! }, { deadline }),
        after: ({ error }) => {
          const left = emu.listTokens(where.identityStoreId, where.tenantId).length;
          // Revoked means gone; a failed revoke leaves the token.
          return { note: error === undefined && left !== 0 ? "token still there" : undefined };
        },
      };
    },
    close: () => emu.close(),
  };
}
