import { nodeCrypto, nodeFs, nodePath } from "./builtins.js";
import { processAlive } from "./process-alive.js";

export interface AtomicWriteOptions {
  /** File mode of the new file. Default 0o600: everything tokenmint writes may hold secrets. */
  mode?: number;
  /** Refuse to replace an existing file (exclusive create; no rename over it). */
  noOverwrite?: boolean;
  /** Mode of directories created on the way. Default 0o700. */
  dirMode?: number;
}

/**
 * How old a dead writer's temporary file must be before it is removed. On one machine a dead pid is
 * proof enough; the wait spares a writer on another machine sharing the directory (a network home),
 * whose pid means nothing here and which holds its temporary file for milliseconds.
 */
export const STALE_TEMP_MIN_AGE_MS = 2_000;

/** What follows `.<name>` in the name of a temporary file of `<name>`: `.<pid>.<12 hex>.tmp`. */
const TEMP_SUFFIX = /^\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/**
 * A temporary name beside `path`, `.<name>.<pid>.<12 hex>.tmp`: the one shape every tokenmint writer
 * uses (atomic files, the file store, lock files), so that {@link removeStaleTempFiles} recognises it.
 */
export function tempPathFor(path: string): string {
  const { basename, dirname, join } = nodePath();
  return join(dirname(path), `.${basename(path)}.${process.pid}.${nodeCrypto().randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Writes a file so that readers see the old content or the whole new content, never a torn file:
 * write a temporary file `.<name>.<pid>.<hex>.tmp` in the same directory with the final mode, fsync it,
 * then rename it over. With `noOverwrite`, the final step is a hard link that fails if the name exists.
 * A failed write removes its temporary file. Temporary files of the same target left by writers that
 * were killed mid-write (they hold the same secrets) are removed too, best effort: see
 * {@link removeStaleTempFiles}; a failure to clean up never fails the write.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  const dir = nodePath().dirname(path);
  await nodeFs().mkdir(dir, { recursive: true, mode: options.dirMode ?? 0o700 });
  const tmp = tempPathFor(path);
  try {
    const handle = await nodeFs().open(tmp, "wx", mode);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode); // the umask may have narrowed or widened nothing, but be exact
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.noOverwrite) await nodeFs().link(tmp, path);
    else await nodeFs().rename(tmp, path);
  } finally {
    // Gone after a rename; after a link, or a failure at any step, it is still there.
    await nodeFs().rm(tmp, { force: true }).catch(() => {});
    await removeStaleTempFiles(path).catch(() => []);
  }
}

/**
 * Removes the temporary files of `path` (`.<name>.<pid>.<hex>.tmp` beside it) whose writer process is
 * gone: `process.kill(pid, 0)` fails with ESRCH. Files of live processes (this one included), files
 * younger than `minAgeMs` (default {@link STALE_TEMP_MIN_AGE_MS}) and anything but regular files are
 * left alone, unless older than `maxAgeMs`: a caller that knows how long its writers may hold a
 * temporary file (the file store: its lock's lifetime) removes older ones whatever their pid says.
 * Best effort: a file that cannot be checked or removed is skipped. Returns the paths removed.
 */
export async function removeStaleTempFiles(path: string, options: { minAgeMs?: number | undefined; maxAgeMs?: number | undefined } = {}): Promise<string[]> {
  const dir = nodePath().dirname(path);
  const prefix = `.${nodePath().basename(path)}`;
  const minAgeMs = options.minAgeMs ?? STALE_TEMP_MIN_AGE_MS;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await nodeFs().readdir(dir);
  } catch {
    return removed;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = TEMP_SUFFIX.exec(name.slice(prefix.length));
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid === process.pid) continue;
    const file = nodePath().join(dir, name);
    try {
      const info = await nodeFs().lstat(file);
      const age = now - info.mtimeMs;
      if (!info.isFile() || age < minAgeMs) continue;
      if (!(options.maxAgeMs !== undefined && age > options.maxAgeMs) && processAlive(pid)) continue;
      await nodeFs().unlink(file);
      removed.push(file);
    } catch {
      // Gone meanwhile (another writer cleaned it), or not ours to remove: skip it.
    }
  }
  return removed;
}
