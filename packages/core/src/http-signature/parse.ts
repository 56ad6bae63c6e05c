// Reads the parameters of a draft-cavage `Signature` header or `Authorization: Signature ...` value.
import { TokenmintError } from "../errors.js";
import type { ParsedSignature } from "./types.js";

// OCI session-token keyIds (`ST$<jwt>`) run to a few KB; anything far beyond that is not a signature.
const MAX_LENGTH = 64 * 1024;
const NAME = /[A-Za-z0-9_-]/;
const NUMBER = /^\d{1,12}(?:\.\d{1,9})?$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// The auth scheme, unless "signature" is the first parameter of a bare header (`signature="..."`).
const SCHEME = /^\s*signature\s+(?!=)/i;

function malformed(why: string): TokenmintError {
  // Messages name parameters, never values: keyId can be a session token.
  return new TokenmintError("invalid_request", `malformed HTTP signature: ${why}`);
}

function isSpace(ch: string | undefined): boolean {
  return ch === " " || ch === "\t";
}

function readParams(text: string, start: number): Map<string, string> {
  const params = new Map<string, string>();
  let i = start;
  for (;;) {
    while (isSpace(text[i]) || text[i] === ",") i++;
    if (i >= text.length) return params;
    const nameStart = i;
    while (i < text.length && NAME.test(text[i] as string)) i++;
    if (i === nameStart) throw malformed(`unexpected character at offset ${i}`);
    const name = text.slice(nameStart, i).toLowerCase();
    while (isSpace(text[i])) i++;
    if (text[i] !== "=") throw malformed(`parameter ${name} has no value`);
    i++;
    while (isSpace(text[i])) i++;
    let value = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        const ch = text[i];
        if (ch === undefined) throw malformed(`unterminated quoted value of ${name}`);
        i++;
        if (ch === '"') break;
        if (ch === "\\") {
          const next = text[i];
          if (next === undefined) throw malformed(`unterminated quoted value of ${name}`);
          value += next;
          i++;
        } else {
          value += ch;
        }
      }
    } else {
      const valueStart = i;
      while (i < text.length && text[i] !== "," && !isSpace(text[i])) i++;
      value = text.slice(valueStart, i);
      if (value.length === 0) throw malformed(`parameter ${name} has an empty value`);
    }
    while (isSpace(text[i])) i++;
    if (i < text.length && text[i] !== ",") throw malformed(`expected a comma after parameter ${name}`);
    if (params.has(name)) throw malformed(`parameter ${name} appears twice`);
    params.set(name, value);
  }
}

function readNumber(params: Map<string, string>, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  if (!NUMBER.test(raw)) throw malformed(`${name} is not a Unix time`);
  return Number(raw);
}

/**
 * Parses a `Signature` header (bare parameters) or an `Authorization` value with the `Signature`
 * scheme. Parameters may come in any order (the OCI Go SDK sends `headers=` before `keyId=`);
 * `created`/`expires` may be unquoted. Throws `invalid_request` when malformed.
 *
 * @example
 * parseSignatureHeader('Signature version="1",headers="date (request-target) host",keyId="t/u/f",algorithm="rsa-sha256",signature="..."');
 */
export function parseSignatureHeader(value: string): ParsedSignature {
  if (typeof value !== "string" || value.trim().length === 0) throw malformed("empty header");
  if (value.length > MAX_LENGTH) throw malformed("header too long");
  const scheme = SCHEME.exec(value);
  const params = readParams(value, scheme === null ? 0 : scheme[0].length);

  const keyId = params.get("keyid");
  if (keyId === undefined || keyId.length === 0) throw malformed("keyId is missing");
  const encoded = params.get("signature");
  if (encoded === undefined || encoded.length === 0) throw malformed("signature is missing");
  if (!BASE64.test(encoded)) throw malformed("signature is not base64");
  const signature = Buffer.from(encoded, "base64");
  if (signature.length === 0) throw malformed("signature is empty");

  // Draft-cavage before version 10 (which OCI follows) makes `date` the default covered header.
  const headers = (params.get("headers") ?? "date").split(/\s+/).filter((h) => h.length > 0).map((h) => h.toLowerCase());
  if (headers.length === 0) throw malformed("headers is empty");

  return {
    keyId,
    algorithm: (params.get("algorithm") ?? "hs2019").toLowerCase(),
    headers,
    signature,
    created: readNumber(params, "created"),
    expires: readNumber(params, "expires"),
    version: params.get("version"),
    params: Object.fromEntries(params),
  };
}
