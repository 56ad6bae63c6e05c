import { nodeCrypto } from "../builtins.js";

/**
 * Base64 SHA-256 of a body: OCI's `x-content-sha256` value and the part after `SHA-256=` of
 * Intersight's `Digest` header. An empty body hashes to `47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=`.
 */
export function sha256Base64(body: string | Uint8Array): string {
  return nodeCrypto().createHash("sha256").update(body).digest("base64");
}
