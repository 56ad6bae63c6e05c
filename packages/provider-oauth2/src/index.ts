// @tokenmint/provider-oauth2: any OAuth 2.0 / OpenID Connect authorization server, by discovery or an
// explicit token endpoint. Scaffolded by `pnpm new-provider oauth2` (tools/new-provider), then written out.
import { defineProvider } from "@tokenmint/core";
import { createOauth2Client, type Oauth2Client } from "./client.js";
import type { Oauth2Options } from "./config.js";

export { createOauth2Client, type Introspection, Oauth2Client, type TokenTypeHint, type VerifiedAccessToken, type VerifyOptions } from "./client.js";
export { asList, checkEndpoint, type Oauth2Options, type ResolvedConfig, resolveConfig } from "./config.js";
export { discoverMetadata, type Endpoints, endpointsFrom, metadataUrls } from "./discovery.js";
export { extractOauth2Error } from "./errors.js";
export { type IntrospectionResponse, type Jwks, OPERATIONS, type ServerMetadata, type TokenResponse } from "./generated/index.js";
export { buildGrant, type GrantName, GRANTS, type Oauth2TokenRequest, type RequestCommon, TOKEN_EXCHANGE_GRANT, TOKEN_TYPES, type TokenTypeName, wireGrantType } from "./grants.js";
export { peekClaims, tokenFromResponse, toScopes } from "./token.js";

/** The OAuth 2.0 / OpenID Connect provider plugin. The CLI finds it through `"tokenmint": { "provider": true }` in package.json. */
const provider = defineProvider<Oauth2Options, Oauth2Client>({
  descriptor: {
    id: "oauth2",
    displayName: "OAuth 2.0 / OpenID Connect",
    capabilities: ["issue", "refresh", "revoke"],
    // Bearer tokens of one client configuration and one request: any holder of the same config may reuse them.
    reusableTokens: true,
  },
  createClient: (options, context) => createOauth2Client(options, context),
  emulator: "@tokenmint/provider-oauth2/emulator",
  // The CLI's flags and commands are the `./cli` entry, loaded on demand: importing the provider
  // does not load them.
  loadCli: () => import("./cli/index.js").then((m) => m.oauth2Cli),
});

export default provider;
export { provider };
