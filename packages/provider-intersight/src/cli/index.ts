// How the tokenmint CLI drives the Intersight provider: `list` and `revoke` with filter flags, and
// the demo against the emulator.
import type { CliFlag, CliValues, ProviderCli, TokenRecord } from "@tokenmint/core";
import { TokenmintError } from "@tokenmint/core";
import { cliBoolean, cliNumber, cliString, demoCredentials } from "@tokenmint/core/cli";
import { createIntersightClient, type IntersightClient } from "../client.js";
import type { IntersightOptions } from "../config.js";
import { andFilters, buildFilter, checkRawFilter, type PropertyFilter } from "../filter.js";
import type { ListQuery } from "../query.js";

const PROVIDER = "intersight";
const DAY_MS = 86_400_000;
// Ages and counts: the CLI refuses negatives; page sizes are checked further by resolveConfig (config.ts).
const NON_NEGATIVE = { min: 0 } as const;

const configFlags: readonly CliFlag[] = [
  { name: "endpoint", description: "Intersight URL (default $INTERSIGHT_API_URI, then https://intersight.com)", type: "string" },
  { name: "key-id", description: "API key id (default $INTERSIGHT_API_KEY_ID)", type: "string" },
  { name: "key-file", description: "PEM private key of the API key (default $INTERSIGHT_API_PRIVATE_KEY_FILE or $INTERSIGHT_API_PRIVATE_KEY)", type: "string" },
  { name: "page-size", description: "records per request (default 100)", type: "number" },
  { name: "max-page-size", description: "the service's largest $top (default 1000)", type: "number" },
];

const filterFlags: readonly CliFlag[] = [
  { name: "filter", description: "raw OData $filter, e.g. \"ClientName eq 'ci'\" (joined with the other filters by and)", type: "string" },
  { name: "client-name", description: "registered application name (ClientName)", type: "string" },
  { name: "client-id", description: "registered application client id (ClientId)", type: "string" },
  { name: "user", description: "Moid of the user (User.Moid)", type: "string" },
  { name: "older-than-days", description: "created more than this many days ago (CreateTime)", type: "number" },
  { name: "idle-days", description: "no login for more than this many days (LastLoginTime)", type: "number" },
];

const listFlags: readonly CliFlag[] = [
  ...filterFlags,
  { name: "order-by", description: "Moid (default), CreateTime, or either followed by :desc", type: "string" },
  { name: "top", description: "stop after this many records", type: "number" },
];

/** CLI flag values -> client options. Missing values come from the environment (see config.ts). */
export function optionsFromCli(values: CliValues): IntersightOptions {
  return {
    endpoint: cliString(values, "endpoint", PROVIDER),
    keyId: cliString(values, "key-id", PROVIDER),
    privateKeyFile: cliString(values, "key-file", PROVIDER),
    pageSize: cliNumber(values, "page-size", PROVIDER, NON_NEGATIVE),
    maxPageSize: cliNumber(values, "max-page-size", PROVIDER, NON_NEGATIVE),
  };
}

/** The filter flags as one `$filter`, or undefined when none is given. */
export function filterFromCli(values: CliValues, now = Date.now()): string | undefined {
  const typed: Record<string, unknown> = {};
  const clientName = cliString(values, "client-name", PROVIDER);
  const clientId = cliString(values, "client-id", PROVIDER);
  const user = cliString(values, "user", PROVIDER);
  const olderThan = cliNumber(values, "older-than-days", PROVIDER, NON_NEGATIVE);
  const idle = cliNumber(values, "idle-days", PROVIDER, NON_NEGATIVE);
  if (clientName !== undefined) typed["ClientName"] = clientName;
  if (clientId !== undefined) typed["ClientId"] = clientId;
  if (user !== undefined) typed["User.Moid"] = user;
  if (olderThan !== undefined) typed["CreateTime"] = { lt: new Date(now - olderThan * DAY_MS) };
  if (idle !== undefined) typed["LastLoginTime"] = { lt: new Date(now - idle * DAY_MS) };
  const raw = cliString(values, "filter", PROVIDER);
  return andFilters(raw === undefined ? undefined : checkRawFilter(raw), Object.keys(typed).length > 0 ? buildFilter(typed as PropertyFilter) : undefined);
}

