// @tokenmint/provider-huaweicloud: Huawei Cloud IAM Identity Center SCIM bearer tokens, AK/SK signed.
import { defineProvider } from "@tokenmint/core";
import { createHuaweiCloudClient, type HuaweiCloudClient } from "./client.js";
import type { HuaweiCloudOptions } from "./config.js";

export { canonicalHeaders, canonicalQuery, canonicalRequestText, canonicalUri, EMPTY_BODY_SHA256, escapeRfc3986, parseQuery, type CanonicalHeaders, type QueryParams } from "./canonical.js";
export { createHuaweiCloudClient, HuaweiCloudClient, type HuaweiCloudIssueRequest, type HuaweiCloudRevokeRequest } from "./client.js";
export { type CredentialSource, type HuaweiCloudOptions, type OrphanCheckOptions, regionalEndpoint, type ResolvedConfig, resolveConfig } from "./config.js";
export { ENCODED_MESSAGE_DETAIL, extractHuaweiError, huaweiErrorMapper } from "./errors.js";
export { pathId } from "./ids.js";
export { type CreateAmbiguity, createFailureAmbiguity, isAmbiguousCreateFailure, type OrphanCheck, type OrphanedToken } from "./orphans.js";
export { createRequestSigner, type SignerOptions } from "./request-signer.js";
export {
  ALGORITHM,
  CONTENT_SHA256_HEADER,
  canonicalRequest,
  createSigningKey,
  DATE_HEADER,
  formatSdkDate,
  type ParsedAuthorization,
  parseAuthorization,
  parseSdkDate,
  payloadHash,
  SECURITY_TOKEN_HEADER,
  type Signature,
  type SignableRequest,
  type SigningKey,
  signRequest,
  stringToSign,
} from "./signer.js";
export { fromEpochMs, recordFromSummary, type TenantRef, tokenFromCreate } from "./token.js";

/** The Huawei Cloud provider plugin. */
const huaweicloud = defineProvider<HuaweiCloudOptions, HuaweiCloudClient>({
  descriptor: {
    id: "huaweicloud",
    displayName: "Huawei Cloud IAM Identity Center (SCIM bearer tokens)",
    capabilities: ["issue", "list", "revoke"],
    // Each create makes a new token counted against the tenant's limit, shown once: never cache and share.
    reusableTokens: false,
  },
  createClient: (options, context) => createHuaweiCloudClient(options, context),
  emulator: "@tokenmint/provider-huaweicloud/emulator",
  // The CLI's flags and commands are the `./cli` entry, loaded on demand: importing the provider
  // does not load them.
  loadCli: () => import("./cli/index.js").then((m) => m.huaweiCloudCli),
});

export default huaweicloud;
export { huaweicloud as provider };
