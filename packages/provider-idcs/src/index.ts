// @tokenmint/provider-idcs: Oracle Identity Cloud Service / OCI IAM Identity Domains OAuth2 tokens.
import { defineProvider } from "@tokenmint/core";
import { createIdcsClient, type IdcsClient } from "./client.js";
import type { IdcsOptions } from "./config.js";

export { type AssertionAlgorithm, type AssertionClaims, type AssertionSigner, type AssertionSignerOptions, certificateThumbprint, createAssertionSigner } from "@tokenmint/core";
export { basicCredentials, CLIENT_ASSERTION_TYPE, type ClientAuthentication, type ClientAuthParts, clientAuthParts, encodeForm, formEncode } from "@tokenmint/core";
export { createIdcsClient, DISCOVERY_PATH, IdcsClient, type IdcsTokenRequest, JWKS_PATH, JWT_BEARER_GRANT, TOKEN_PATH, type VerifiedAccessToken, type VerifyAccessTokenOptions } from "./client.js";
export { type ClientAuthMethod, IDCS_ISSUER, type IdcsOptions, normaliseDomainUrl, type ResolvedConfig, resolveConfig } from "./config.js";
export { extractIdcsError } from "./errors.js";
export {
  type GrantName,
  grantedScopes,
  IDCS_API_RESOURCE,
  type IdcsAppCapabilities,
  type IdcsResourceServer,
  KNOWN_ROLE_SCOPES,
  MY_SCOPES,
  OFFLINE_ACCESS,
  parseScope,
  type ResolvedScopes,
  resolveScopes,
  type ScopeContext,
  type ScopeSelection,
} from "./scopes.js";
export { type IdcsAccessTokenClaims, peekClaims, tokenFromAccessToken } from "./token.js";
export { formatTokensTok, parseTokensTok, readTokensTok, readTokensTokAsToken, type TokensTok, tokensTokName, type WriteTokensTokOptions, writeTokensTok } from "./tokens-tok.js";

/** The IDCS provider plugin. */
const idcs = defineProvider<IdcsOptions, IdcsClient>({
  descriptor: {
    id: "idcs",
    displayName: "Oracle IDCS / OCI IAM Identity Domains",
    capabilities: ["issue", "refresh"],
    // Bearer tokens of one client configuration and one request: any holder of the same config may reuse them.
    reusableTokens: true,
  },
  createClient: (options, context) => createIdcsClient(options, context),
  emulator: "@tokenmint/provider-idcs/emulator",
  // The CLI's flags and commands are the `./cli` entry, loaded on demand: importing the provider
  // does not load them.
  loadCli: () => import("./cli/index.js").then((m) => m.idcsCli),
});

export default idcs;
export { idcs as provider };
