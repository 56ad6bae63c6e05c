// A lock file that every process on one machine respects: it names its owner (pid, host, a random
// nonce) and its expiry, appears atomically with its whole content, is renewed by its holder while
// held, and is taken over once its owner is dead or it has expired.
import { dirname } from "node:path";
import { TokenmintError } from "../errors.js";
import { nodeCrypto, nodeFs, nodeOs } from "../builtins.js";
import { tempPathFor } from "../atomic-file.js";
import { processAlive } from "../process-alive.js";

export interface FileLockOptions {
  /** How long the lock stays valid unless its holder renews it (it does, every third of this). Default 30 s. */
  ttlMs?: number | undefined;
  /** Longest wait for the lock before a `timeout` error. Default 60 s. */
  waitMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Absolute time (epoch ms) after which waiting stops with `timeout`. */
  deadline?: number | undefined;
}

/** What a lock file holds. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
  readonly acquiredAt: number;
  readonly expiresAt: number;
}

/** A lock this process holds. */
export interface HeldFileLock {
  readonly path: string;
  /** Whether the lock was taken over from an owner that died or let it expire (its leftovers may need sweeping). */
  readonly tookOver: boolean;
  /** Whether the lock file still names this holder (false once another process took it over). */
  stillHeld(): Promise<boolean>;
  /** Removes the lock file if it still names this holder. Idempotent. */
  release(): Promise<void>;
}

export const DEFAULT_LOCK_TTL_MS = 30_000;
export const DEFAULT_LOCK_WAIT_MS = 60_000;
const MAX_POLL_MS = 50;

// Nonces of locks held (or being created) by this process: a lock file naming this pid with another
// nonce was left by an earlier process that had the same pid (containers reuse pids), so it is stale.
const heldNonces = new Set<string>();
// Contenders inside one process queue here instead of polling the file.
const localQueues = new Map<string, Promise<void>>();

/**
 * Runs `fn` while holding the lock file at `path`. Contenders in this process wait in a queue;
 * contenders in other processes poll the file (2 ms doubling to 50 ms).
 */
export async function withFileLock<T>(path: string, fn: (lock: HeldFileLock) => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const waitUntil = Math.min(Date.now() + (options.waitMs ?? DEFAULT_LOCK_WAIT_MS), options.deadline ?? Number.POSITIVE_INFINITY);
  const previous = localQueues.get(path) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => {
    done = resolve;
  });
  const tail = previous.then(() => mine);
  localQueues.set(path, tail);
  try {
    await waitLocal(previous, path, waitUntil, options.signal);
    const lock = await acquireFileLock(path, { ...options, deadline: waitUntil });
    try {
      return await fn(lock);
    } finally {
      await lock.release().catch(() => {}); // an unreleased lock expires; the result stands
    }
  } finally {
    done();
    if (localQueues.get(path) === tail) localQueues.delete(path);
  }
}

/** Takes the lock file at `path`, waiting (polling) while another live owner holds it. */
export async function acquireFileLock(path: string, options: FileLockOptions = {}): Promise<HeldFileLock> {
  const ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) throw new TokenmintError("configuration", `lock ttl must be a positive number of ms (got ${String(ttlMs)})`);
  const waitUntil = Math.min(Date.now() + (options.waitMs ?? DEFAULT_LOCK_WAIT_MS), options.deadline ?? Number.POSITIVE_INFINITY);
  let tookOver = false;
  let pollMs = 2;
  for (;;) {
    if (options.signal?.aborted) throw abortError(path, options.signal.reason);
    const nonce = nodeCrypto().randomBytes(12).toString("hex");
    const now = Date.now();
    const owner: LockOwner = { pid: process.pid, host: nodeOs().hostname(), nonce, acquiredAt: now, expiresAt: now + ttlMs };
    const text = `${JSON.stringify(owner)}\n`;
    heldNonces.add(nonce); // before the file exists, so no contender here mistakes it for a leftover
    let created = false;
    try {
      created = await createExclusive(path, text);
    } finally {
      if (!created) heldNonces.delete(nonce);
    }
    if (created) return new Lock(path, text, nonce, ttlMs, tookOver);
    const current = await readLock(path, ttlMs);
    if (current === undefined) continue; // released in between: try again at once
    if (isStale(current.owner)) {
      if (await removeIfUnchanged(path, current.text)) tookOver = true;
      continue;
    }
    const left = waitUntil - Date.now();
    if (left <= 0) {
      const o = current.owner;
      throw new TokenmintError("timeout", `gave up waiting for the lock ${path}, held by process ${o.pid} on ${o.host} until ${new Date(o.expiresAt).toISOString()}`, {
        hint: "another process is refreshing this token; if none is running, delete the .lock file",
      });
    }
    await sleep(Math.min(left, pollMs * (0.5 + Math.random())), options.signal, path);
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
}

/** Whether a lock's owner can no longer be holding it: expired, or a process of this host that is gone. */
export function isStale(owner: LockOwner, now: number = Date.now()): boolean {
  if (now > owner.expiresAt) return true;
  if (owner.host !== nodeOs().hostname()) return false; // another machine's pid means nothing here: wait for expiry
  if (owner.pid === process.pid) return !heldNonces.has(owner.nonce);
  return !processAlive(owner.pid);
}


class Lock implements HeldFileLock {
  readonly path: string;
  readonly tookOver: boolean;
  #text: string;
  readonly #nonce: string;
  readonly #ttlMs: number;
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> = Promise.resolve();
  #released = false;

