// SDK-HMAC-SHA256 request signing (Huawei Cloud APIG AK/SK authentication), as small functions. The
// canonical request is in canonical.ts; this module adds the two hashes and the Authorization header.
//
//   StringToSign  = "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" + hex(sha256(CanonicalRequest))
//   Signature     = hex(hmac-sha256(key = SK as is, StringToSign))      (no date/region key derivation)
//   Authorization = "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>"
import type { KeyObject } from "node:crypto";
import { nodeCrypto } from "@tokenmint/core";
import { type CanonicalHeaders, canonicalHeaders, canonicalQuery, canonicalRequestText, canonicalUri, EMPTY_BODY_SHA256, type QueryParams } from "./canonical.js";

export const ALGORITHM = "SDK-HMAC-SHA256";
/** The date header every signed request carries (`YYYYMMDDTHHMMSSZ`, UTC). */
export const DATE_HEADER = "x-sdk-date";
/** A request may carry its own payload hash (e.g. `UNSIGNED-PAYLOAD`), used instead of hashing the body. */
export const CONTENT_SHA256_HEADER = "x-sdk-content-sha256";
/** Session token of temporary (STS) credentials: sent and signed. */
export const SECURITY_TOKEN_HEADER = "x-security-token";

/** The secret half of an AK/SK pair, prepared once for many signatures. */
export interface SigningKey {
  readonly accessKey: string;
  /** The SK as an HMAC key object: hashing never converts the string again and it never shows in logs. */
  readonly key: KeyObject;
}

/** Prepares a key for {@link signRequest}. `secretKey` is the SK exactly as issued (used raw, as UTF-8). */
export function createSigningKey(accessKey: string, secretKey: string): SigningKey {
  return { accessKey, key: nodeCrypto().createSecretKey(Buffer.from(secretKey, "utf8")) };
}

/** The parts of a request the signature covers. */
export interface SignableRequest {
  readonly method: string;
  /** The path as sent (percent-encoded), e.g. `/v1/identity-stores/d-123/tenant/t-1/bearer-token`. */
  readonly path: string;
  /** The raw query string (with or without "?"), or decoded parameters. */
  readonly query?: string | QueryParams | undefined;
  /**
   * Exactly the headers to sign (any case), `X-Sdk-Date` included; `host` too when it is to be signed
   * (the SDKs always sign it). A `X-Sdk-Content-Sha256` header replaces the body hash.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** The body bytes as sent; absent or empty for none. */
  readonly body?: string | Uint8Array | undefined;
}

export interface Signature {
  /** The `Authorization` header value. */
  readonly authorization: string;
  readonly signedHeaders: string;
  /** Lower-case hex HMAC-SHA256. */
  readonly signature: string;
}

function headerValue(headers: Readonly<Record<string, string>>, lowerName: string): string | undefined {
  const direct = headers[lowerName];
  if (direct !== undefined) return direct;
  for (const name in headers) if (name.toLowerCase() === lowerName) return headers[name];
  return undefined;
}

function bodyHash(declared: string | undefined, body: string | Uint8Array | undefined): string {
  if (declared !== undefined) return declared;
  if (body === undefined || body.length === 0) return EMPTY_BODY_SHA256;
  return nodeCrypto().createHash("sha256").update(body).digest("hex");
}

/** Hex SHA-256 of the body, or the `X-Sdk-Content-Sha256` value when the request carries one. */
export function payloadHash(headers: Readonly<Record<string, string>>, body: string | Uint8Array | undefined): string {
  return bodyHash(headerValue(headers, CONTENT_SHA256_HEADER), body);
}

function signedValue(headers: CanonicalHeaders, lowerName: string): string | undefined {
  const at = headers.names.indexOf(lowerName);
  return at < 0 ? undefined : headers.values[at];
}

function build(request: SignableRequest): { text: string; headers: CanonicalHeaders } {
  const headers = canonicalHeaders(request.headers);
  const text = canonicalRequestText(request.method.toUpperCase(), canonicalUri(request.path), canonicalQuery(request.query), headers, bodyHash(signedValue(headers, CONTENT_SHA256_HEADER), request.body));
  return { text, headers };
}

/** The canonical request text of a request (what is hashed into the string to sign). */
export function canonicalRequest(request: SignableRequest): { text: string; signedHeaders: string } {
  const { text, headers } = build(request);
  return { text, signedHeaders: headers.signedHeaders };
}

/** `SDK-HMAC-SHA256\n<date>\n<hex sha256(canonical request)>`. */
export function stringToSign(date: string, canonicalRequestText: string): string {
  return `${ALGORITHM}\n${date}\n${nodeCrypto().createHash("sha256").update(canonicalRequestText).digest("hex")}`;
}

/**
 * Signs a request. The `X-Sdk-Date` header must be among `request.headers` (see {@link formatSdkDate}).
 *
 * @example
 * const key = createSigningKey(ak, sk);
 * const headers = { host: "identitystore.cn-north-4.myhuaweicloud.com", "x-sdk-date": formatSdkDate(new Date()) };
 * const { authorization } = signRequest({ method: "GET", path: "/v1/...", headers }, key);
 */
export function signRequest(request: SignableRequest, key: SigningKey): Signature {
  const { text, headers } = build(request);
  const date = signedValue(headers, DATE_HEADER);
  if (date === undefined) throw new TypeError("the request to sign has no X-Sdk-Date header");
  const signature = nodeCrypto().createHmac("sha256", key.key).update(stringToSign(date, text)).digest("hex");
  const signedHeaders = headers.signedHeaders;
  return { authorization: `${ALGORITHM} Access=${key.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`, signedHeaders, signature };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `YYYYMMDDTHHMMSSZ` in UTC, the X-Sdk-Date format. */
export function formatSdkDate(date: Date): string {
  return `${date.getUTCFullYear()}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}T${pad2(date.getUTCHours())}${pad2(date.getUTCMinutes())}${pad2(date.getUTCSeconds())}Z`;
}

const SDK_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses an X-Sdk-Date value; undefined when it is not `YYYYMMDDTHHMMSSZ`. */
export function parseSdkDate(value: string): Date | undefined {
  const m = SDK_DATE.exec(value);
  if (m === null) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const d = new Date(ms);
  // Reject values Date.UTC silently rolls over (month 13, 25:00, ...).
  return formatSdkDate(d) === value ? d : undefined;
}

/** The fields of an `SDK-HMAC-SHA256` Authorization header. */
export interface ParsedAuthorization {
  readonly accessKey: string;
  /** Lower-case names, in the order given. */
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/**
 * Parses `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex` (separators: "," with optional
 * spaces, as the SDKs write ", "). Returns undefined for any other scheme or a malformed header.
 */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const trimmed = value.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) return undefined;
  const fields: Record<string, string> = {};
  for (const part of trimmed.slice(ALGORITHM.length + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return undefined;
    fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const accessKey = fields["Access"];
  const signed = fields["SignedHeaders"];
  const signature = fields["Signature"];
  if (!accessKey || !signed || !signature || !/^[0-9a-f]{64}$/.test(signature)) return undefined;
  return { accessKey, signedHeaders: signed.split(";").map((h) => h.toLowerCase()), signature };
}
