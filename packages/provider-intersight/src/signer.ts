// Signs each request as the official Intersight SDKs do (CiscoDevNet intersight-python signing.py,
// intersight-go, intersight-powershell), through core's draft-cavage signer:
//   Authorization: Signature keyId="…",algorithm="rsa-sha256"|"hs2019",created=…,expires=…,
//     headers="(request-target) (created) (expires) host date digest content-type user-agent",signature="…"
// with `Digest: SHA-256=<base64 of SHA-256 of the body>` (the empty body included) and
// `Content-Type: application/json` on every request, GET and DELETE too, as the SDKs send it.
// RSA keys sign with RSASSA-PKCS1-v1_5/SHA-256 (`rsa-sha256`), EC P-256 keys with DER ECDSA/SHA-256
// (`hs2019`). The signer runs on every attempt, so retried requests get fresh dates.
import type { KeyObject } from "node:crypto";
import { createHttpSigner, type HttpSigner, type PreparedRequest, type RequestSigner, sha256Base64 } from "@tokenmint/core";

export interface IntersightSignerOptions {
  readonly keyId: string;
  readonly key: KeyObject;
  readonly algorithm: "rsa-sha256" | "hs2019";
  readonly signedHeaders: readonly string[];
  readonly validitySeconds: number;
  /** Clock in ms, for tests of stale signatures. */
  readonly now?: (() => number) | undefined;
}

/** The transport's sign hook for Intersight API keys. */
export function createIntersightSigner(options: IntersightSignerOptions): { sign: RequestSigner; signer: HttpSigner } {
  const now = options.now ?? Date.now;
  const signer = createHttpSigner({
    keyId: options.keyId,
    privateKey: options.key,
    algorithm: options.algorithm,
    components: options.signedHeaders,
    style: "cavage",
    validitySec: options.validitySeconds,
    now,
  });
  const sign: RequestSigner = (request: PreparedRequest) => {
    const headers = request.headers;
    headers["date"] = new Date(now()).toUTCString();
    headers["digest"] = `SHA-256=${sha256Base64(request.body ?? EMPTY)}`;
    headers["content-type"] ??= "application/json";
    headers["accept"] ??= "application/json";
    headers["authorization"] = signer.sign({ method: request.method, url: request.url, headers });
  };
  return { sign, signer };
}

const EMPTY = new Uint8Array(0);