  constructor(path: string, text: string, nonce: string, ttlMs: number, tookOver: boolean) {
    this.path = path;
    this.#text = text;
    this.#nonce = nonce;
    this.#ttlMs = ttlMs;
    this.tookOver = tookOver;
    // Renew well before expiry so a slow refresh keeps its lock; unref'd: it never keeps a process alive.
    this.#timer = setInterval(() => {
      this.#renewing = this.#renewing.then(() => this.#renew());
    }, Math.max(1, Math.floor(ttlMs / 3)));
    this.#timer.unref();
  }

  async stillHeld(): Promise<boolean> {
    if (this.#released) return false;
    return this.#fileIsOurs();
  }

  /** Whether the file still holds this lock's content, released or not. */
  async #fileIsOurs(): Promise<boolean> {
    return (await nodeFs().readFile(this.path, "utf8").catch(() => undefined)) === this.#text;
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#timer);
    await this.#renewing; // a renewal under way would otherwise recreate the file after its removal
    try {
      // Moving a lock aside to check it opens a short gap; do it only when the lock is (still) ours.
      if (await this.#fileIsOurs()) await removeIfUnchanged(this.path, this.#text);
    } finally {
      heldNonces.delete(this.#nonce);
    }
  }

  async #renew(): Promise<void> {
    if (this.#released || !(await this.stillHeld())) {
      clearInterval(this.#timer); // lost (expired and taken over): nothing to renew
      return;
    }
    const now = Date.now();
    const owner: LockOwner = { pid: process.pid, host: nodeOs().hostname(), nonce: this.#nonce, acquiredAt: now, expiresAt: now + this.#ttlMs };
    const text = `${JSON.stringify(owner)}\n`;
    const tmp = tempPathFor(this.path);
    try {
      await writeComplete(tmp, text, "wx");
      if (this.#released) return;
      await nodeFs().rename(tmp, this.path);
      this.#text = text;
    } catch {
      // Renewal is best effort: an unrenewed lock expires, which is the safe direction.
    } finally {
      await nodeFs().rm(tmp, { force: true }).catch(() => {});
    }
  }
}

/**
 * Creates `path` with `text` only if it does not exist, so that no reader ever sees it empty or
 * partial: a complete temporary file is hard-linked to the name (link fails if the name exists).
 */
async function createExclusive(path: string, text: string): Promise<boolean> {
  const tmp = tempPathFor(path);
  try {
    await writeComplete(tmp, text, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw lockFileError(path, error);
    await nodeFs().mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeComplete(tmp, text, "wx").catch((e: unknown) => {
      throw lockFileError(path, e);
    });
  }
  try {
    await nodeFs().link(tmp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS") return createWithoutLink(path, text);
    throw lockFileError(path, error);
  } finally {
    await nodeFs().rm(tmp, { force: true }).catch(() => {});
  }
}

// File systems without hard links: an exclusive create, then the content (a reader seeing it empty
// treats it by its modification time, see readLock).
async function createWithoutLink(path: string, text: string): Promise<boolean> {
  try {
    await writeComplete(path, text, "wx");
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw lockFileError(path, error);
  }
}

async function writeComplete(path: string, text: string, flags: "wx"): Promise<void> {
  const handle = await nodeFs().open(path, flags, 0o600);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

/** The lock's owner, or undefined when there is no lock file. Unreadable content expires `ttlMs` after its last change. */
async function readLock(path: string, ttlMs: number): Promise<{ owner: LockOwner; text: string } | undefined> {
  let text: string;
  try {
    text = await nodeFs().readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw lockFileError(path, error);
  }
  const owner = parseOwner(text);
  if (owner !== undefined) return { owner, text };
  const mtime = await nodeFs().stat(path).then((s) => s.mtimeMs, () => undefined);
  if (mtime === undefined) return undefined;
  return { owner: { pid: Number.NaN, host: "", nonce: "", acquiredAt: mtime, expiresAt: mtime + ttlMs }, text };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === "number" && typeof o.host === "string" && typeof o.nonce === "string" && typeof o.expiresAt === "number") {
      return { pid: o.pid, host: o.host, nonce: o.nonce, acquiredAt: typeof o.acquiredAt === "number" ? o.acquiredAt : o.expiresAt, expiresAt: o.expiresAt };
    }
  } catch {
    // not JSON: see readLock
  }
  return undefined;
}

/**
 * Removes the lock file only if it still holds `expected`: it is moved aside first (atomic), then
 * checked; a lock that replaced the expected one in between is put back, unless a third process has
 * taken the name meanwhile (its previous holder then finds out through stillHeld()).
 */
async function removeIfUnchanged(path: string, expected: string): Promise<boolean> {
  const aside = tempPathFor(path);
  try {
    await nodeFs().rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw lockFileError(path, error);
  }
  try {
    const moved = await nodeFs().readFile(aside, "utf8").catch(() => undefined);
    if (moved === expected) return true;
    await nodeFs().link(aside, path).catch(() => {});
    return false;
  } finally {
    await nodeFs().rm(aside, { force: true }).catch(() => {});
  }
}

function waitLocal(previous: Promise<void>, path: string, waitUntil: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(path, signal.reason));
  return new Promise<void>((resolve, reject) => {
    const timer = Number.isFinite(waitUntil)
      ? setTimeout(() => finish(new TokenmintError("timeout", `gave up waiting for the lock ${path}, held by this process`)), Math.max(0, waitUntil - Date.now()))
      : undefined;
    const onAbort = () => finish(abortError(path, signal?.reason));
    const finish = (error?: TokenmintError) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolve();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    previous.then(() => finish(), () => finish());
  });
}

function sleep(ms: number, signal: AbortSignal | undefined, path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(path, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortError(path: string, reason: unknown): TokenmintError {
  return new TokenmintError("aborted", `waiting for the lock ${path} was aborted`, { cause: reason });
}

function lockFileError(path: string, error: unknown): TokenmintError {
  return new TokenmintError("configuration", `cannot use the lock file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
}
