// Intersight error bodies -> canonical errors, through core's mapper and the table generated from
// specs/providers/intersight.json.
import { createErrorMapper, type ErrorMapper, type ProviderErrorBody } from "@tokenmint/core";
import { ERROR_MAP } from "./generated/index.js";

/**
 * Reads Intersight's error body, `{"code", "message", "messageId", "messageParams", "traceId"}`
 * (e.g. `{"code":"NotFound","message":"Cannot execute the request. The request object '…' does not
 * exist.","messageId":"barcelona_request_object_does_not_exist","messageParams":{"1":"…"},"traceId":"…"}`).
 * Returns undefined for anything else (proxies' HTML pages, other JSON), which then maps by status.
 */
export function extractIntersightError(body: unknown): ProviderErrorBody | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const code = record["code"];
  const message = record["message"];
  if (typeof code !== "string" || code.length === 0 || (message !== undefined && typeof message !== "string")) return undefined;
  const details: Record<string, unknown> = {};
  if (typeof record["messageId"] === "string") details["messageId"] = record["messageId"];
  const params = record["messageParams"];
  if (params !== null && typeof params === "object" && !Array.isArray(params)) details["messageParams"] = params;
  return {
    code,
    message: message as string | undefined,
    requestId: typeof record["traceId"] === "string" && record["traceId"].length > 0 ? record["traceId"] : undefined,
    details: Object.keys(details).length > 0 ? details : undefined,
  };
}

/** The transport's error mapper for Intersight. 429 and 5xx stay retryable whatever the body says. */
export function intersightErrorMapper(): ErrorMapper {
  return createErrorMapper({ provider: "intersight", table: ERROR_MAP, extract: extractIntersightError });
}
