// The signature primitives behind each algorithm name, for signing and for verifying.
import type { KeyObject, SignKeyObjectInput, VerifyKeyObjectInput } from "node:crypto";
import { TokenmintError } from "../errors.js";
import { nodeCrypto } from "../builtins.js";
import type { HttpSignatureAlgorithm } from "./types.js";

type KeyFamily = "rsa" | "ec";

function keyFamily(key: KeyObject): KeyFamily | undefined {
  const type = key.asymmetricKeyType;
  if (type === "rsa" || type === "rsa-pss") return "rsa";
  if (type === "ec") return "ec";
  return undefined;
}

/** The algorithm to send: the requested one, or the usual one for the key (rsa-sha256 for RSA, hs2019 for EC). */
export function resolveAlgorithm(key: KeyObject, requested: HttpSignatureAlgorithm | undefined): HttpSignatureAlgorithm {
  const family = keyFamily(key);
  if (family === undefined) throw new TokenmintError("configuration", `HTTP signatures need an RSA or EC key, not ${key.asymmetricKeyType ?? "a symmetric key"}`);
  const algorithm = requested ?? (family === "rsa" ? "rsa-sha256" : "hs2019");
  if (algorithm !== "rsa-sha256" && algorithm !== "hs2019") throw new TokenmintError("configuration", `unsupported HTTP signature algorithm ${JSON.stringify(algorithm)}`);
  if (algorithm === "rsa-sha256" && family !== "rsa") throw new TokenmintError("configuration", "rsa-sha256 needs an RSA key; use hs2019 for EC keys");
  return algorithm;
}

/**
 * Returns a function signing a signing string into base64. Everything key-related is settled here,
 * once, so a signature costs the bare `crypto.sign` plus the base64.
 * - rsa-sha256: RSASSA-PKCS1-v1_5 with SHA-256 (OCI, Intersight v2 keys).
 * - hs2019 + EC: ECDSA with SHA-256, DER-encoded (Intersight v3 keys; the Python SDK signs with
 *   `DSS.new(key, mode, encoding='der')`, Go with `ecdsa.PrivateKey.Sign`, both ASN.1 DER).
 * - hs2019 + RSA: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a salt as long as the digest (32 bytes):
 *   the PyCryptodome default of `pss.new(key)` used by CiscoDevNet/intersight-python `signing.py`
 *   (`_sign_digest`). Go's `rsa.SignPSS(..., nil)` uses the longest salt instead; verifiers detect
 *   the salt length, so both verify.
 */
export function createSignFunction(key: KeyObject, algorithm: HttpSignatureAlgorithm): (signingString: string) => string {
  const { sign, constants } = nodeCrypto();
  if (algorithm === "rsa-sha256") return (data) => sign("sha256", Buffer.from(data), key).toString("base64");
  const input: SignKeyObjectInput =
    keyFamily(key) === "ec" ? { key, dsaEncoding: "der" } : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  return (data) => sign("sha256", Buffer.from(data), input).toString("base64");
}

interface Candidate {
  readonly hash: "sha256" | "sha512";
  /** RSA only: RSASSA-PKCS1-v1_5 or RSASSA-PSS. */
  readonly padding?: "pkcs1" | "pss";
}

const PKCS1_SHA256: readonly Candidate[] = [{ hash: "sha256", padding: "pkcs1" }];
// hs2019 leaves the scheme to the key. Some SDKs send PKCS1-v1_5 under hs2019, and intersight-go
// (signing.go, HttpSigningSchemeHs2019) hashes with SHA-512 unless told otherwise: accept all of them.
const HS2019_RSA: readonly Candidate[] = [
  { hash: "sha256", padding: "pss" },
  { hash: "sha256", padding: "pkcs1" },
  { hash: "sha512", padding: "pss" },
  { hash: "sha512", padding: "pkcs1" },
];
const HS2019_EC: readonly Candidate[] = [{ hash: "sha256" }, { hash: "sha512" }];

function candidates(algorithm: string, family: KeyFamily): readonly Candidate[] | string {
  if (algorithm === "rsa-sha256") return family === "rsa" ? PKCS1_SHA256 : "algorithm rsa-sha256 does not match the key (not RSA)";
  if (algorithm === "hs2019") return family === "rsa" ? HS2019_RSA : HS2019_EC;
  return `unsupported algorithm ${JSON.stringify(algorithm.slice(0, 32))}`;
}

/** Checks a signature; returns undefined when valid, else the reason. Never throws. */
export function checkSignature(algorithm: string, publicKey: KeyObject, signingString: string, signature: Buffer): string | undefined {
  const family = keyFamily(publicKey);
  if (family === undefined) return "the verification key is neither RSA nor EC";
  const list = candidates(algorithm, family);
  if (typeof list === "string") return list;
  const data = Buffer.from(signingString);
  const { verify, constants } = nodeCrypto();
  for (const candidate of list) {
    const input: VerifyKeyObjectInput =
      family === "ec"
        ? { key: publicKey, dsaEncoding: "der" }
        : candidate.padding === "pss"
          ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }
          : { key: publicKey, padding: constants.RSA_PKCS1_PADDING };
    try {
      if (verify(candidate.hash, data, input, signature)) return undefined;
    } catch {
      // A signature of the wrong length or encoding for this scheme: try the next one.
    }
  }
  return "signature does not verify";
}
