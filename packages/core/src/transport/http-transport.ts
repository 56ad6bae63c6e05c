import { codeForStatus, TokenmintError } from "../errors.js";
import { silentLogger, type Logger } from "../logger.js";
import { redactHeaders } from "../redact.js";
import { readLimitedBody } from "./body.js";
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from "./retry.js";
import type { ErrorMapper, HttpRequest, HttpResponse, PreparedRequest, RequestSigner, SendOptions, TransportOptions } from "./types.js";


/** Socket errors raised before any byte of the request could reach the server. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * HTTP on Node's fetch with per-attempt timeouts, an overall deadline, AbortSignal, retries with
 * full-jitter backoff and Retry-After, request-id capture, a response size limit, and canonical errors.
 * One instance per provider client; it holds no per-request state.
 */
export class HttpTransport {
  readonly provider: string;
  readonly #attemptTimeoutMs: number;
  readonly #operationTimeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #requestIdHeaders: readonly string[];
  readonly #maxResponseBytes: number;
  readonly #userAgent: string;
  readonly #sign: RequestSigner | undefined;
  readonly #errorFromResponse: ErrorMapper;
  readonly #logger: Logger;
  readonly #secretNames: ReadonlySet<string>;
  readonly #random: () => number;

  constructor(options: TransportOptions) {
    this.provider = options.provider;
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
    this.#operationTimeoutMs = options.operationTimeoutMs ?? 120_000;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    if (!(this.#retry.maxAttempts >= 1)) throw new TokenmintError("configuration", "retry.maxAttempts must be at least 1", { provider: this.provider });
    this.#requestIdHeaders = options.requestIdHeaders ?? [];
    this.#maxResponseBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;
    this.#userAgent = options.userAgent ?? "tokenmint";
    this.#sign = options.sign;
    this.#errorFromResponse = options.errorFromResponse ?? ((r) => defaultError(this.provider, r));
    this.#logger = options.logger ?? silentLogger;
    this.#secretNames = new Set([...(options.secretNames ?? [])].map((n) => n.toLowerCase()));
    this.#random = options.random ?? Math.random;
  }

