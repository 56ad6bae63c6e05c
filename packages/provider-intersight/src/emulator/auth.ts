// Verifies Intersight API-key HTTP signatures as the service must: every signer generation in use
// is accepted (shared/reference/idcs-and-intersight.md part B), whatever `headers=` lists, as long
// as it covers (request-target), host, digest, and date or (created):
// 1. the official SDKs: `(request-target) (created) (expires) host date digest content-type user-agent`,
//    rsa-sha256 (RSA v2 keys) or hs2019 (EC v3 keys: DER ECDSA; RSA keys: PSS, or PKCS1-v1_5, SHA-256 or SHA-512);
// 2. the Terraform provider: the same without user-agent, 10-minute validity;
// 3. older samples (intersight_auth.py): `(request-target) date host content-type digest`, no created;
// and the Ansible collection's `(request-target) host date digest`.
// The Digest header must match the body (SHA-256, base64; the empty body included).
import { createPublicKey, type KeyObject } from "node:crypto";
import { type ParsedSignature, sha256Base64 } from "@tokenmint/core";
import { parseSignatureHeader, verifyHttpSignature } from "@tokenmint/core/emulator";
import type { EmulatorRequest } from "@tokenmint/core/emulator";

export interface ApiKeyEntry {
  readonly keyId: string;
  readonly publicKey: KeyObject;
  /** "v2" (RSA) or "v3" (EC), as Intersight labels its key versions. */
  readonly version: "v2" | "v3";
}

export type AuthResult = { readonly ok: true; readonly keyId: string } | { readonly ok: false; readonly reason: string };

const REQUIRED = ["(request-target)", "host", "digest"];

/**
 * A URL whose `pathname` and `search` are the request target exactly as received: the signer signed
 * the bytes it sent, and WHATWG parsing would re-encode some of them (a raw `'` becomes `%27`).
 * Own properties shadow URL's accessors, which is all the signing-string builder reads.
 */
function rawTargetUrl(base: URL, rawTarget: string): URL {
  const q = rawTarget.indexOf("?");
  const url = new URL(base.href);
  Object.defineProperties(url, {
    pathname: { value: q < 0 ? rawTarget : rawTarget.slice(0, q) },
    search: { value: q < 0 || q === rawTarget.length - 1 ? "" : rawTarget.slice(q) },
  });
  return url;
}

/** Checks `Digest: SHA-256=<base64>` (other algorithms may be listed alongside; SHA-256 must be there and match). */
function checkDigest(header: string | undefined, body: Buffer): string | undefined {
  if (header === undefined) return "the Digest header is missing";
  const entry = header
    .split(",")
    .map((p) => p.trim())
    .find((p) => p.toLowerCase().startsWith("sha-256="));
  if (entry === undefined) return "the Digest header has no SHA-256 value";
  if (entry.slice("sha-256=".length) !== sha256Base64(body)) return "the Digest header does not match the body";
  return undefined;
}

/** Verifies the request's signature against the registered API keys. Never throws. */
export function verifyRequest(request: EmulatorRequest, keys: ReadonlyMap<string, ApiKeyEntry>, maxSkewSec: number): AuthResult {
  const authorization = request.headers["authorization"];
  if (authorization === undefined) return { ok: false, reason: "the request is not signed (no Authorization header)" };
  if (!/^\s*signature\s/i.test(authorization)) return { ok: false, reason: "the Authorization scheme must be Signature" };
  let parsed: ParsedSignature;
  try {
    parsed = parseSignatureHeader(authorization);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : "malformed signature" };
  }
  const key = keys.get(parsed.keyId);
  if (key === undefined) return { ok: false, reason: "unknown API key id" };
  for (const name of REQUIRED) if (!parsed.headers.includes(name)) return { ok: false, reason: `the signature does not cover ${name}` };
  if (!parsed.headers.includes("date") && !parsed.headers.includes("(created)")) return { ok: false, reason: "the signature covers neither date nor (created)" };
  const badDigest = checkDigest(request.headers["digest"], request.body);
  if (badDigest !== undefined) return { ok: false, reason: badDigest };
  const result = verifyHttpSignature({ method: request.method, url: rawTargetUrl(request.url, request.rawUrl), headers: request.headers }, parsed, key.publicKey, {
    requiredComponents: REQUIRED,
    maxSkewSec,
    now: () => request.now(),
  });
  return result.ok ? { ok: true, keyId: parsed.keyId } : { ok: false, reason: result.reason };
}

/** The registry entry of a key pair's public half. */
export function apiKeyEntry(keyId: string, key: KeyObject): ApiKeyEntry {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  return { keyId, publicKey, version: publicKey.asymmetricKeyType === "ec" ? "v3" : "v2" };
}
