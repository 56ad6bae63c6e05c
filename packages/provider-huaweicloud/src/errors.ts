// Reads Huawei Cloud error bodies for core's error mapper (which applies the spec's generated ERROR_MAP),
// then adds what the table cannot say: the 403's encoded authorization message and the token limit.
import { createErrorMapper, type ErrorMapper, type HttpResponse, type ProviderErrorBody, TokenmintError } from "@tokenmint/core";
import { ERROR_MAP } from "./generated/index.js";

const PROVIDER = "huaweicloud";

/** Key of the encoded denial reason in `TokenmintError.details` (the CLI prints it). */
export const ENCODED_MESSAGE_DETAIL = "encodedAuthorizationMessage";

const DECODE_HINT = "decode details.encodedAuthorizationMessage with STS decode-authorization-message (or give it to an administrator who may) to see which policy denied the call";

function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/**
 * Identity Center and API Gateway answer `{error_code, error_msg, request_id}`, plus
 * `encoded_authorization_message` on 403 (seed 001, API docs). Some Huawei services nest it as
 * `{error: {code, message}}`; read both. Anything else maps by HTTP status.
 */
export function extractHuaweiError(body: unknown): ProviderErrorBody | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const code = stringField(record, "error_code");
  const message = stringField(record, "error_msg");
  if (code !== undefined || message !== undefined) {
    const encoded = stringField(record, "encoded_authorization_message");
    return { code, message, requestId: stringField(record, "request_id"), details: encoded === undefined ? undefined : { [ENCODED_MESSAGE_DETAIL]: encoded } };
  }
  const nested = record["error"];
  if (nested !== null && typeof nested === "object" && !Array.isArray(nested)) {
    const inner = nested as Record<string, unknown>;
    const innerCode = stringField(inner, "code");
    const innerMessage = stringField(inner, "message");
    if (innerCode !== undefined || innerMessage !== undefined) return { code: innerCode, message: innerMessage, requestId: stringField(record, "request_id") };
  }
  return undefined;
}

/**
 * The number of tokens per tenant is limited, but Huawei documents neither the limit nor a dedicated
 * error code: a create refused with 400 whose message speaks of a limit is reported as quota_exceeded.
 */
const LIMIT_WORDS = /\b(limit|quota|maximum|exceed(s|ed)?|too many)\b/i;

function withChanges(error: TokenmintError, changes: { code?: TokenmintError["code"]; hint?: string | undefined }): TokenmintError {
  return new TokenmintError(changes.code ?? error.code, error.message, {
    provider: error.provider,
    status: error.status,
    providerCode: error.providerCode,
    requestId: error.requestId,
    retryable: changes.code === undefined ? error.retryable : undefined,
    hint: "hint" in changes ? changes.hint : error.hint,
    details: error.details,
    retryAfterMs: error.retryAfterMs,
    cause: error.cause,
  });
}

/** The provider's error mapper: the generated table, then the 403 and token-limit refinements. */
export function huaweiErrorMapper(): ErrorMapper {
  const base = createErrorMapper({ provider: PROVIDER, table: ERROR_MAP, extract: extractHuaweiError });
  return (response: HttpResponse) => {
    const error = base(response);
    if (typeof error.details?.[ENCODED_MESSAGE_DETAIL] === "string" && !(error.hint ?? "").includes("decode-authorization-message")) {
      return withChanges(error, { hint: error.hint === undefined ? DECODE_HINT : `${error.hint}; ${DECODE_HINT}` });
    }
    if (response.status === 400 && error.code === "invalid_request" && LIMIT_WORDS.test(error.message)) {
      return withChanges(error, { code: "quota_exceeded", hint: "the tenant has as many bearer tokens as it may: revoke unused ones (list, then revoke by id) and create again" });
    }
    return error;
  };
}
