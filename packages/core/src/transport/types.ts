import type { TokenmintError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { RetryPolicy } from "./retry.js";

/** A request as the transport sends it. Headers are plain strings; the body is sent byte for byte. */
export interface HttpRequest {
  method: string;
  url: string | URL;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** The request handed to the sign hook: a fresh copy per attempt, so date headers can be renewed. */
export interface PreparedRequest {
  readonly method: string;
  readonly url: URL;
  /** Lowercase header names. The hook adds its own (Authorization, dates, digests) here. */
  headers: Record<string, string>;
  readonly body: Uint8Array | undefined;
}

/** A fully read response. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
  /** The provider's request id, from the first present header of `requestIdHeaders`. */
  readonly requestId: string | undefined;
  /** Attempts made, the successful one included. */
  readonly attempts: number;
  /**
   * Whether an earlier attempt may have reached the server and been processed (it timed out or was
   * cut after sending, or answered 5xx): then this answer may describe the state that attempt left,
   * e.g. a 404 to a repeated DELETE. False when every earlier attempt was refused before processing
   * (429, no connection) or there was none.
   */
  readonly earlierAttemptMayHaveApplied: boolean;
  text(): string;
  /** Parses the body as JSON; a body that is not JSON throws `invalid_response`. */
  json(): unknown;
}

/** Maps a non-success response to the provider's canonical error. */
export type ErrorMapper = (response: HttpResponse) => TokenmintError;

/** Adds credentials to a request before each attempt. */
export type RequestSigner = (request: PreparedRequest, context: { readonly attempt: number }) => void | Promise<void>;

export interface TransportOptions {
  /** Provider id put on every error. */
  provider: string;
  /** Longest time one attempt may take, headers and body included. Default 30 s. */
  attemptTimeoutMs?: number;
  /** Default overall budget of one `send` when the caller gives no deadline. Default 120 s. */
  operationTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Response headers that carry the provider's request id, in order of preference. */
  requestIdHeaders?: readonly string[];
  /** Largest response body accepted. Default 4 MiB. */
  maxResponseBytes?: number;
  userAgent?: string;
  sign?: RequestSigner;
  errorFromResponse?: ErrorMapper;
  logger?: Logger;
  /** Wire names of secret fields (a spec's SECRET_WIRE_NAMES), redacted from debug logs. */
  secretNames?: Iterable<string>;
  /** Jitter source; tests may pin it. */
  random?: () => number;
}

export interface SendOptions {
  signal?: AbortSignal | undefined;
  /** Absolute time (epoch ms) by which the whole operation, retries included, must end. */
  deadline?: number | undefined;
  /**
   * Whether repeating the operation is harmless (declared per operation in the provider's spec).
   * Unsafe operations are retried only when the request provably was not processed.
   */
  retrySafe: boolean;
  /** Statuses that count as success. Default: any 2xx. */
  successStatuses?: readonly number[];
  /** Operation name for messages and logs (e.g. "generateScopedAccessToken"). */
  operation?: string;
  /** Overrides the transport's retry policy for this call. */
  retry?: Partial<RetryPolicy> | undefined;
}
