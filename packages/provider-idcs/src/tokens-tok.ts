// The console's Download Token file (seeds 002 and 003): `tokens.tok`, then `tokens1.tok`, ... as a
// browser names repeated downloads, holding `{"app_access_token":"..."}` (+ the refresh token).
import { nodeFs, nodePath, Secret, type Token, TokenmintError, writeFileAtomic } from "@tokenmint/core";
import { parseTokensTokFile } from "./generated/index.js";
import { tokenFromAccessToken } from "./token.js";

const PROVIDER = "idcs";
/** Largest tokens.tok we read: a console file is a few kilobytes. */
const MAX_FILE_BYTES = 1024 * 1024;
const NAME = /^tokens(\d*)\.tok$/;

/** The content of a tokens.tok file. */
export interface TokensTok {
  readonly accessToken: Secret;
  readonly refreshToken: Secret | undefined;
}

export interface WriteTokensTokOptions {
  /** Directory to write in. Default: the current directory. */
  dir?: string | undefined;
  /**
   * Key of the refresh token. Default `app_refresh_token`: the console's name for it is UNVERIFIED
   * (reference notes part A); `readTokensTok` accepts both that and `refresh_token`.
   */
  refreshTokenKey?: "app_refresh_token" | "refresh_token" | undefined;
}

/** The console's JSON: compact, access token first, no trailing newline (seed 003's example). */
export function formatTokensTok(accessToken: Secret | string, refreshToken?: Secret | string, refreshTokenKey: "app_refresh_token" | "refresh_token" = "app_refresh_token"): string {
  const reveal = (v: Secret | string) => (v instanceof Secret ? v.reveal() : v);
  const body: Record<string, string> = { app_access_token: reveal(accessToken) };
  if (refreshToken !== undefined) body[refreshTokenKey] = reveal(refreshToken);
  return JSON.stringify(body);
}

/** `tokens.tok` for 0, `tokens<n>.tok` for n >= 1. */
export function tokensTokName(index: number): string {
  return index === 0 ? "tokens.tok" : `tokens${index}.tok`;
}

async function takenIndexes(dir: string): Promise<Set<number>> {
  const taken = new Set<number>();
  let names: string[];
  try {
    names = await nodeFs().readdir(dir);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return taken;
    throw error;
  }
  for (const name of names) {
    const m = NAME.exec(name);
    // "tokens0.tok" and "tokens01.tok" are not names the console uses: they do not block an index.
    if (m && !m[1]!.startsWith("0")) taken.add(m[1] === "" ? 0 : Number(m[1]));
  }
  return taken;
}

/**
 * Writes a token as the console's Download Token does: the lowest free name of `tokens.tok`,
 * `tokens1.tok`, `tokens2.tok`, ..., never replacing a file (exclusive link of a fully written, fsynced
 * temporary file, so concurrent writers each get their own name), mode 0600. Returns the path.
 */
export async function writeTokensTok(token: Token | TokensTok, options: WriteTokensTokOptions = {}): Promise<string> {
  const dir = nodePath().resolve(options.dir ?? ".");
  const accessToken = "value" in token ? token.value : token.accessToken;
  const refreshToken = token.refreshToken;
  const data = formatTokensTok(accessToken, refreshToken, options.refreshTokenKey);
  let taken = await takenIndexes(dir);
  for (let tries = 0; tries < 10_000; tries++) {
    let index = 0;
    while (taken.has(index)) index++;
    const path = nodePath().join(dir, tokensTokName(index));
    try {
      await writeFileAtomic(path, data, { noOverwrite: true, mode: 0o600 });
      return path;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EEXIST") {
        throw new TokenmintError("configuration", `cannot write ${path}: ${(error as { code?: unknown }).code ?? "write error"}`, { provider: PROVIDER, cause: error });
      }
      // Another writer took the name between our listing and our link: look again.
      taken = await takenIndexes(dir);
      taken.add(index);
    }
  }
  throw new TokenmintError("configuration", `no free tokens<n>.tok name in ${dir}`, { provider: PROVIDER });
}

/** Parses the text of a tokens.tok file; `source` names it in errors. */
export function parseTokensTok(text: string, source = "tokens.tok"): TokensTok {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TokenmintError("configuration", `${source}: not JSON (a console tokens.tok holds {"app_access_token": "..."})`, { provider: PROVIDER });
  }
  const parsed = parseTokensTokFile(json, { kind: "configuration", provider: PROVIDER, source });
  return { accessToken: parsed.app_access_token, refreshToken: parsed.app_refresh_token ?? parsed.refresh_token };
}

/** Reads a tokens.tok file (e.g. downloaded from the console). */
export async function readTokensTok(path: string): Promise<TokensTok> {
  let text: string;
  try {
    const info = await nodeFs().stat(path);
    if (!info.isFile()) throw Object.assign(new Error("not a file"), { code: "EISDIR" });
    if (info.size > MAX_FILE_BYTES) throw new TokenmintError("configuration", `${path}: larger than ${MAX_FILE_BYTES} bytes, not a tokens.tok file`, { provider: PROVIDER });
    const handle = await nodeFs().open(path, "r");
    try {
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof TokenmintError) throw error;
    throw new TokenmintError("configuration", `cannot read ${path}: ${(error as { code?: unknown }).code ?? "read error"}`, { provider: PROVIDER });
  }
  return parseTokensTok(text, path);
}

/**
 * Reads a tokens.tok file into a canonical Token (expiry, scopes and id from the access token's claims,
 * read without verification: use the client's `verify` for that).
 */
export async function readTokensTokAsToken(path: string): Promise<Token> {
  const file = await readTokensTok(path);
  return tokenFromAccessToken(file.accessToken, file.refreshToken, { source: path });
}
