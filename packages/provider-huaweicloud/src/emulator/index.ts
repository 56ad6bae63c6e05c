// @tokenmint/provider-huaweicloud/emulator: IAM Identity Center's bearer-token API behind API Gateway's
// AK/SK signature check, on a loopback port, with the kit's fault injection.
import { randomUUID } from "node:crypto";
import type { EmulatorHandle } from "@tokenmint/core";
import { createEmulatorServer, type EmulatorServer } from "@tokenmint/core/emulator";
import { type AccessKeyPair, AccessKeys, type EmulatorAccount, newAccountId } from "./accounts.js";
import { DEFAULT_MAX_CLOCK_SKEW_MS } from "./auth.js";
import { createRoutes, notPublished } from "./routes.js";
import { type StoredToken, TenantTokens } from "./store.js";

export { type AccessKeyPair, AccessKeys, type AccountRole, type EmulatorAccount } from "./accounts.js";
export { AUTH_ERROR_CODE, type AuthResult, DEFAULT_MAX_CLOCK_SKEW_MS, verifyRequest } from "./auth.js";
export { ACTIONS, COLLECTION_PATH, createRoutes, decodeAuthorizationMessage, encodeAuthorizationMessage, ITEM_PATH } from "./routes.js";
export { type CreateResult, type StoredToken, TenantTokens, type TokenStoreOptions } from "./store.js";

export interface HuaweiCloudEmulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string | undefined;
  /** Default 0: a free port. */
  readonly port?: number | undefined;
  /** Tokens one tenant may hold (the emulator's default: 5; Huawei documents none). */
  readonly tokenLimit?: number | undefined;
  /** Lifetime of new tokens (the emulator's default: 180 days; Huawei documents none). */
  readonly tokenLifetimeMs?: number | undefined;
  /** Largest accepted distance between X-Sdk-Date and the server clock. Default 15 minutes (APIG). */
  readonly maxClockSkewMs?: number | undefined;
  /** Region reported in the credentials. Default cn-north-4. */
  readonly region?: string | undefined;
  /** Server clock (ms), for tests. */
  readonly now?: (() => number) | undefined;
}

/** One ready-to-use AK/SK pair, JSON-safe. */
export interface EmulatorKeyCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly securityToken?: string;
  readonly accountId: string;
  readonly accountName: string;
}

export interface HuaweiCloudEmulatorCredentials {
  readonly [key: string]: unknown;
  /** The organization's management account: may manage bearer tokens. */
  readonly management: EmulatorKeyCredentials;
  /** A delegated administrator of IAM Identity Center: may manage bearer tokens. */
  readonly delegatedAdmin: EmulatorKeyCredentials;
  /** Temporary (STS) credentials of the management account: AK, SK and security token. */
  readonly temporary: EmulatorKeyCredentials;
  /** A member account: gets 403 with an encoded authorization message. */
  readonly nonAdmin: EmulatorKeyCredentials;
  readonly identityStoreId: string;
  readonly tenantId: string;
  readonly region: string;
  /** Base URL to use as the client's endpoint. */
  readonly endpoint: string;
}

export interface HuaweiCloudEmulator extends EmulatorHandle {
  readonly credentials: HuaweiCloudEmulatorCredentials;
  /** The kit's server: faults, request log and counts per route (createBearerToken, listBearerTokens, deleteBearerToken). */
  readonly server: EmulatorServer;
  /** Accepted AK/SK pairs (add, revoke, issue temporary ones). */
  readonly keys: AccessKeys;
  /** Tokens per identity store and tenant; `created` counts every token ever made. */
  readonly tokens: TenantTokens;
  /** Adds an identity store + tenant (automatic provisioning); new random ids by default. */
  addTenant(identityStoreId?: string, tenantId?: string): { identityStoreId: string; tenantId: string };
  /** Tokens of a tenant, oldest first, values included (what the SCIM client would present). */
  listTokens(identityStoreId?: string, tenantId?: string): StoredToken[];
  /** Adds an account with one permanent AK/SK pair. */
  addAccount(name: string, role: EmulatorAccount["role"]): AccessKeyPair;
}

function identityStoreId(): string {
  return `d-${randomUUID().replace(/-/g, "").slice(0, 10)}`;
}

function keyCredentials(pair: AccessKeyPair): EmulatorKeyCredentials {
  return { accessKey: pair.accessKey, secretKey: pair.secretKey, ...(pair.securityToken === undefined ? {} : { securityToken: pair.securityToken }), accountId: pair.account.accountId, accountName: pair.account.name };
}

/**
 * Starts the emulator with an organization (management account, a delegated administrator, a member),
 * their AK/SK pairs (one temporary), one identity store and one tenant.
 *
 * @example
 * const emu = await startEmulator();
 * const client = createHuaweiCloudClient({ endpoint: emu.url, ...emu.credentials.management });
 * const token = await client.issue({ identityStoreId: emu.credentials.identityStoreId, tenantId: emu.credentials.tenantId });
 * await emu.close();
 */
export async function startEmulator(options: HuaweiCloudEmulatorOptions = {}): Promise<HuaweiCloudEmulator> {
  const keys = new AccessKeys();
  const tokens = new TenantTokens({ tokenLimit: options.tokenLimit, tokenLifetimeMs: options.tokenLifetimeMs });
  const server = await createEmulatorServer({
    name: "huaweicloud",
    host: options.host,
    port: options.port,
    now: options.now,
    routes: createRoutes({ keys, tokens, maxClockSkewMs: options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS }),
    notFound: () => notPublished(),
  });

  const account = (name: string, role: EmulatorAccount["role"]): EmulatorAccount => ({ accountId: newAccountId(), name, role });
  const addAccount = (name: string, role: EmulatorAccount["role"]) => keys.issue(account(name, role));
  const managementAccount = account("org-management", "management");
  const management = keys.issue(managementAccount);
  const temporary = keys.issueTemporary(managementAccount);
  const delegated = addAccount("identity-admin", "delegated-admin");
  const member = addAccount("workload-member", "member");
  const store = identityStoreId();
  const tenant = randomUUID();
  tokens.addTenant(store, tenant);

  return {
    provider: "huaweicloud",
    url: server.url,
    server,
    keys,
    tokens,
    credentials: {
      management: keyCredentials(management),
      delegatedAdmin: keyCredentials(delegated),
      temporary: keyCredentials(temporary),
      nonAdmin: keyCredentials(member),
      identityStoreId: store,
      tenantId: tenant,
      region: options.region ?? "cn-north-4",
      endpoint: server.url,
    },
    addTenant(id = identityStoreId(), tenantId = randomUUID()) {
      tokens.addTenant(id, tenantId);
      return { identityStoreId: id, tenantId };
    },
    listTokens(id = store, tenantId = tenant) {
      return tokens.list(id, tenantId) ?? [];
    },
    addAccount,
    close: () => server.close(),
  };
}