  /** Sends a request and returns the successful response, or throws a TokenmintError. */
  async send(request: HttpRequest, options: SendOptions): Promise<HttpResponse> {
    const deadline = options.deadline ?? Date.now() + this.#operationTimeoutMs;
    const url = new URL(request.url);
    const body = typeof request.body === "string" ? new TextEncoder().encode(request.body) : request.body;
    const what = `${request.method.toUpperCase()} ${url.pathname}`;
    let attempt = 0;
    let earlierMayHaveApplied = false;
    for (;;) {
      attempt++;
      throwIfAborted(options.signal, this.provider, what);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new TokenmintError("timeout", `${what}: operation deadline passed after ${attempt - 1} attempt(s)`, { provider: this.provider, details: { requestSent: false, attempts: attempt - 1 } });
      let failure: TokenmintError;
      let definitelyNotProcessed = false;
      try {
        const response = await this.#attempt(request.method, url, request.headers, body, attempt, Math.min(this.#attemptTimeoutMs, remaining), remaining <= this.#attemptTimeoutMs, options.signal, what);
        const ok = options.successStatuses ? options.successStatuses.includes(response.status) : response.status >= 200 && response.status < 300;
        if (ok) return earlierMayHaveApplied ? { ...response, earlierAttemptMayHaveApplied: true } : response;
        failure = this.#errorFromResponse(response);
        // A 429 is a refusal before any processing (RFC 6585), so even unsafe operations may repeat it.
        definitelyNotProcessed = response.status === 429;
      } catch (error) {
        if (!(error instanceof TokenmintError)) throw error;
        failure = error;
        definitelyNotProcessed = error.details?.["requestSent"] === false;
      }
      if (failure.code === "aborted" || (failure.code === "invalid_response" && !failure.retryable)) throw failure;
      if (!definitelyNotProcessed) earlierMayHaveApplied = true;
      const maxAttempts = options.retry?.maxAttempts ?? this.#retry.maxAttempts;
      const mayRetry = failure.retryable && (options.retrySafe || definitelyNotProcessed) && attempt < maxAttempts;
      if (!mayRetry) throw failure;
      const policy = options.retry ? { ...this.#retry, ...options.retry } : this.#retry;
      let delay = backoffDelay(policy, attempt, this.#random);
      if (failure.retryAfterMs !== undefined) {
        if (failure.retryAfterMs > policy.maxRetryAfterMs) throw failure;
        delay = failure.retryAfterMs;
      }
      if (Date.now() + delay >= deadline) throw failure;
      this.#logger({ level: "debug", message: `retrying ${what} after ${failure.code}`, provider: this.provider, fields: { attempt, delayMs: delay } });
      await sleep(delay, options.signal, this.provider, what);
    }
  }

  async #attempt(method: string, url: URL, headers: Record<string, string> | undefined, body: Uint8Array | undefined, attempt: number, timeoutMs: number, deadlineBound: boolean, signal: AbortSignal | undefined, what: string): Promise<HttpResponse> {
    const prepared: PreparedRequest = { method: method.toUpperCase(), url, headers: lowerCaseHeaders(headers), body };
    if (prepared.headers["user-agent"] === undefined) prepared.headers["user-agent"] = this.#userAgent;
    if (body !== undefined && prepared.headers["content-length"] === undefined) prepared.headers["content-length"] = String(body.byteLength);
    if (this.#sign) await this.#sign(prepared, { attempt });
    // Building the redacted header copy costs more than the request's own bookkeeping: only for a real logger.
    if (this.#logger !== silentLogger) this.#logger({ level: "debug", message: `${what} attempt ${attempt}`, provider: this.provider, fields: { headers: redactHeaders(prepared.headers, this.#secretNames) } });

    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
    const started = Date.now();
    try {
      let response: Response;
      try {
        response = await fetch(url, {
          method: prepared.method,
          headers: prepared.headers,
          body: body === undefined ? null : body,
          signal: combined,
          // A signed request must never be replayed to another host: treat redirects as answers.
          redirect: "manual",
        });
      } catch (error) {
        throw this.#fetchError(error, signal, timer.signal, timeoutMs, deadlineBound, what);
      }
      let raw: Uint8Array;
      try {
        raw = await readLimitedBody(response, this.#maxResponseBytes, this.provider);
      } catch (error) {
        if (error instanceof TokenmintError) throw error;
        const failure = this.#fetchError(error, signal, timer.signal, timeoutMs, deadlineBound, what);
        // The status line arrived, so the request was processed; a cut body is an invalid answer.
        throw failure.code === "network" ? new TokenmintError("invalid_response", `${what}: the response body was cut off (status ${response.status})`, { provider: this.provider, status: response.status, retryable: true, cause: error }) : failure;
      }
      const requestId = this.#requestIdHeaders.map((h) => response.headers.get(h)).find((v): v is string => typeof v === "string" && v.length > 0);
      this.#logger({ level: "debug", message: `${what} -> ${response.status}`, provider: this.provider, fields: { ms: Date.now() - started, requestId } });
      return makeResponse(response.status, response.headers, raw, requestId, attempt, this.provider);
    } finally {
      clearTimeout(timeout);
    }
  }

  #fetchError(error: unknown, signal: AbortSignal | undefined, timerSignal: AbortSignal, timeoutMs: number, deadlineBound: boolean, what: string): TokenmintError {
    if (signal?.aborted) return abortedError(this.provider, what, signal.reason, true);
    if (timerSignal.aborted) {
      return new TokenmintError("timeout", deadlineBound ? `${what}: operation deadline passed while waiting for the answer` : `${what}: no answer within ${timeoutMs} ms`, {
        provider: this.provider,
        details: { requestSent: true },
        retryable: !deadlineBound,
      });
    }
    const code = socketErrorCode(error);
    const sent = code === undefined || !NOT_SENT_CODES.has(code);
    return new TokenmintError("network", `${what}: ${describeNetworkError(code)}`, {
      provider: this.provider,
      details: { requestSent: sent, ...(code ? { socketError: code } : {}) },
      cause: error,
    });
  }
}

function makeResponse(status: number, headers: Headers, body: Uint8Array, requestId: string | undefined, attempts: number, provider: string): HttpResponse {
  let text: string | undefined;
  return {
    status,
    headers,
    body,
    requestId,
    attempts,
    earlierAttemptMayHaveApplied: false,
    text() {
      // Made per response, not at import: the first TextDecoder loads Node's encoding module (~0.1 ms).
      text ??= new TextDecoder().decode(body);
      return text;
    },
    json() {
      try {
        return JSON.parse(this.text()) as unknown;
      } catch {
        const type = headers.get("content-type") ?? "no content type";
        throw new TokenmintError("invalid_response", `response body (status ${status}, ${type}) is not valid JSON`, { provider, status, requestId });
      }
    },
  };
}

function defaultError(provider: string, response: HttpResponse): TokenmintError {
  return new TokenmintError(codeForStatus(response.status), `provider answered HTTP ${response.status}`, {
    provider,
    status: response.status,
    requestId: response.requestId,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), Date.now()),
  });
}

function lowerCaseHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers) for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function socketErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let i = 0; i < 5 && current instanceof Error; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "ABORT_ERR") return code;
    current = current.cause;
  }
  return undefined;
}

function describeNetworkError(code: string | undefined): string {
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return "connection reset by the server";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host name could not be resolved";
    case undefined:
      return "network failure";
    default:
      return `network failure (${code})`;
  }
}

/** `requestSent`: whether the request may have reached the server before the abort (ambiguous for unsafe operations). */
function abortedError(provider: string, what: string, reason: unknown, requestSent = false): TokenmintError {
  return new TokenmintError("aborted", `${what}: aborted by the caller`, { provider, cause: reason, details: { requestSent } });
}

function throwIfAborted(signal: AbortSignal | undefined, provider: string, what: string): void {
  if (signal?.aborted) throw abortedError(provider, what, signal.reason);
}

function sleep(ms: number, signal: AbortSignal | undefined, provider: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(provider, what, signal.reason));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(provider, what, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
