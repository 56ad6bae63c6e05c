// The `publicKey` of GenerateScopedAccessTokenDetails. Oracle's own clients send three spellings of an
// RSA SubjectPublicKeyInfo (shared/reference part A2), so the service accepts all three:
//   - PEM with line breaks: oci-cli `iam db-token get` (the file oci_db_key_public.pem, verbatim) and
//     python-oracledb's token plugin;
//   - PEM without line breaks: the Terraform example examples/identity_data_plane/scopedaccesstoken.tf;
//   - bare base64 DER: ojdbc-extensions AccessTokenFactory (`Base64.getEncoder().encodeToString(publicKey.getEncoded())`).
// Anything else is refused here, before a request is signed.
import type { KeyObject } from "node:crypto";
import { nodeCrypto, TokenmintError } from "@tokenmint/core";

export type PublicKeyFormat = "pem" | "pem-single-line" | "base64-der";

export interface CheckedPublicKey {
  /** What is sent: the caller's text, trimmed, in the caller's spelling. */
  readonly wire: string;
  readonly format: PublicKeyFormat;
  readonly key: KeyObject;
  /** RSA modulus size. */
  readonly bits: number;
}

/** Smallest RSA key accepted: what oci-cli and ojdbc generate (2048); smaller keys are breakable. */
export const MIN_RSA_BITS = 2048;
const MAX_KEY_TEXT = 16 * 1024;
const PEM = /^-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function refuse(why: string): TokenmintError {
  return new TokenmintError("invalid_request", `publicKey ${why}`, {
    provider: "oci",
    hint: "give an RSA public key (2048 bits or more) as PEM (-----BEGIN PUBLIC KEY-----, with or without line breaks) or as bare base64 DER SubjectPublicKeyInfo, or omit it to have a key pair generated",
  });
}

/** Decodes the DER inside any of the three spellings, or says why not. */
function derOf(text: string): { der: Buffer; format: PublicKeyFormat } {
  if (text.startsWith("-----BEGIN ")) {
    if (/^-----BEGIN (?:RSA |ENCRYPTED |EC )?PRIVATE KEY-----/.test(text)) throw refuse("is a private key: send only the public half");
    if (text.startsWith("-----BEGIN RSA PUBLIC KEY-----")) throw refuse("is a PKCS#1 RSA PUBLIC KEY: convert it to SubjectPublicKeyInfo (-----BEGIN PUBLIC KEY-----)");
    if (text.startsWith("-----BEGIN CERTIFICATE-----")) throw refuse("is a certificate: send its public key");
    const m = PEM.exec(text);
    if (m === null) throw refuse("is not a PEM public key (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
    const body = m[1]!.replace(/\s+/g, "");
    if (!BASE64.test(body)) throw refuse("has a PEM body that is not base64");
    return { der: Buffer.from(body, "base64"), format: /[\r\n]/.test(text) ? "pem" : "pem-single-line" };
  }
  if (!BASE64.test(text)) throw refuse("is neither PEM nor base64 DER");
  return { der: Buffer.from(text, "base64"), format: "base64-der" };
}

/**
 * Checks a caller's public key and returns what to send. Throws `invalid_request` naming the problem.
 *
 * @example
 * checkPublicKey(readFileSync("oci_db_key_public.pem", "utf8")).format; // "pem"
 */
export function checkPublicKey(input: unknown): CheckedPublicKey {
  if (typeof input !== "string") throw refuse("must be a string");
  const text = input.trim();
  if (text.length === 0) throw refuse("is empty");
  if (text.length > MAX_KEY_TEXT) throw refuse(`is longer than ${MAX_KEY_TEXT} characters`);
  const { der, format } = derOf(text);
  let key: KeyObject;
  try {
    key = nodeCrypto().createPublicKey({ key: der, format: "der", type: "spki" });
  } catch {
    throw refuse("does not decode to a SubjectPublicKeyInfo");
  }
  if (key.asymmetricKeyType !== "rsa") throw refuse(`is a ${key.asymmetricKeyType ?? "non-RSA"} key; database tokens need an RSA key`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) throw refuse(`is a ${bits}-bit RSA key; use ${MIN_RSA_BITS} bits or more`);
  return { wire: text, format, key, bits };
}

/** PEM SubjectPublicKeyInfo with line breaks, the spelling oci-cli sends. */
export function toPublicKeyPem(key: KeyObject): string {
  return key.export({ type: "spki", format: "pem" }).toString();
}
