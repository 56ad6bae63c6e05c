// The canonical request of Huawei Cloud's SDK-HMAC-SHA256 (APIG "AK/SK signing"), built from the parts of
// a request. Sources: @huaweicloud/huaweicloud-sdk-core@3.1.211 auth/AKSKSigner.js, huaweicloud-sdk-go-v3
// core/auth/signer/signer.go, the Python SDK's tests (shared/reference/oci-and-huaweicloud.md part B2).
// Kept free of crypto so the client, the emulator's verifier and the tests all build the same text.

/** SHA-256 of the empty string: the payload hash of a request without a body. */
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Characters RFC 3986 leaves unescaped (ALPHA / DIGIT / "-" / "." / "_" / "~") and "/" between segments. */
const PLAIN_PATH = /^[A-Za-z0-9\-._~/]*$/;
const NEEDS_MORE_ESCAPING = /[!'()*]/g;

/**
 * RFC 3986 percent-encoding of one path segment, query key or query value (UTF-8, upper-case hex,
 * only unreserved characters left as they are): what every official SDK's `urlEncode`/`escape` does.
 * Throws a URIError on a lone surrogate, as `encodeURIComponent` does.
 */
export function escapeRfc3986(value: string): string {
  // encodeURIComponent leaves !'()* unescaped; RFC 3986 reserves them.
  return encodeURIComponent(value).replace(NEEDS_MORE_ESCAPING, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeSegment(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    // A stray "%" is a literal percent sign: it is escaped to %25 below.
    return segment;
  }
}

/**
 * CanonicalURI: every segment of the path escaped, and the path always ends with "/"
 * (`/resources` -> `/resources/`). `path` is the path as sent on the wire (percent-encoded); each
 * segment is decoded first and escaped again, as the Go and Python SDKs do on the decoded path, so that
 * `%20`, `%2F` or a raw `é` sign the same way they are received.
 *
 * The Node SDK escapes the segments of `url.parse(endpoint).pathname` without decoding them first, so it
 * double-escapes a path that is already percent-encoded (`a%20b` -> `a%2520b`). For paths made of
 * unreserved characters, the only ones this provider's client sends (see ids.ts), every SDK agrees.
 */
export function canonicalUri(path: string): string {
  if (path === "") return "/";
  if (PLAIN_PATH.test(path)) return path.charCodeAt(path.length - 1) === 47 ? path : `${path}/`;
  const segments = path.split("/");
  let out = "";
  for (let i = 0; i < segments.length; i++) {
    if (i > 0) out += "/";
    out += escapeRfc3986(decodeSegment(segments[i]!));
  }
  return out.endsWith("/") ? out : `${out}/`;
}

/** Query parameters as the signer sees them: a value or the list of values of each key (decoded). */
export type QueryParams = Readonly<Record<string, string | readonly string[]>>;

/**
 * Parses a raw query string (with or without its "?") the way Go's `url.Query()` and WHATWG
 * `URLSearchParams` do: `+` is a space, percent-escapes are decoded.
 */
export function parseQuery(search: string): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const raw = search.startsWith("?") ? search.slice(1) : search;
  if (raw === "") return out;
  for (const [key, value] of new URLSearchParams(raw)) {
    const list = out[key];
    if (list === undefined) out[key] = [value];
    else list.push(value);
  }
  return out;
}

/**
 * CanonicalQueryString: keys sorted (UTF-16 code unit order, as the Node SDK's `keys.sort()`), each value
 * of a repeated key sorted too and repeated, keys and values RFC 3986-escaped (`%20`, never `+`), joined
 * with "&". The published example: `enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&...`.
 */
export function canonicalQuery(query: QueryParams | string | undefined): string {
  if (query === undefined) return "";
  const params = typeof query === "string" ? parseQuery(query) : query;
  const keys = Object.keys(params).sort();
  let out = "";
  for (const key of keys) {
    const value = params[key]!;
    const escapedKey = escapeRfc3986(key);
    const values = typeof value === "string" ? [value] : [...value].sort();
    for (const v of values) {
      if (out !== "") out += "&";
      out += `${escapedKey}=${escapeRfc3986(v)}`;
    }
  }
  return out;
}

/** The signed headers of a request: lower-case names in sorted order with their trimmed values. */
export interface CanonicalHeaders {
  /** `name:value\n` for each header, the block ending with "\n". */
  readonly block: string;
  /** `;`-joined lower-case names. */
  readonly signedHeaders: string;
  /** Lower-case names, sorted. */
  readonly names: readonly string[];
  /** Trimmed values, in the order of `names`. */
  readonly values: readonly string[];
}

/**
 * CanonicalHeaders and SignedHeaders from the headers to sign. Names are lower-cased and sorted by code
 * unit; values are trimmed, as the Go (`strings.TrimSpace`) and Python (`strip()`) signers do. The Node
 * SDK does not trim, so it signs differently only for values with outer white space, which this
 * provider never sends. When two names differ only in case, the last one wins.
 */
export function canonicalHeaders(headers: Readonly<Record<string, string>>): CanonicalHeaders {
  const names: string[] = [];
  const values: string[] = [];
  // A handful of headers (2-5 for this provider): linear de-duplication and an insertion sort beat a
  // dictionary and Array#sort's setup cost.
  for (const name in headers) {
    const lower = name.toLowerCase();
    const value = headers[name]!.trim();
    let at = names.indexOf(lower);
    if (at >= 0) {
      values[at] = value;
      continue;
    }
    at = names.length;
    while (at > 0 && names[at - 1]! > lower) {
      names[at] = names[at - 1]!;
      values[at] = values[at - 1]!;
      at--;
    }
    names[at] = lower;
    values[at] = value;
  }
  let block = "";
  let signed = "";
  for (let i = 0; i < names.length; i++) {
    block += `${names[i]!}:${values[i]!}\n`;
    signed += i === 0 ? names[i]! : `;${names[i]!}`;
  }
  return { block, signedHeaders: signed, names, values };
}

/** The full canonical request text: method, URI, query, headers, signed header names, payload hash. */
export function canonicalRequestText(method: string, uri: string, query: string, headers: CanonicalHeaders, payloadHash: string): string {
  return `${method}\n${uri}\n${query}\n${headers.block}\n${headers.signedHeaders}\n${payloadHash}`;
}
