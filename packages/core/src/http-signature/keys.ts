// Key loading and OCI-style fingerprints. Error messages describe what is wrong with a key, never
// its content, and carry no cause: OpenSSL's errors are not worth the risk of echoing key material.
import type { KeyObject } from "node:crypto";
import { TokenmintError } from "../errors.js";
import { nodeCrypto } from "../builtins.js";
import { revealSecret, type Secret } from "../secret.js";

const ENCRYPTED_PEM = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/;
const PUBLIC_PEM = /-----BEGIN (?:RSA )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/;

function describeFailure(pem: string, passphrase: string | undefined): string {
  if (!pem.includes("-----BEGIN ")) return "the private key is not PEM (no -----BEGIN line)";
  if (PUBLIC_PEM.test(pem)) return "a public key or certificate was given where a private key is needed";
  if (ENCRYPTED_PEM.test(pem)) {
    return passphrase === undefined ? "the private key is encrypted and no passphrase was given" : "the private key could not be decrypted: wrong passphrase";
  }
  return "the private key could not be parsed (unsupported or corrupt PEM)";
}

/**
 * Parses a PEM private key (PKCS#1, SEC1 or PKCS#8, encrypted or not) once, into a KeyObject.
 * Throws `configuration` for anything unusable.
 */
export function loadPrivateKey(pem: string | Secret, passphrase?: string | Secret): KeyObject {
  const text = revealSecret(pem);
  const pass = passphrase === undefined ? undefined : revealSecret(passphrase);
  try {
    return nodeCrypto().createPrivateKey(pass === undefined ? { key: text, format: "pem" } : { key: text, format: "pem", passphrase: pass });
  } catch {
    throw new TokenmintError("configuration", describeFailure(text, pass), { hint: "check the key file and its passphrase" });
  }
}

/** Accepts a KeyObject (which must be private) or PEM text. */
export function toPrivateKey(key: KeyObject | string | Secret, passphrase?: string | Secret): KeyObject {
  if (!(key instanceof nodeCrypto().KeyObject)) return loadPrivateKey(key, passphrase);
  if (key.type !== "private") throw new TokenmintError("configuration", `a ${key.type} key was given where a private key is needed`);
  return key;
}

/**
 * MD5 of the DER SubjectPublicKeyInfo as colon-separated lowercase hex: the fingerprint OCI shows
 * for an API key and expects in `keyId`. A private key is reduced to its public half first.
 *
 * @example
 * keyFingerprint(createPublicKey(pem)); // "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34"
 */
export function keyFingerprint(publicKey: KeyObject): string {
  const pub = publicKey.type === "private" ? nodeCrypto().createPublicKey(publicKey) : publicKey;
  if (pub.type !== "public") throw new TokenmintError("configuration", "a fingerprint needs an asymmetric key");
  const hex = nodeCrypto().createHash("md5").update(pub.export({ type: "spki", format: "der" })).digest("hex");
  return hex.match(/../g)?.join(":") ?? hex;
}
