import { codeForStatus, TokenmintError } from "../errors.js";
import { type ErrorMapping, matchErrorMapping } from "../spec-runtime.js";
import { parseRetryAfter } from "./retry.js";
import type { ErrorMapper, HttpResponse } from "./types.js";

/** What a provider's error body says, in the provider's own terms. */
export interface ProviderErrorBody {
  code?: string | undefined;
  message?: string | undefined;
  /** The request id when the provider puts it in the body rather than a header. */
  requestId?: string | undefined;
  /** Fields safe to show the user (never secrets), kept on the error's `details`. */
  details?: Record<string, unknown> | undefined;
}

export interface ErrorMapperOptions {
  provider: string;
  /** The provider's generated ERROR_MAP. */
  table: readonly ErrorMapping[];
  /** Reads the provider's error body; returns undefined when the body is not of the provider's shape. */
  extract: (body: unknown) => ProviderErrorBody | undefined;
  /**
   * What a JSON body of the wrong shape means. Default "status": the HTTP status decides.
   * "invalid_response" for providers whose every error body has a fixed shape (e.g. OCI).
   */
  unknownShape?: "status" | "invalid_response";
}

const MAX_MESSAGE = 300;

/**
 * Builds the function that turns a provider's non-success answer into its canonical error, from the
 * error table generated from the provider's spec. HTML pages and non-JSON bodies map by status.
 */
export function createErrorMapper(options: ErrorMapperOptions): ErrorMapper {
  return (response: HttpResponse) => {
    let body: unknown;
    let isJson = false;
    try {
      body = JSON.parse(response.text());
      isJson = true;
    } catch {
      body = undefined;
    }
    const extracted = isJson ? options.extract(body) : undefined;
    const requestId = response.requestId ?? extracted?.requestId;
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
    const base = { provider: options.provider, status: response.status, requestId, retryAfterMs };
    if (extracted === undefined) {
      if (isJson && options.unknownShape === "invalid_response" && response.status < 500 && response.status !== 429) {
        return new TokenmintError("invalid_response", `provider answered HTTP ${response.status} with an error body that is not of its documented shape`, base);
      }
      const kind = isJson ? "an unrecognised JSON body" : response.body.byteLength === 0 ? "an empty body" : `a non-JSON body (${response.headers.get("content-type") ?? "no content type"})`;
      const code = codeForStatus(response.status);
      return new TokenmintError(code, `provider answered HTTP ${response.status} with ${kind}`, base);
    }
    const rule = matchErrorMapping(options.table, response.status, extracted.code);
    const code = rule?.code ?? codeForStatus(response.status);
    const message = clip(extracted.message);
    const text = `${extracted.code ?? `HTTP ${response.status}`}${message ? `: ${message}` : ""}`;
    return new TokenmintError(code, `provider answered HTTP ${response.status} ${text}`, {
      ...base,
      providerCode: extracted.code,
      retryable: rule?.retryable,
      hint: rule?.hint,
      details: extracted.details,
    });
  };
}

function clip(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE)}...` : oneLine;
}
