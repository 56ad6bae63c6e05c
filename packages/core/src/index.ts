// The public surface of @tokenmint/core, exported by name: what a provider client needs. Subpaths hold
// the rest, so importing a provider loads none of them: @tokenmint/core/tokens (token manager, stores,
// file lock), @tokenmint/core/cli (what providers' CLI modules use) and @tokenmint/core/emulator (the
// emulator kit and HTTP-signature verification, server code).

export * from "./generated/index.js";
export { codeForStatus, describeErrorCode, isTokenmintError, TokenmintError, type TokenmintErrorOptions } from "./errors.js";
export { REDACTED_TEXT, revealSecret, Secret, secret } from "./secret.js";
export { decodeDate, describeType, type ErrorMapping, matchErrorMapping, type ParseOptions, pointerToken, specViolation, wrapSecret } from "./spec-runtime.js";
export { redactForm, redactHeaders, redactValue, scrubText } from "./redact.js";
export { type LogEvent, type Logger, silentLogger } from "./logger.js";
export { type AtomicWriteOptions, removeStaleTempFiles, STALE_TEMP_MIN_AGE_MS, writeFileAtomic } from "./atomic-file.js";
export { expandHome } from "./home.js";
export { type NodeCrypto, type NodeFs, type NodeFsSync, type NodeOs, type NodePath, nodeCrypto, nodeFs, nodeFsSync, nodeOs, nodePath } from "./builtins.js";
export {
  backoffDelay,
  createErrorMapper,
  DEFAULT_RETRY_POLICY,
  type ErrorMapper,
  type ErrorMapperOptions,
  type HttpRequest,
  type HttpResponse,
  HttpTransport,
  type PreparedRequest,
  type ProviderErrorBody,
  parseRetryAfter,
  type RequestSigner,
  type RetryPolicy,
  type SendOptions,
  type TransportOptions,
} from "./transport/index.js";
export { EXPIRY_MARGIN_MS, type ExpiryCheckOptions, expiredOnArrival, numericDate, refuseExpiredOnArrival } from "./tokens/expiry.js";
// The token manager, its stores and the file lock are the `@tokenmint/core/tokens` entry: a provider's
// client never needs them, so importing a provider does not load them. Their types are here too.
export type { CallOptions, StoreEvent, TokenSource, TokenStore } from "./tokens/types.js";
export { createJwks, type DecodedJwt, decodeJwtUnverified, type JwksSource, type VerifiedJwt, type VerifyJwtOptions, verifyJwt } from "./jwt.js";
export {
  type ConfigContext,
  defineProvider,
  type EmulatorHandle,
  fingerprint,
  hasCapability,
  issueSource,
  loadProvider,
  type ProviderClient,
  type ProviderDefinition,
} from "./provider.js";
export * from "./http-signature/index.js";
export {
  type AssertionAlgorithm,
  type AssertionClaims,
  type AssertionSigner,
  type AssertionSignerOptions,
  basicCredentials,
  CLIENT_ASSERTION_TYPE,
  type ClientAuthentication,
  type ClientAuthMethod,
  type ClientAuthParts,
  certificateThumbprint,
  checkHmacSecret,
  clientAuthParts,
  createAssertionSigner,
  createSecretAssertionSigner,
  encodeForm,
  formEncode,
  HMAC_ASSERTION_ALGORITHMS,
  type HmacAssertionAlgorithm,
  isHmacAssertionAlgorithm,
  JwksCache,
  type SecretAssertionSigner,
  type SecretAssertionSignerOptions,
} from "./oauth/index.js";
// The CLI contract's types; its flag readers and demo helper are the `@tokenmint/core/cli` entry, which
// only providers' lazily loaded CLI modules import.
export type { CliFlag, CliIssueOperation, CliListOperation, CliRevokeOperation, CliTokenFileFormat, CliValue, CliValues, DemoLog, ProviderCli, RevokeOutcome } from "./cli/contract.js";
