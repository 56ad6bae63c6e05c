// OCI error bodies -> canonical errors, through core's mapper and the table generated from specs/providers/oci.json.
import { createErrorMapper, type ErrorMapper, type HttpResponse, type ProviderErrorBody, TokenmintError } from "@tokenmint/core";
import { ERROR_MAP } from "./generated/index.js";

const PROVIDER = "oci";

/**
 * Every OCI service answers errors as `{"code": "...", "message": "..."}` with the request id in the
 * `opc-request-id` header (oci-common lib/helper.js: `if (body.code && body.message) throw new OciError(...)`).
 * Returns undefined for anything else.
 */
export function extractOciError(body: unknown): ProviderErrorBody | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const code = record["code"];
  const message = record["message"];
  if (typeof code !== "string" || code.length === 0 || typeof message !== "string") return undefined;
  return { code, message };
}

/**
 * The mapper for the transport. A 4xx answer (429 aside) whose body is not OCI's `{code, message}` -- an
 * HTML page from a proxy, an empty body, other JSON -- is `invalid_response`: it did not come from the
 * service as documented. 429 and 5xx keep their status meaning (retryable) whatever the body.
 */
export function ociErrorMapper(): ErrorMapper {
  const mapper = createErrorMapper({ provider: PROVIDER, table: ERROR_MAP, extract: extractOciError, unknownShape: "invalid_response" });
  return (response: HttpResponse) => {
    const error = mapper(response);
    if (error.providerCode === undefined && error.code !== "invalid_response" && response.status < 500 && response.status !== 429) {
      return new TokenmintError("invalid_response", `${error.message} instead of an OCI error body ({code, message})`, {
        provider: PROVIDER,
        status: response.status,
        requestId: error.requestId,
      });
    }
    return error;
  };
}
