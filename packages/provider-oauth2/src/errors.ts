// RFC 6749 section 5.2 error bodies -> canonical errors, through the spec's error table (x-tokenmint.errors).
import { createErrorMapper, type ErrorMapper, type ProviderErrorBody } from "@tokenmint/core";
import { ERROR_MAP, PROVIDER_ID } from "./generated/index.js";

/**
 * Reads `{error, error_description, error_uri}` for core's error mapper, which applies the generated
 * ERROR_MAP. Bodies of another shape (a proxy's HTML page, a framework's JSON) map by HTTP status.
 */
export function extractOauth2Error(body: unknown): ProviderErrorBody | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const code = record["error"];
  if (typeof code !== "string" || code === "") return undefined;
  const description = record["error_description"];
  const uri = record["error_uri"];
  return { code, message: typeof description === "string" ? description : undefined, details: typeof uri === "string" ? { errorUri: uri } : undefined };
}

export function oauth2ErrorMapper(): ErrorMapper {
  return createErrorMapper({ provider: PROVIDER_ID, table: ERROR_MAP, extract: extractOauth2Error });
}
