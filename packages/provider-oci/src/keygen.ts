// The temporary key pair of a database token, made off the main thread: `generateKeyPairSync` for
// RSA-2048 blocks the event loop for ~170 ms here, the async form runs in libuv's thread pool.
import { nodeCrypto, Secret, TokenmintError } from "@tokenmint/core";

export interface DbKeyPair {
  /** PEM SubjectPublicKeyInfo with line breaks (what oci-cli sends). */
  readonly publicKeyPem: string;
  /** PKCS#8 PEM, unencrypted: the database client needs it for proof of possession. */
  readonly privateKeyPem: Secret;
}

/** RSA-2048, like ojdbc-extensions (KeyPairGenerator "RSA" default) and oci-cli. */
export const DEFAULT_KEY_BITS = 2048;

/**
 * Generates an RSA key pair without blocking the event loop. An abort stops waiting (the thread-pool
 * job itself cannot be cancelled and its result is dropped).
 */
export function generateDbKeyPair(options: { bits?: number; signal?: AbortSignal | undefined } = {}): Promise<DbKeyPair> {
  const bits = options.bits ?? DEFAULT_KEY_BITS;
  if (!Number.isInteger(bits) || bits < 2048 || bits > 8192) return Promise.reject(new TokenmintError("configuration", "keyBits must be a whole number from 2048 to 8192", { provider: "oci" }));
  const signal = options.signal;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(signal.reason));
    const onAbort = () => reject(aborted(signal?.reason));
    signal?.addEventListener("abort", onAbort, { once: true });
    nodeCrypto().generateKeyPair(
      "rsa",
      { modulusLength: bits, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } },
      (error, publicKey, privateKey) => {
        signal?.removeEventListener("abort", onAbort);
        if (error) return reject(new TokenmintError("configuration", "could not generate an RSA key pair", { provider: "oci", cause: error }));
        resolve({ publicKeyPem: publicKey, privateKeyPem: new Secret(privateKey) });
      },
    );
  });
}

function aborted(reason: unknown): TokenmintError {
  return new TokenmintError("aborted", "generating the key pair: aborted by the caller", { provider: "oci", cause: reason });
}
