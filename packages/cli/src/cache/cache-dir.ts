// Where the per-user token cache lives, and making sure nobody else can read it.
import { chmod, mkdir, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

export interface CacheDirInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform?: NodeJS.Platform | undefined;
  readonly homeDir?: string | undefined;
}

/**
 * The platform's per-user cache directory + `tokenmint`: `$XDG_CACHE_HOME/tokenmint` when that is
 * set to an absolute path (the XDG spec says to ignore a relative one), else `~/Library/Caches/tokenmint`
 * on macOS, `%LOCALAPPDATA%\tokenmint\Cache` on Windows, and `~/.cache/tokenmint` elsewhere.
 */
export function cacheDir(input: CacheDirInput): string {
  const xdg = input.env["XDG_CACHE_HOME"];
  if (xdg !== undefined && xdg !== "" && isAbsolute(xdg)) return join(xdg, "tokenmint");
  const home = input.homeDir ?? homedir();
  const platform = input.platform ?? process.platform;
  if (platform === "darwin") return join(home, "Library", "Caches", "tokenmint");
  const local = input.env["LOCALAPPDATA"];
  if (platform === "win32" && local !== undefined && local !== "") return join(local, "tokenmint", "Cache");
  return join(home, ".cache", "tokenmint");
}

/**
 * Creates the directory (0700) or checks an existing one: it must be a directory owned by this user,
 * and group/other permissions are taken away. Returns why it cannot be used, or undefined when it can.
 */
export async function preparePrivateDir(dir: string): Promise<string | undefined> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const info = await stat(dir);
    if (!info.isDirectory()) return `${dir} is not a directory`;
    if (process.platform === "win32") return undefined; // per-user profile directory; no POSIX modes
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid) return `${dir} belongs to another user (uid ${info.uid})`;
    if ((info.mode & 0o077) !== 0) await chmod(dir, 0o700);
    return undefined;
  } catch (error) {
    return `cannot use ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
}

/** File of one provider's cached tokens (ids are `[a-z][a-z0-9-]*`; anything else is not a cache file name). */
export function providerCacheFile(dir: string, provider: string): string | undefined {
  return /^[a-z0-9][a-z0-9-]{0,63}$/.test(provider) ? join(dir, `${provider}.json`) : undefined;
}
