// The transport's sign hook: adds X-Sdk-Date, X-Security-Token (temporary credentials) and the
// SDK-HMAC-SHA256 Authorization header to every attempt (a fresh date each time).
import type { PreparedRequest, RequestSigner, Secret } from "@tokenmint/core";
import { createSigningKey, DATE_HEADER, formatSdkDate, SECURITY_TOKEN_HEADER, signRequest } from "./signer.js";

export interface SignerOptions {
  readonly accessKey: string;
  readonly secretKey: Secret;
  readonly securityToken?: Secret | undefined;
  readonly now?: (() => number) | undefined;
}

/**
 * Builds the sign hook. Signed headers: `host` (the SDKs always sign it), `x-sdk-date`, and
 * `x-security-token` when present, as the seed requires. Other headers (user-agent, content-length,
 * accept) are left unsigned: a proxy may rewrite them, and APIG verifies exactly the names listed in
 * SignedHeaders. `host` is signed but not set: fetch derives it from the URL, byte for byte the same.
 */
export function createRequestSigner(options: SignerOptions): RequestSigner {
  const key = createSigningKey(options.accessKey, options.secretKey.reveal());
  const token = options.securityToken;
  const now = options.now ?? Date.now;
  // X-Sdk-Date has a one-second resolution: format it once per second, not once per request.
  let second = Number.NaN;
  let formatted = "";
  return (request: PreparedRequest) => {
    const s = Math.floor(now() / 1000);
    if (s !== second) {
      second = s;
      formatted = formatSdkDate(new Date(s * 1000));
    }
    const date = formatted;
    request.headers[DATE_HEADER] = date;
    const signed: Record<string, string> = { host: request.url.host, [DATE_HEADER]: date };
    if (token !== undefined) {
      const value = token.reveal();
      request.headers[SECURITY_TOKEN_HEADER] = value;
      signed[SECURITY_TOKEN_HEADER] = value;
    }
    const { authorization } = signRequest({ method: request.method, path: request.url.pathname, query: request.url.search, headers: signed, body: request.body }, key);
    request.headers["authorization"] = authorization;
  };
}
