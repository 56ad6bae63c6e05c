// Validation of the ids that go into request paths (identity store, tenant, token), before any call.
import { TokenmintError } from "@tokenmint/core";

const PROVIDER = "huaweicloud";
/**
 * Unreserved characters only (RFC 3986 section 2.3). Real ids are `d-xxxxxxxxxx` identity store ids and
 * UUIDs. Anything else would need escaping, and the official SDKs disagree on how an escaped path is
 * signed (the Node SDK escapes `%` again, the Go SDK does not), so such an id could never be signed
 * reliably: it is refused before any call rather than sent.
 */
const SAFE_SEGMENT = /^[A-Za-z0-9._~-]+$/;
const MAX_ID_LENGTH = 128;

/** Checks one path id and returns it percent-encoded for the path (a no-op for valid ids, kept as a guard). */
export function pathId(name: string, value: unknown): string {
  if (typeof value !== "string") throw invalid(`${name} must be a string, got ${value === null ? "null" : typeof value}`);
  if (value.length === 0) throw invalid(`${name} is empty`);
  if (value.length > MAX_ID_LENGTH) throw invalid(`${name} is longer than ${MAX_ID_LENGTH} characters`);
  if (value === "." || value === ".." || !SAFE_SEGMENT.test(value)) {
    throw invalid(`${name} ${JSON.stringify(value)} is not a valid id`, "ids contain only letters, digits and - . _ ~ (e.g. d-1234567890 or a UUID)");
  }
  return encodeURIComponent(value);
}

function invalid(message: string, hint?: string): TokenmintError {
  return new TokenmintError("invalid_request", message, { provider: PROVIDER, hint });
}
