// Parses an Intersight API private key. v2 keys are RSA (PKCS#1 or PKCS#8 PEM), v3 keys are EC
// P-256. Some v3 key files are labelled "BEGIN EC PRIVATE KEY" while holding PKCS#8 content; the
// Ansible collection (module_utils/intersight.py, _fix_v3_key_format) relabels them and retries, and
// so do we.
import type { KeyObject } from "node:crypto";
import { nodeCrypto, type Secret, TokenmintError } from "@tokenmint/core";

/** What the signature header says about the key: `rsa-sha256` for RSA, `hs2019` for EC (as the SDKs send). */
export type SigningAlgorithm = "rsa-sha256" | "hs2019";

export interface ApiKey {
  readonly key: KeyObject;
  readonly type: "rsa" | "ec";
  readonly algorithm: SigningAlgorithm;
}

function parse(pem: string): KeyObject | undefined {
  try {
    return nodeCrypto().createPrivateKey({ key: pem, format: "pem" });
  } catch {
    return undefined;
  }
}

/** Parses the PEM private key; throws `configuration` (never showing the key) when it is unusable. */
export function parseApiKey(pem: Secret): ApiKey {
  const text = pem.reveal();
  const key = parse(text) ?? (text.includes("EC PRIVATE KEY") ? parse(text.replaceAll("-----BEGIN EC PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----").replaceAll("-----END EC PRIVATE KEY-----", "-----END PRIVATE KEY-----")) : undefined);
  if (key === undefined) {
    throw new TokenmintError("configuration", "the Intersight private key could not be parsed (expected an unencrypted PEM RSA or EC P-256 private key)", { provider: "intersight" });
  }
  if (key.asymmetricKeyType === "rsa") return { key, type: "rsa", algorithm: "rsa-sha256" };
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve !== "prime256v1") throw new TokenmintError("configuration", `the Intersight EC private key uses curve ${curve ?? "unknown"}; Intersight v3 keys are P-256 (prime256v1)`, { provider: "intersight" });
    return { key, type: "ec", algorithm: "hs2019" };
  }
  throw new TokenmintError("configuration", `the Intersight private key is of type ${key.asymmetricKeyType ?? "unknown"}; expected RSA (v2 keys) or EC P-256 (v3 keys)`, { provider: "intersight" });
}
