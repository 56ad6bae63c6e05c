// Reads IDCS error bodies for core's error mapper (which applies the spec's generated ERROR_MAP).
import { createErrorMapper, type ErrorMapper, type ProviderErrorBody } from "@tokenmint/core";
import { ERROR_MAP } from "./generated/index.js";

const PROVIDER = "idcs";

function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/**
 * The token endpoint answers RFC 6749 section 5.2 bodies `{error, error_description, error_uri}`; the
 * admin endpoints (the JWKS) answer SCIM error bodies `{schemas, detail, status}` (RFC 7644 section 3.12)
 * whose Oracle extension carries a `messageId`. Anything else maps by HTTP status.
 */
export function extractIdcsError(body: unknown): ProviderErrorBody | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const error = stringField(record, "error");
  if (error !== undefined) {
    const uri = stringField(record, "error_uri");
    return { code: error, message: stringField(record, "error_description"), details: uri === undefined ? undefined : { errorUri: uri } };
  }
  const detail = stringField(record, "detail");
  if (detail !== undefined && Array.isArray(record["schemas"])) {
    const extension = record["urn:ietf:params:scim:api:oracle:idcs:extension:messages:Error"];
    const messageId = extension !== null && typeof extension === "object" ? stringField(extension as Record<string, unknown>, "messageId") : undefined;
    return { code: undefined, message: detail, details: messageId === undefined ? undefined : { messageId } };
  }
  return undefined;
}

export function idcsErrorMapper(): ErrorMapper {
  return createErrorMapper({ provider: PROVIDER, table: ERROR_MAP, extract: extractIdcsError });
}
