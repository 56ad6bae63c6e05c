import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { TokenmintError, writeFileAtomic } from "@tokenmint/core";

/** Writes an output file atomically with mode 0600; refuses to replace an existing file unless `overwrite`. */
export async function writeOutputFile(path: string, content: string, overwrite: boolean): Promise<string> {
  try {
    await writeFileAtomic(path, content, { mode: 0o600, noOverwrite: !overwrite });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new TokenmintError("conflict", `${path} exists; pass --force to replace it`);
    throw new TokenmintError("configuration", `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  return path;
}

/**
 * Writes a `.tok` file the way the IDCS console's Download Token names them in a download folder:
 * `tokens.tok`, then `tokens1.tok`, `tokens2.tok`, ... never replacing one (exclusive create, so two
 * concurrent runs get different names).
 */
export async function writeTokFile(dirOrFile: string | undefined, cwd: string, content: string, overwrite: boolean): Promise<string> {
  const target = resolve(cwd, dirOrFile ?? ".");
  const isDir = dirOrFile === undefined || (await stat(target).then((s) => s.isDirectory(), () => false));
  if (!isDir) return writeOutputFile(target, content, overwrite);
  for (let n = 0; n < 10_000; n++) {
    const path = join(target, n === 0 ? "tokens.tok" : `tokens${n}.tok`);
    try {
      await writeFileAtomic(path, content, { mode: 0o600, noOverwrite: true });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new TokenmintError("configuration", `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
    }
  }
  throw new TokenmintError("conflict", `no free tokens<n>.tok name in ${target}`);
}
