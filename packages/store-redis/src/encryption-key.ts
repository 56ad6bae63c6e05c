import { createHash, randomBytes } from "node:crypto";
import { Secret, TokenmintError } from "@tokenmint/core";

/** A 32-byte AES-256 key: raw bytes, or a {@link Secret} holding them as 64 hex digits or base64. */
export type EncryptionKeyInput = Uint8Array | Secret;

/** An AES-256-GCM key with its public id (a hash prefix that tells which key sealed an entry). */
export interface EncryptionKey {
  readonly bytes: Buffer;
  /** 4 bytes of SHA-256 over a label and the key: names the key in entries and messages, reveals nothing. */
  readonly id: Buffer;
}

/**
 * Reads a user-supplied key. Only exactly 32 bytes are accepted: a shared cache must not depend on a
 * passphrase that each process could derive differently.
 */
export function encryptionKey(input: EncryptionKeyInput, what = "encryptionKey"): EncryptionKey {
  let bytes: Buffer;
  if (input instanceof Secret) {
    const text = input.reveal().trim();
    bytes = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, "base64") : Buffer.alloc(0);
    if (bytes.length !== 32) {
      throw new TokenmintError("configuration", `${what} must be 32 bytes, given as 64 hex digits or as base64 (the text given is ${input.length} characters and is neither)`, {
        hint: "generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"",
      });
    }
  } else if (input instanceof Uint8Array) {
    if (input.byteLength !== 32) throw new TokenmintError("configuration", `${what} must be 32 bytes for AES-256-GCM (got ${input.byteLength})`);
    bytes = Buffer.from(input);
  } else {
    throw new TokenmintError("configuration", `${what} must be a Uint8Array of 32 bytes or a Secret holding them in hex or base64`);
  }
  const id = createHash("sha256").update("tokenmint store-redis key id\0").update(bytes).digest().subarray(0, 4);
  return { bytes, id };
}

/** A fresh random key as a {@link Secret} (base64), for set-up scripts and tests. */
export function generateEncryptionKey(): Secret {
  return new Secret(randomBytes(32).toString("base64"));
}
