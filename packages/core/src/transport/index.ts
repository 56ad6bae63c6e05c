export { HttpTransport } from "./http-transport.js";
export { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from "./retry.js";
export type { ErrorMapper, HttpRequest, HttpResponse, PreparedRequest, RequestSigner, SendOptions, TransportOptions } from "./types.js";
export { createErrorMapper, type ErrorMapperOptions, type ProviderErrorBody } from "./error-mapper.js";
