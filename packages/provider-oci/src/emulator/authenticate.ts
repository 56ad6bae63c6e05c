// Request authentication as OCI performs it (https://docs.oracle.com/iaas/Content/API/Concepts/signingrequests.htm):
// a `Signature` Authorization with version 1 and rsa-sha256, the required headers per method, body
// digest and length matching the body, a date within 5 minutes, and a signature that verifies against
// the key named by keyId (`<tenancy>/<user>/<fingerprint>` or `ST$<session token>`).
import type { KeyObject } from "node:crypto";
import { type ParsedSignature, sha256Base64 } from "@tokenmint/core";
import { parseSignatureHeader, verifyHttpSignature } from "@tokenmint/core/emulator";
import type { EmulatorRequest } from "@tokenmint/core/emulator";
import type { EmulatorIdentity } from "./identity.js";

/** Who signed a request. */
export interface Principal {
  readonly tenancy: string;
  readonly user: string;
  readonly kind: "api_key" | "session";
}

export type AuthResult = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly message: string };

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
/**
 * Components OCI requires (signingrequests.htm "Required headers"). `x-date` may stand in for `date`:
 * the TypeScript SDK signs x-date (oci-common lib/signer.js) and the docs allow it for clients that
 * cannot set Date.
 */
const REQUIRED_ALWAYS = ["(request-target)", "host"];
const REQUIRED_BODY = ["content-length", "content-type", "x-content-sha256"];

function fail(message: string): AuthResult {
  return { ok: false, message };
}

/** Checks a request's signature; the failure messages are what the emulator answers in 401 bodies. */
export function authenticate(request: EmulatorRequest, identity: EmulatorIdentity, maxSkewSec: number): AuthResult {
  const authorization = request.headers["authorization"];
  if (authorization === undefined) return fail("The required information to complete authentication was not provided.");
  let parsed: ParsedSignature;
  try {
    parsed = parseSignatureHeader(authorization);
  } catch {
    return fail("The Authorization header is not a valid OCI signature.");
  }
  if (!/^\s*signature\s/i.test(authorization)) return fail("The Authorization header must use the Signature scheme.");
  if (parsed.version !== undefined && parsed.version !== "1") return fail(`Unsupported signature version ${JSON.stringify(parsed.version.slice(0, 8))}.`);
  if (parsed.algorithm !== "rsa-sha256") return fail("The signature algorithm must be rsa-sha256.");

  const covered = parsed.headers;
  const required = [...REQUIRED_ALWAYS, ...(BODY_METHODS.has(request.method) ? REQUIRED_BODY : [])];
  if (!covered.includes("date") && !covered.includes("x-date")) return fail("The signature must cover the date or x-date header.");
  for (const name of required) if (!covered.includes(name)) return fail(`The signature must cover ${name} for ${request.method} requests.`);

  if (BODY_METHODS.has(request.method)) {
    const digest = request.headers["x-content-sha256"];
    if (digest === undefined || digest.trim() !== sha256Base64(request.body)) return fail("The x-content-sha256 header does not match the request body.");
    const length = request.headers["content-length"];
    if (length === undefined || Number(length.trim()) !== request.body.length) return fail("The content-length header does not match the request body.");
  }

  let publicKey: KeyObject;
  let principal: Principal;
  if (parsed.keyId.startsWith("ST$")) {
    const session = identity.sessions.get(parsed.keyId.slice(3));
    if (session === undefined) return fail("The session token is not valid.");
    if (session.expiresAt <= request.now()) return fail("The session token has expired.");
    publicKey = session.publicKey;
    principal = { tenancy: session.tenancy, user: session.user, kind: "session" };
  } else {
    const user = identity.users.get(parsed.keyId);
    // OCI does not say which part of the keyId is wrong.
    if (user === undefined) return fail("The keyId does not name a known API key (tenancy/user/fingerprint).");
    publicKey = user.publicKey;
    principal = { tenancy: user.tenancy, user: user.user, kind: "api_key" };
  }

  // The URL as the client signed it: the request target as received, under the Host it sent.
  const host = request.headers["host"] ?? request.url.host;
  const result = verifyHttpSignature({ method: request.method, url: new URL(request.rawUrl, `http://${host}`), headers: request.headers }, parsed, publicKey, {
    requiredComponents: required,
    maxSkewSec,
    now: request.now,
  });
  if (!result.ok) {
    if (/away from the server clock/.test(result.reason)) return fail(`The request date is more than ${maxSkewSec} seconds away from the server time; check the client clock.`);
    return fail("The signature could not be verified.");
  }
  return { ok: true, principal };
}
