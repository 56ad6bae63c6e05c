// Server-side check of a draft-cavage signature, for the emulators. Input comes from the network,
// so every failure is a returned reason, never an exception.
import type { KeyObject } from "node:crypto";
import { isTokenmintError } from "../errors.js";
import { checkSignature } from "./algorithms.js";
import { parseSignatureHeader } from "./parse.js";
import { buildSigningString, findHeader } from "./signing-string.js";
import type { ParsedSignature, SignableRequest } from "./types.js";

export interface VerifyHttpSignatureOptions {
  /** Components the signature must cover. Default `["(request-target)"]`. */
  requiredComponents?: readonly string[] | undefined;
  /** Largest accepted distance between the signer's clock and ours, seconds. Default 300 (OCI's 5 minutes). */
  maxSkewSec?: number | undefined;
  /** Clock in milliseconds, for tests. */
  now?: (() => number) | undefined;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

const DEFAULT_REQUIRED: readonly string[] = ["(request-target)"];
const TIME_COMPONENTS = ["date", "x-date", "(created)"];

function fail(reason: string): VerifyResult {
  return { ok: false, reason };
}

function checkFreshness(request: SignableRequest, parsed: ParsedSignature, nowMs: number, maxSkewSec: number): string | undefined {
  const covered = parsed.headers;
  // Without a signed time a captured request could be replayed forever.
  if (!TIME_COMPONENTS.some((c) => covered.includes(c))) return "signature covers no date, x-date or (created)";
  const maxSkewMs = maxSkewSec * 1000;
  for (const name of ["date", "x-date"]) {
    if (!covered.includes(name)) continue;
    const value = findHeader(request.headers, name);
    if (value === undefined) return `signed header ${name} is missing`;
    const time = Date.parse(value);
    if (Number.isNaN(time)) return `${name} header is not an HTTP date`;
    if (Math.abs(nowMs - time) > maxSkewMs) return `${name} header is more than ${maxSkewSec}s away from the server clock`;
  }
  if (covered.includes("(created)")) {
    if (parsed.created === undefined) return "(created) is signed but the created parameter is missing";
    if (Math.abs(nowMs - parsed.created * 1000) > maxSkewMs) return `created is more than ${maxSkewSec}s away from the server clock`;
  }
  if (covered.includes("(expires)") && parsed.expires === undefined) return "(expires) is signed but the expires parameter is missing";
  if (parsed.expires !== undefined && parsed.expires * 1000 < nowMs) return "signature expired";
  return undefined;
}

/**
 * Verifies a signed request against the signer's public key: required components covered, signed
 * time within `maxSkewSec`, `expires` not passed, and the signature itself (rsa-sha256: PKCS1-v1_5;
 * hs2019: ECDSA DER, or RSA-PSS / PKCS1-v1_5 for RSA keys). A header string is parsed first.
 *
 * @example
 * const result = verifyHttpSignature({ method, url, headers }, headers.authorization, publicKey);
 * if (!result.ok) return json(401, { code: "NotAuthenticated", message: result.reason });
 */
export function verifyHttpSignature(
  request: SignableRequest,
  parsed: ParsedSignature | string,
  publicKey: KeyObject,
  options: VerifyHttpSignatureOptions = {},
): VerifyResult {
  let signature: ParsedSignature;
  try {
    signature = typeof parsed === "string" ? parseSignatureHeader(parsed) : parsed;
  } catch (error) {
    return fail(isTokenmintError(error) ? error.message : "malformed HTTP signature");
  }
  for (const component of options.requiredComponents ?? DEFAULT_REQUIRED) {
    if (!signature.headers.includes(component.toLowerCase())) return fail(`signature does not cover ${component.toLowerCase()}`);
  }
  const stale = checkFreshness(request, signature, (options.now ?? Date.now)(), options.maxSkewSec ?? 300);
  if (stale !== undefined) return fail(stale);

  let signingString: string;
  try {
    // The raw parameter text, not the parsed number: `expires=1700000300.500` must be signed as sent.
    signingString = buildSigningString(request, signature.headers, { created: signature.params["created"], expires: signature.params["expires"] });
  } catch (error) {
    return fail(isTokenmintError(error) ? error.message : "cannot rebuild the signing string");
  }
  const bad = checkSignature(signature.algorithm, publicKey, signingString, signature.signature);
  return bad === undefined ? { ok: true } : fail(bad);
}
