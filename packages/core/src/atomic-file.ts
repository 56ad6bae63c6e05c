import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname, join, basename } from "node:path";
import { nodeCrypto } from "./builtins.js";

export interface AtomicWriteOptions {
  /** File mode of the new file. Default 0o600: everything tokenmint writes may hold secrets. */
  mode?: number;
  /** Refuse to replace an existing file (exclusive create; no rename over it). */
  noOverwrite?: boolean;
  /** Mode of directories created on the way. Default 0o700. */
  dirMode?: number;
}

/**
 * Writes a file so that readers see the old content or the whole new content, never a torn file:
 * write a temporary file in the same directory with the final mode, fsync it, then rename it over.
 * With `noOverwrite`, the final step is a hard link that fails if the name exists.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: options.dirMode ?? 0o700 });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${nodeCrypto().randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(tmp, "wx", mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode); // the umask may have narrowed or widened nothing, but be exact
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (options.noOverwrite) {
      const { link } = await import("node:fs/promises");
      await link(tmp, path);
      await rm(tmp, { force: true });
    } else {
      await rename(tmp, path);
    }
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
