import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../atomic-file.js";
import { TokenmintError } from "../errors.js";
import type { Token } from "../generated/types.js";
import { Secret } from "../secret.js";
import { deserializeToken, serializeToken } from "./serialize.js";
import type { TokenStore } from "./types.js";

export interface FileTokenStoreOptions {
  /** Path of the store file. It is created with mode 0600 (its directory 0700). */
  path: string;
  /**
   * 32-byte key (raw, or base64/hex text of 32 bytes) to encrypt values at rest with AES-256-GCM.
   * Without it, tokens are stored in clear, protected only by the file mode.
   */
  encryptionKey?: Uint8Array | Secret | undefined;
}

interface StoreFile {
  version: 1;
  entries: Record<string, unknown>;
}

/**
 * A token store in one JSON file: writes are atomic (temp file + fsync + rename) and 0600, so a
 * crash never leaves a torn file. Writes within this process are serialised; across processes the
 * last writer wins.
 */
export class FileTokenStore implements TokenStore {
  readonly path: string;
  readonly #key: Buffer | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: FileTokenStoreOptions) {
    this.path = options.path;
    this.#key = options.encryptionKey === undefined ? undefined : normaliseKey(options.encryptionKey);
  }

  async get(key: string): Promise<Token | undefined> {
    const file = await this.#read();
    const raw = file.entries[key];
    if (raw === undefined) return undefined;
    return deserializeToken(this.#open(raw), `${this.path} entry`);
  }

  set(key: string, token: Token): Promise<void> {
    return this.#update((file) => {
      file.entries[key] = this.#seal(serializeToken(token));
    });
  }

  delete(key: string): Promise<void> {
    return this.#update((file) => {
      delete file.entries[key];
    });
  }

  #update(change: (file: StoreFile) => void): Promise<void> {
    const run = this.#queue.then(async () => {
      const file = await this.#read();
      change(file);
      await writeFileAtomic(this.path, `${JSON.stringify(file)}\n`, { mode: 0o600 });
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  async #read(): Promise<StoreFile> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, entries: {} };
      throw new TokenmintError("configuration", `cannot read token store ${this.path}`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new TokenmintError("configuration", `token store ${this.path} is not valid JSON`);
    }
    if (typeof parsed !== "object" || parsed === null || (parsed as StoreFile).version !== 1 || typeof (parsed as StoreFile).entries !== "object") {
      throw new TokenmintError("configuration", `token store ${this.path} is not a tokenmint store (version 1)`);
    }
    return parsed as StoreFile;
  }

  #seal(value: Record<string, unknown>): unknown {
    if (this.#key === undefined) return value;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    return { alg: "A256GCM", iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
  }

  #open(raw: unknown): unknown {
    const sealed = raw as { alg?: unknown; iv?: unknown; tag?: unknown; data?: unknown };
    if (sealed.alg !== "A256GCM") {
      if (this.#key !== undefined) throw new TokenmintError("configuration", `token store ${this.path} holds an unencrypted entry but an encryption key was given`);
      return raw;
    }
    if (this.#key === undefined) throw new TokenmintError("configuration", `token store ${this.path} is encrypted; give its encryptionKey`);
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(String(sealed.iv), "base64"));
      decipher.setAuthTag(Buffer.from(String(sealed.tag), "base64"));
      const text = Buffer.concat([decipher.update(Buffer.from(String(sealed.data), "base64")), decipher.final()]).toString("utf8");
      return JSON.parse(text) as unknown;
    } catch {
      throw new TokenmintError("configuration", `token store ${this.path}: an entry cannot be decrypted with the given key`);
    }
  }
}

function normaliseKey(key: Uint8Array | Secret): Buffer {
  if (key instanceof Secret) {
    const text = key.reveal().trim();
    const decoded = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
    if (decoded.length === 32) return decoded;
    // Any other text: derive a key from it, so a passphrase from an environment variable works too.
    return createHash("sha256").update(text).digest();
  }
  if (key.byteLength !== 32) throw new TokenmintError("configuration", "encryptionKey must be 32 bytes for AES-256-GCM");
  return Buffer.from(key);
}
