// What API Gateway does before a request reaches Identity Center: verify the SDK-HMAC-SHA256 signature.
// Failures answer 401 APIGW.0301 "Incorrect IAM authentication information: ..." with the messages
// Huawei's API Request Signing Guide lists ("verify aksk signature fail", "Get secretKey failed,
// ak:******,err:ak not exist"); the guide also says X-Sdk-Date must be within 15 minutes of the server's
// time, which is reported as a signature failure. Messages for a missing or wrong security token are
// this emulator's own wording (Huawei publishes none), under the same code.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { EmulatorRequest } from "@tokenmint/core/emulator";
import { canonicalHeaders, canonicalQuery, canonicalRequestText, canonicalUri } from "../canonical.js";
import { DATE_HEADER, parseAuthorization, parseSdkDate, payloadHash, SECURITY_TOKEN_HEADER, stringToSign } from "../signer.js";
import type { AccessKeyPair, AccessKeys } from "./accounts.js";

export const AUTH_ERROR_CODE = "APIGW.0301";
const PREFIX = "Incorrect IAM authentication information";
/** X-Sdk-Date may be this far from the server's clock (API Request Signing Guide FAQ). */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export type AuthResult = { readonly ok: true; readonly pair: AccessKeyPair } | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string };

function fail(detail: string): AuthResult {
  return { ok: false, status: 401, code: AUTH_ERROR_CODE, message: `${PREFIX}: ${detail}` };
}

/** The request target's path and query exactly as received (the URL parser would normalise them). */
function rawTarget(rawUrl: string): { path: string; query: string } {
  let target = rawUrl;
  if (!target.startsWith("/")) {
    // Absolute form (`GET http://host/path`), as a proxy would send.
    try {
      const u = new URL(target);
      return { path: u.pathname, query: u.search };
    } catch {
      return { path: "/", query: "" };
    }
  }
  const hash = target.indexOf("#");
  if (hash >= 0) target = target.slice(0, hash);
  const q = target.indexOf("?");
  return q < 0 ? { path: target, query: "" } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies a request's AK/SK signature the way APIG does: rebuilds the canonical request from the
 * headers listed in SignedHeaders, the path and query as received and the body bytes, and compares the
 * HMAC with the SK of the AK. A temporary AK also needs its security token, sent and signed.
 */
export function verifyRequest(request: EmulatorRequest, keys: AccessKeys, now: number, maxSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS): AuthResult {
  const header = request.headers["authorization"];
  if (header === undefined) return fail("the Authorization header is missing");
  const auth = parseAuthorization(header);
  if (auth === undefined) return fail("the Authorization header is not SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...");
  const date = request.headers[DATE_HEADER];
  if (date === undefined) return fail("x-sdk-date not found");
  const when = parseSdkDate(date);
  if (when === undefined) return fail("x-sdk-date is not YYYYMMDDTHHMMSSZ");
  if (!auth.signedHeaders.includes(DATE_HEADER)) return fail("verify aksk signature fail, x-sdk-date is not signed");
  const pair = keys.get(auth.accessKey);
  if (pair === undefined) return fail("Get secretKey failed,ak:******,err:ak not exist");
  if (pair.securityToken !== undefined) {
    const token = request.headers[SECURITY_TOKEN_HEADER];
    if (token === undefined) return fail("Get secretKey failed,ak:******,err:temporary credentials need the X-Security-Token header");
    if (!auth.signedHeaders.includes(SECURITY_TOKEN_HEADER)) return fail("verify aksk signature fail, X-Security-Token is not signed");
    if (!equalText(token, pair.securityToken)) return fail("Get secretKey failed,ak:******,err:the security token does not match the AK");
  }
  if (Math.abs(when.getTime() - now) > maxSkewMs) return fail("verify aksk signature fail, x-sdk-date is more than 15 minutes away from the server time");

  const signed: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return fail(`verify aksk signature fail, signed header ${name} is missing`);
    signed[name] = value;
  }
  const { path, query } = rawTarget(request.rawUrl);
  const text = canonicalRequestText(request.method, canonicalUri(path), canonicalQuery(query), canonicalHeaders(signed), payloadHash(request.headers, request.body));
  const expected = createHmac("sha256", pair.secretKey).update(stringToSign(date, text)).digest("hex");
  if (!equalText(expected, auth.signature)) return fail("verify aksk signature fail");
  return { ok: true, pair };
}
