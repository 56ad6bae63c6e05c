// How the tokenmint CLI drives this provider: flags, issue/list/revoke, and the demo against the emulator.
import { type CliFlag, type CliValues, isTokenmintError, type ProviderCli, TokenmintError } from "@tokenmint/core";
import { cliBoolean, cliSecret, cliString, demoCredentials } from "@tokenmint/core/cli";
import { createHuaweiCloudClient, type HuaweiCloudClient } from "../client.js";
import type { HuaweiCloudOptions } from "../config.js";
import { ENCODED_MESSAGE_DETAIL } from "../errors.js";
import { PROVIDER } from "../token.js";

const configFlags: readonly CliFlag[] = [
  { name: "access-key", description: "the AK (access key id)", type: "string", env: "HUAWEICLOUD_SDK_AK" },
  { name: "secret-key", description: "the SK (secret access key)", type: "string", secret: true, env: "HUAWEICLOUD_SDK_SK" },
  { name: "security-token", description: "security token of temporary credentials (sent and signed as X-Security-Token)", type: "string", secret: true, env: "HUAWEICLOUD_SDK_SECURITY_TOKEN" },
  { name: "region", description: "region id, e.g. cn-north-4 (endpoint https://identitystore.<region>.myhuaweicloud.com, inferred)", type: "string", env: "HUAWEICLOUD_SDK_REGION" },
  { name: "endpoint", description: "endpoint URL overriding the region's", type: "string", env: "TOKENMINT_HUAWEICLOUD_ENDPOINT" },
  { name: "revoke-orphans", description: "after an ambiguous create failure, revoke the token the failed attempt made", type: "boolean" },
];

const tenantFlags: readonly CliFlag[] = [
  { name: "identity-store-id", description: "identity store (identity source) id, e.g. d-1234567890", type: "string", required: true },
  { name: "tenant-id", description: "tenant id of the automatic provisioning (SCIM)", type: "string", required: true },
];

function tenant(values: CliValues): { identityStoreId: string; tenantId: string } {
  const identityStoreId = cliString(values, "identity-store-id", PROVIDER);
  const tenantId = cliString(values, "tenant-id", PROVIDER);
  if (identityStoreId === undefined || tenantId === undefined) throw new TokenmintError("configuration", "give --identity-store-id and --tenant-id", { provider: PROVIDER });
  return { identityStoreId, tenantId };
}

/** CLI flag values -> client options. */
export function optionsFromCli(values: CliValues): HuaweiCloudOptions {
  return {
    accessKey: cliString(values, "access-key", PROVIDER),
    secretKey: cliSecret(values, "secret-key", PROVIDER),
    securityToken: cliSecret(values, "security-token", PROVIDER),
    region: cliString(values, "region", PROVIDER),
    endpoint: cliString(values, "endpoint", PROVIDER),
    revokeOrphans: cliBoolean(values, "revoke-orphans", PROVIDER),
  };
}

export const huaweiCloudCli: ProviderCli<HuaweiCloudOptions, HuaweiCloudClient> = {
  config: { flags: configFlags, toOptions: optionsFromCli },
  issue: {
    description: "create an IAM Identity Center SCIM bearer token (its value is shown once; creation is never repeated blindly)",
    flags: tenantFlags,
    examples: ["tokenmint issue huaweicloud --region cn-north-4 --identity-store-id d-1234567890 --tenant-id 5f2c1e0a-0b7e-4c35-9d1e-2f4b0c9a7e11"],
    run: (client, values, options) => client.issue(tenant(values), options),
  },
  list: {
    description: "list a tenant's bearer tokens (ids, creation and expiry; never values)",
    flags: tenantFlags,
    examples: ["tokenmint list huaweicloud --region cn-north-4 --identity-store-id d-1234567890 --tenant-id 5f2c1e0a-0b7e-4c35-9d1e-2f4b0c9a7e11"],
    run: (client, values, options) => client.list(tenant(values), options),
  },
  revoke: {
    description: "delete a bearer token by id",
    flags: tenantFlags,
    examples: ["tokenmint revoke huaweicloud 715ad873-3b32-48a3-a08f-50c2e5a1b2c3 --region cn-north-4 --identity-store-id d-1234567890 --tenant-id 5f2c1e0a-0b7e-4c35-9d1e-2f4b0c9a7e11"],
    async run(client, id, values, options) {
      if (id === undefined) throw new TokenmintError("configuration", "give the id of the token to revoke", { provider: PROVIDER, hint: "tokenmint list huaweicloud ... shows the ids" });
      const where = tenant(values);
      if (options.dryRun) {
        const records = (await client.listAll(where, options)).filter((r) => r.id === id);
        if (records.length === 0) throw new TokenmintError("not_found", `the tenant has no token ${id}`, { provider: PROVIDER });
        return { dryRun: true, ids: [id], records };
      }
      await client.revoke({ ...where, tokenId: id }, options);
      return { dryRun: false, ids: [id] };
    },
  },
  async demo(emulator, log, options) {
    const c = demoCredentials(emulator.credentials, PROVIDER);
    const where = { identityStoreId: c("identityStoreId"), tenantId: c("tenantId") };
    const admin = createHuaweiCloudClient({ endpoint: emulator.url, accessKey: c("management.accessKey"), secretKey: c("management.secretKey") }, { env: {} });
    const token = await admin.issue(where, options);
    log(`management account created bearer token ${token.id}, expires ${token.expiresAt?.toISOString()} (value shown once, kept as a Secret)`);
    const records = await admin.listAll(where, options);
    log(`list: ${records.length} token(s): ${records.map((r) => r.id).join(", ")}`);
    const temporary = createHuaweiCloudClient(
      { endpoint: emulator.url, accessKey: c("temporary.accessKey"), secretKey: c("temporary.secretKey"), securityToken: c("temporary.securityToken") },
      { env: {} },
    );
    log(`temporary credentials (signed X-Security-Token) list ${(await temporary.listAll(where, options)).length} token(s)`);
    const member = createHuaweiCloudClient({ endpoint: emulator.url, accessKey: c("nonAdmin.accessKey"), secretKey: c("nonAdmin.secretKey") }, { env: {} });
    try {
      await member.issue(where, options);
      throw new TokenmintError("invalid_response", "the emulator let a member account create a token", { provider: PROVIDER });
    } catch (error) {
      if (!isTokenmintError(error, "access_denied")) throw error;
      log(`member account: ${error.code} (${error.providerCode}), encoded authorization message of ${String(error.details?.[ENCODED_MESSAGE_DETAIL] ?? "").length} characters`);
    }
    await admin.revoke({ ...where, tokenId: token.id! }, options);
    log(`revoked ${token.id}; ${(await admin.listAll(where, options)).length} token(s) left`);
  },
};
