// @tokenmint/provider-intersight: Cisco Intersight iam.OAuthToken records (the OAuth2 sessions of
// users who logged in through the authorization-code grant): query, paginate, get, revoke.
import { defineProvider } from "@tokenmint/core";
import { createIntersightClient, type IntersightClient } from "./client.js";
import type { IntersightOptions } from "./config.js";

export {
  type BulkRevokeOptions,
  type BulkRevokeQuery,
  type BulkRevokeResult,
  createIntersightClient,
  IntersightClient,
  type ListPageResult,
  type RevokeOptions,
  type TokenRecordPage,
} from "./client.js";
export { DEFAULT_ENDPOINT, DEFAULT_SIGNED_HEADERS, DEFAULT_USER_AGENT, type IntersightOptions, normaliseEndpoint, type ResolvedConfig, resolveConfig } from "./config.js";
export { extractIntersightError, intersightErrorMapper } from "./errors.js";
export {
  ERROR_MAP,
  type IamClientMeta,
  type IamOAuthToken,
  type IamOAuthTokenList,
  type IntersightClientConfig,
  type IntersightError,
  type MoMoRef,
  type MoTag,
  type MoVersionContext,
  OPERATIONS,
  parseIamOAuthToken,
  parseIamOAuthTokenList,
  parseIntersightError,
} from "./generated/index.js";
export { andFilters, buildFilter, checkRawFilter, type Comparison, type Filter, type FilterValue, odataDate, odataString, type PropertyFilter } from "./filter.js";
export { type ApiKey, parseApiKey, type SigningAlgorithm } from "./keys.js";
export { orderByClause, type Page, type PageRequest, type PageSource, type PaginateOptions, paginate, type StableOrder, type StableOrderKey } from "./paginate.js";
export {
  ALWAYS_SELECTED,
  DATETIME_PROPERTIES,
  type FilterPath,
  isOAuthTokenProperty,
  OAUTH_TOKEN_PROPERTIES,
  OAUTH_TOKEN_PROPERTY_NAMES,
  type OAuthTokenProperty,
  type PropertyInfo,
  type PropertyKind,
  resolvePath,
} from "./properties.js";
export { type FilterInput, filterText, type ListQuery, type OrderByKey, type PageQuery } from "./query.js";
export { toTokenRecord } from "./records.js";
export { createIntersightSigner, type IntersightSignerOptions } from "./signer.js";

/** The Intersight provider plugin. */
const intersight = defineProvider<IntersightOptions, IntersightClient>({
  descriptor: {
    id: "intersight",
    displayName: "Cisco Intersight (iam.OAuthToken records)",
    capabilities: ["list", "get", "revoke"],
    // Nothing is issued: the records are created by users' own logins.
    reusableTokens: false,
  },
  createClient: (options, context) => createIntersightClient(options, context),
  emulator: "@tokenmint/provider-intersight/emulator",
  // The CLI's flags and commands are the `./cli` entry, loaded on demand: importing the provider
  // does not load them.
  loadCli: () => import("./cli/index.js").then((m) => m.intersightCli),
});

export default intersight;
export { intersight as provider };
