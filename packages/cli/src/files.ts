import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { type CliTokenFileFormat, type Token, TokenmintError, writeFileAtomic } from "@tokenmint/core";

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
 * Writes a token in a provider's file format (`ProviderCli.formats`). `--out` naming a directory, or no
 * `--out` (the working directory): the provider writes there under its format's own file name (e.g.
 * idcs: tokens.tok, tokens1.tok, ...). `--out` naming anything else: that file, with the format's
 * content, as every `--out` is written. Returns the path written.
 */
export async function writeTokenFile(format: CliTokenFileFormat, token: Token, out: string | undefined, cwd: string, overwrite: boolean): Promise<string> {
  const target = resolve(cwd, out ?? ".");
  const isDir = out === undefined || (await stat(target).then((s) => s.isDirectory(), () => false));
  return isDir ? format.writeInto(token, target) : writeOutputFile(target, format.render(token), overwrite);
}
