// Entry values: AES-256-GCM over the serialised token, bound to the Redis key it is stored under.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { type Token, TokenmintError } from "@tokenmint/core";
import { deserializeToken, serializeToken } from "@tokenmint/core/tokens";
import type { EncryptionKey } from "./encryption-key.js";

const VERSION = 1;
const HEADER = 1 + 4 + 12 + 16; // version, key id, IV, tag

/**
 * Seals a token: `version | key id | IV | tag | ciphertext`. The Redis key is the additional
 * authenticated data, so an entry copied under another key (another provider or request) fails to open.
 */
export function sealToken(token: Token, key: EncryptionKey, redisKey: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  cipher.setAAD(Buffer.from(redisKey, "utf8"));
  const data = Buffer.concat([cipher.update(JSON.stringify(serializeToken(token)), "utf8"), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), key.id, iv, cipher.getAuthTag(), data]);
}

/** Opens an entry with whichever of the keys sealed it; anything else is a `configuration` error naming the cause. */
export function openToken(sealed: Buffer, keys: readonly EncryptionKey[], redisKey: string): Token {
  if (sealed.length <= HEADER || sealed[0] !== VERSION) {
    throw new TokenmintError("configuration", `Redis entry ${redisKey} is not a tokenmint store-redis entry (version ${VERSION}); is another program using the key prefix?`);
  }
  const id = sealed.subarray(1, 5);
  const key = keys.find((k) => k.id.equals(id));
  if (key === undefined) {
    throw new TokenmintError("configuration", `Redis entry ${redisKey} was sealed with encryption key id ${id.toString("hex")}, which is not configured here (configured: ${keys.map((k) => k.id.toString("hex")).join(", ")})`, {
      hint: "give every process the same encryptionKey; while rotating keys, list the old one in previousEncryptionKeys",
    });
  }
  let text: string;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.bytes, sealed.subarray(5, 17));
    decipher.setAAD(Buffer.from(redisKey, "utf8"));
    decipher.setAuthTag(sealed.subarray(17, HEADER));
    text = Buffer.concat([decipher.update(sealed.subarray(HEADER)), decipher.final()]).toString("utf8");
  } catch {
    throw new TokenmintError("configuration", `Redis entry ${redisKey} failed authentication under encryption key id ${key.id.toString("hex")}: it was altered or moved from another key`);
  }
  return deserializeToken(JSON.parse(text) as unknown, `Redis entry ${redisKey}`);
}
