// The public surface of @tokenmint/core, exported by name. The emulator kit is a separate subpath
// (@tokenmint/core/emulator) so library users never load server code.

export * from "./generated/index.js";
export { codeForStatus, describeErrorCode, isTokenmintError, TokenmintError, type TokenmintErrorOptions } from "./errors.js";
export { REDACTED_TEXT, revealSecret, Secret, secret } from "./secret.js";
export { decodeDate, describeType, type ErrorMapping, matchErrorMapping, type ParseOptions, pointerToken, specViolation, wrapSecret } from "./spec-runtime.js";
export { redactForm, redactHeaders, redactValue, scrubText } from "./redact.js";
export { type LogEvent, type Logger, silentLogger } from "./logger.js";
export { type AtomicWriteOptions, removeStaleTempFiles, STALE_TEMP_MIN_AGE_MS, writeFileAtomic } from "./atomic-file.js";
export { type NodeCrypto, type NodeFs, type NodeOs, nodeCrypto, nodeFs, nodeOs } from "./builtins.js";
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
export {
  acquireFileLock,
  type CallOptions,
  deserializeToken,
  EXPIRY_MARGIN_MS,
  type ExpiryCheckOptions,
  expiredOnArrival,
  type FileLockOptions,
  FileTokenStore,
  type FileTokenStoreOptions,
  type GetTokenOptions,
  type HeldFileLock,
  isUnauthorized,
  type LockOwner,
  MemoryTokenStore,
  refuseExpiredOnArrival,
  serializeToken,
  type StoreEvent,
  TokenManager,
  type TokenManagerOptions,
  type TokenSource,
  type TokenStore,
  withFileLock,
  type WithTokenOptions,
} from "./tokens/index.js";
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
export type { CliFlag, CliIssueOperation, CliListOperation, CliRevokeOperation, CliTokenFileFormat, CliValue, CliValues, DemoLog, ProviderCli, RevokeOutcome } from "./cli-contract.js";
export { type CliNumberOptions, cliBoolean, cliList, cliNumber, cliSecret, cliString } from "./cli-values.js";
export { demoCredentials } from "./cli-demo.js";
