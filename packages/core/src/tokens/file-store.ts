import type { FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { TokenmintError } from "../errors.js";
import type { Token } from "../generated/types.js";
import { Secret } from "../secret.js";
import { removeStaleTempFiles, STALE_TEMP_MIN_AGE_MS, tempPathFor } from "../atomic-file.js";
import { DEFAULT_LOCK_TTL_MS, DEFAULT_LOCK_WAIT_MS, type HeldFileLock, withFileLock } from "./file-lock.js";
import { deserializeToken, serializeToken } from "./serialize.js";
import type { CallOptions, TokenStore } from "./types.js";
import { nodeCrypto, nodeFs } from "../builtins.js";

export interface FileTokenStoreOptions {
  /** Path of the store file. It is created with mode 0600 (its directory 0700). */
  path: string;
  /**
   * 32-byte key (raw, or base64/hex text of 32 bytes) to encrypt values at rest with AES-256-GCM.
   * Without it, tokens are stored in clear, protected only by the file mode.
   */
  encryptionKey?: Uint8Array | Secret | undefined;
  /**
   * A lock stays valid this long unless its holder renews it (every third of it). On this machine a
   * holder that died is noticed at once (its pid is gone); this bounds the wait when that cannot be
   * told (another host sharing the directory, a reused pid). Default 30 s.
   */
  lockTtlMs?: number | undefined;
  /** Longest wait for a lock before `timeout`. Default 60 s. */
  lockWaitMs?: number | undefined;
}

interface StoreFile {
  version: 1;
  entries: Record<string, unknown>;
}

/** The last version of the file this instance read: reused while the file is unchanged on disk. */
interface Snapshot {
  readonly stamp: string;
  readonly file: StoreFile;
  readonly tokens: Map<string, Token>;
}

const LOCK_LOST = Symbol("lock lost");

/**
 * A token store in one JSON file that several processes can share.
 *
 * - Reads take no lock: every write replaces the file by rename, so a reader sees a whole version.
 *   An unchanged file (same inode, size and times) is not read again.
 * - Writes take the store's lock file (`<path>.lock`: owner pid, host, expiry), read the file after
 *   the lock is held, write a temporary file (0600, fsync) and rename it over the store, after
 *   checking the lock is still theirs. A process killed at any point leaves the old file or the new
 *   one, never a torn or empty one; its lock is taken over and its temporary files swept.
 * - {@link withLock} gives the token manager one lock per key (`<path>.key-<hash>.lock`), so that N
 *   processes on a cold store make one upstream call.
 */
export class FileTokenStore implements TokenStore {
  readonly path: string;
  readonly #key: Buffer | undefined;
  readonly #lockTtlMs: number;
  readonly #lockWaitMs: number;
  #snapshot: Snapshot | undefined;

  constructor(options: FileTokenStoreOptions) {
    if (typeof options?.path !== "string" || options.path === "") throw new TokenmintError("configuration", "FileTokenStore needs a path");
    this.path = options.path;
    this.#key = options.encryptionKey === undefined ? undefined : normaliseKey(options.encryptionKey);
    this.#lockTtlMs = positive(options.lockTtlMs, DEFAULT_LOCK_TTL_MS, "lockTtlMs");
    this.#lockWaitMs = positive(options.lockWaitMs, DEFAULT_LOCK_WAIT_MS, "lockWaitMs");
  }

  async get(key: string): Promise<Token | undefined> {
    const snapshot = await this.#current();
    const cached = snapshot.tokens.get(key);
    if (cached !== undefined) return cached;
    const raw = snapshot.file.entries[key];
    if (raw === undefined) return undefined;
    const token = deserializeToken(this.#open(raw), `${this.path} entry`);
    snapshot.tokens.set(key, token);
    return token;
  }

  set(key: string, token: Token, options?: CallOptions): Promise<void> {
    const sealed = this.#seal(serializeToken(token));
    return this.#update((file) => {
      file.entries[key] = sealed;
      return true;
    }, options).then(() => undefined);
  }

  delete(key: string, options?: CallOptions): Promise<void> {
    return this.#update((file) => {
      if (!(key in file.entries)) return false;
      delete file.entries[key];
      return true;
    }, options).then(() => undefined);
  }

  /** Runs `refresh` holding this key's lock, shared with every process using this file. */
  withLock<T>(key: string, refresh: () => Promise<T>, options?: CallOptions): Promise<T> {
    const hash = nodeCrypto().createHash("sha256").update(key).digest("hex").slice(0, 16);
    return withFileLock(
      `${this.path}.key-${hash}.lock`,
      async (lock) => {
        if (lock.tookOver) await this.#sweep();
        return refresh();
      },
      this.#lockOptions(options),
    );
  }

  /** Keys of the stored entries (no values are decrypted). */
  async keys(): Promise<string[]> {
    return Object.keys((await this.#current()).file.entries);
  }

  /** Deletes the entries whose token matches; entries that cannot be read are kept. Returns how many went. */
  async deleteWhere(predicate: (token: Token, key: string) => boolean, options?: CallOptions): Promise<number> {
    let removed = 0;
    await this.#update((file) => {
      removed = 0;
      for (const [key, raw] of Object.entries(file.entries)) {
        let token: Token;
        try {
          token = deserializeToken(this.#open(raw), `${this.path} entry`);
        } catch {
          continue;
        }
        if (predicate(token, key)) {
          delete file.entries[key];
          removed++;
        }
      }
      return removed > 0;
    }, options);
    return removed;
  }

  /** Removes every entry. Returns how many there were. */
  async clear(options?: CallOptions): Promise<number> {
    let removed = 0;
    await this.#update((file) => {
      removed = Object.keys(file.entries).length;
      file.entries = {};
      return removed > 0;
    }, options);
    return removed;
  }

  #lockOptions(options: CallOptions | undefined) {
    return { ttlMs: this.#lockTtlMs, waitMs: this.#lockWaitMs, signal: options?.signal, deadline: options?.deadline };
  }

  /** Read-modify-write under the store's lock; `change` returns whether anything changed. */
  async #update(change: (file: StoreFile) => boolean, options: CallOptions | undefined): Promise<void> {
    // A holder whose lock expired and was taken over while it worked starts again from a fresh read.
    for (let attempt = 0; ; attempt++) {
      const outcome = await withFileLock(`${this.path}.lock`, (lock) => this.#writeLocked(lock, change), this.#lockOptions(options));
      if (outcome !== LOCK_LOST) return;
      if (attempt >= 2) throw new TokenmintError("timeout", `token store ${this.path}: the lock was taken over three times while writing (is the machine overloaded?)`, { retryable: true });
    }
  }

  async #writeLocked(lock: HeldFileLock, change: (file: StoreFile) => boolean): Promise<typeof LOCK_LOST | undefined> {
    if (lock.tookOver) await this.#sweep();
    const snapshot = await this.#current(); // read after lock: another process may have written
    const file: StoreFile = { version: 1, entries: { ...snapshot.file.entries } };
    if (!change(file)) return undefined;
    const dir = dirname(this.path);
    await nodeFs().mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = tempPathFor(this.path);
    try {
      await writeSynced(tmp, `${JSON.stringify(file)}\n`);
      if (!(await lock.stillHeld())) return LOCK_LOST;
      await nodeFs().rename(tmp, this.path);
    } finally {
      await nodeFs().rm(tmp, { force: true }).catch(() => {});
    }
    this.#snapshot = undefined; // the next read stats the new file
    return undefined;
  }

  /** The file as it is now on disk, reusing the last read while the file is unchanged. */
  async #current(): Promise<Snapshot> {
    const stamp = await fileStamp(this.path);
    if (this.#snapshot !== undefined && this.#snapshot.stamp === stamp) return this.#snapshot;
    if (stamp === "missing") {
      this.#snapshot = { stamp, file: { version: 1, entries: {} }, tokens: new Map() };
      return this.#snapshot;
    }
    let handle: FileHandle;
    try {
      handle = await nodeFs().open(this.path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { stamp: "missing", file: { version: 1, entries: {} }, tokens: new Map() };
      throw new TokenmintError("configuration", `cannot read token store ${this.path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`, { cause: error });
    }
    let text: string;
    let readStamp: string;
    try {
      // The stamp of the very inode read, so a rename between stat and open is never cached as current.
      readStamp = stampOf(await handle.stat({ bigint: true }));
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
    const snapshot: Snapshot = { stamp: readStamp, file: this.#parse(text), tokens: new Map() };
    this.#snapshot = snapshot;
    return snapshot;
  }

  #parse(text: string): StoreFile {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new TokenmintError("configuration", `token store ${this.path} is not valid JSON (delete it: it is only a cache)`);
    }
    if (typeof parsed !== "object" || parsed === null || (parsed as StoreFile).version !== 1 || typeof (parsed as StoreFile).entries !== "object" || (parsed as StoreFile).entries === null) {
      throw new TokenmintError("configuration", `token store ${this.path} is not a tokenmint store (version 1)`);
    }
    return parsed as StoreFile;
  }

  /** Removes temporary files of writers that died (killed between writing and renaming). */
  async #sweep(): Promise<void> {
    // A writer holds its temporary file for milliseconds, and never past its lock's expiry: older than
    // that, or a few seconds old with its process gone, it is a leftover. (The pid test alone would
    // misjudge a writer on another machine sharing the directory.)
    await removeStaleTempFiles(this.path, { minAgeMs: Math.min(STALE_TEMP_MIN_AGE_MS, this.#lockTtlMs), maxAgeMs: this.#lockTtlMs });
  }

  #seal(value: Record<string, unknown>): unknown {
    if (this.#key === undefined) return value;
    const iv = nodeCrypto().randomBytes(12);
    const cipher = nodeCrypto().createCipheriv("aes-256-gcm", this.#key, iv);
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
      const decipher = nodeCrypto().createDecipheriv("aes-256-gcm", this.#key, Buffer.from(String(sealed.iv), "base64"));
      decipher.setAuthTag(Buffer.from(String(sealed.tag), "base64"));
      const text = Buffer.concat([decipher.update(Buffer.from(String(sealed.data), "base64")), decipher.final()]).toString("utf8");
      return JSON.parse(text) as unknown;
    } catch {
      throw new TokenmintError("configuration", `token store ${this.path}: an entry cannot be decrypted with the given key`);
    }
  }
}

async function fileStamp(path: string): Promise<string> {
  try {
    return stampOf(await nodeFs().stat(path, { bigint: true }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw new TokenmintError("configuration", `cannot read token store ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`, { cause: error });
  }
}

// Every write is a new inode (rename), and nanosecond times tell a reused inode number apart.
function stampOf(s: { ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint }): string {
  return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/** Writes a complete file with mode 0600 and flushes it to disk before it may be renamed into place. */
async function writeSynced(path: string, text: string): Promise<void> {
  const handle = await nodeFs().open(path, "wx", 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await nodeFs().chmod(path, 0o600); // exact, whatever the umask
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value > 0)) throw new TokenmintError("configuration", `FileTokenStore ${name} must be a positive number of ms`);
  return value;
}

function normaliseKey(key: Uint8Array | Secret): Buffer {
  if (key instanceof Secret) {
    const text = key.reveal().trim();
    const decoded = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
    if (decoded.length === 32) return decoded;
    // Any other text: derive a key from it, so a passphrase from an environment variable works too.
    return nodeCrypto().createHash("sha256").update(text).digest();
  }
  if (key.byteLength !== 32) throw new TokenmintError("configuration", "encryptionKey must be 32 bytes for AES-256-GCM");
  return Buffer.from(key);
}
