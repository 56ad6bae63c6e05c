// @tokenmint/provider-oci: OCI Identity Data Plane scoped access tokens (database tokens). The CLI side
// (flags, `issue --save` to ~/.oci/db-token/) is @tokenmint/provider-oci/cli.
import { defineProvider } from "@tokenmint/core";
import { createOciClient, type OciClient } from "./client.js";
import type { OciOptions } from "./config.js";

export { createOciClient, GENERATE_SCOPED_ACCESS_TOKEN_PATH, OciClient, type OciIssueRequest } from "./client.js";
export {
  API_PATH_PREFIX,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_OPERATION_TIMEOUT_MS,
  normaliseEndpoint,
  type OciAuth,
  type OciOptions,
  type ResolvedOciConfig,
  resolveConfig,
} from "./config.js";
export {
  configFileCandidates,
  DEFAULT_CONFIG_PATHS,
  DEFAULT_PROFILE,
  expandHome,
  loadConfigFile,
  type OciConfigFile,
  type OciConfigProfileView,
  parseConfigFile,
  selectProfile,
} from "./config-file.js";
export { extractOciError, ociErrorMapper } from "./errors.js";
export { type DbKeyPair, DEFAULT_KEY_BITS, generateDbKeyPair } from "./keygen.js";
export { type CheckedPublicKey, checkPublicKey, MIN_RSA_BITS, type PublicKeyFormat, toPublicKeyPem } from "./public-key.js";
export { knownRegions, REALM_DOMAINS, type ResolvedRegion, resolveRegion } from "./regions.js";
export { ALL_DATABASES_SCOPE, DB_SCOPE_PREFIX, DB_SCOPE_RESOURCE, type DbScope, dbScope, formatDbScope, isOcid, parseDbScope, toCanonicalScope } from "./scopes.js";
export {
  createOciSigner,
  OCI_DOCUMENTED_COMPONENTS,
  OCI_TYPESCRIPT_SDK_COMPONENTS,
  type OciSignableRequest,
  type OciSignedComponents,
  type OciSigner,
  type OciSignerOptions,
} from "./signer.js";
export { readTokenClaims, tokenFromResponse } from "./token.js";

/** The OCI provider plugin. */
const oci = defineProvider<OciOptions, OciClient>({
  descriptor: {
    id: "oci",
    displayName: "OCI Identity Data Plane (database tokens)",
    capabilities: ["issue"],
    // A token and the private key it is bound to travel together in the Token, and the cache key holds
    // the request (scope and public key): whoever gets it from the cache can use it.
    reusableTokens: true,
  },
  createClient: (options, context) => createOciClient(options, context),
  emulator: "@tokenmint/provider-oci/emulator",
  // The CLI's flags and commands (and the db-token files it writes) are the `./cli` entry, loaded on
  // demand: importing the provider does not load them.
  loadCli: () => import("./cli/index.js").then((m) => m.ociCli),
});

export default oci;
export { oci as provider };