/** CLI flag values -> a listing query. */
export function queryFromCli(values: CliValues): ListQuery {
  const order = cliString(values, "order-by", PROVIDER);
  let orderBy: ListQuery["orderBy"];
  if (order !== undefined) {
    const [key, dir] = order.split(":");
    if ((key !== "Moid" && key !== "CreateTime") || (dir !== undefined && dir !== "desc" && dir !== "asc")) {
      throw new TokenmintError("configuration", "--order-by is Moid or CreateTime, optionally followed by :desc", { provider: PROVIDER });
    }
    orderBy = { key, descending: dir === "desc" };
  }
  return { filter: filterFromCli(values), orderBy, top: cliNumber(values, "top", PROVIDER, NON_NEGATIVE) };
}

export const intersightCli: ProviderCli<IntersightOptions, IntersightClient> = {
  config: { flags: configFlags, toOptions: optionsFromCli },
  list: {
    description: "list iam.OAuthToken records (OAuth2 sessions of users), every page, with typed or raw OData filters",
    flags: listFlags,
    examples: ["tokenmint list intersight --client-name 'Intersight Terraform' --older-than-days 30", "tokenmint list intersight --filter \"startswith(ClientName,'Grafana')\" --order-by CreateTime:desc"],
    run: (client, values, options) => client.list(queryFromCli(values), options),
  },
  revoke: {
    description: "revoke one record by Moid, or every record matching the filter flags (try --dry-run first)",
    flags: [...filterFlags, { name: "all", description: "with no filter: revoke every record", type: "boolean" }],
    examples: ["tokenmint revoke intersight 5f1e3c0e6176752d30d1a2b3", "tokenmint revoke intersight --client-name ci --older-than-days 30 --dry-run"],
    async run(client, id, values, options) {
      const filter = filterFromCli(values);
      if (id !== undefined) {
        if (filter !== undefined) throw new TokenmintError("configuration", "give a Moid or filter flags, not both", { provider: PROVIDER });
        if (options.dryRun) return { dryRun: true, ids: [id], records: [await client.get(id, options)] };
        await client.revoke(id, options);
        return { dryRun: false, ids: [id] };
      }
      const result = await client.revokeMatching({ filter, all: cliBoolean(values, "all", PROVIDER) }, options);
      if (result.failed.length > 0) {
        const first = result.failed[0]!;
        throw new TokenmintError(first.error.code, `${result.failed.length} of ${result.records.length} revocations failed (first: ${first.id}: ${first.error.message}); ${result.ids.length} succeeded`, { provider: PROVIDER, cause: first.error });
      }
      return { dryRun: result.dryRun, ids: result.ids, records: result.records };
    },
  },
  async demo(emulator, log, options) {
    const c = demoCredentials(emulator.credentials, PROVIDER);
    const rsa = createIntersightClient({ endpoint: emulator.url, keyId: c("rsa.keyId"), privateKey: c("rsa.privateKeyPem") }, { env: {} });
    const ec = createIntersightClient({ endpoint: emulator.url, keyId: c("ec.keyId"), privateKey: c("ec.privateKeyPem") }, { env: {} });
    const total = await rsa.count(undefined, options);
    log(`v2 API key (RSA, rsa-sha256) and v3 API key (EC P-256, hs2019) both sign; ${total} token records to start with`);
    let pages = 0;
    let records = 0;
    for await (const page of ec.pages({ pageSize: 50 }, options)) {
      pages++;
      records += page.records.length;
    }
    log(`listed ${records} records in ${pages} pages ($top=50, $skip, shift detection)`);
    const cutoff = new Date(Date.now() - 30 * DAY_MS);
    const first: TokenRecord | undefined = (await rsa.listPage({ top: 1, orderBy: "CreateTime" }, options)).records[0];
    const client = first?.client ?? "Intersight Terraform";
    const query = { filter: { ClientName: client, CreateTime: { lt: cutoff } } };
    const plan = await ec.revokeMatching(query, { ...options, dryRun: true });
    log(`dry run: ${plan.ids.length} token(s) of "${client}" older than 30 days would be revoked`);
    const done = await ec.revokeMatching(query, options);
    const left = await ec.count(query.filter, options);
    log(`revoked ${done.ids.length}; ${left} left matching`);
    try {
      await rsa.get(done.ids[0] ?? "0123456789abcdef01234567", options);
      throw new Error("a revoked record is still readable");
    } catch (error) {
      if (!(error instanceof TokenmintError) || error.code !== "not_found") throw error;
      log(`a revoked record is gone: ${error.message}`);
    }
  },
};
