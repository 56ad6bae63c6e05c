// Writes a database token where `oci iam db-token get` puts it, so database clients configured for
// OCI IAM token authentication (TOKEN_AUTH=OCI_TOKEN; SQL*Plus, python-oracledb, ojdbc) find it:
// ~/.oci/db-token/token and ~/.oci/db-token/oci_db_key.pem (oci-cli identity_cli_extended.py get_db_token;
// shared/reference part A2). Each file is written atomically with mode 0600.
import { join } from "node:path";
import { nodeCrypto, nodeFs, nodeOs, type Token, TokenmintError, writeFileAtomic } from "@tokenmint/core";

export const DB_TOKEN_DIR = join(".oci", "db-token");
export const DB_TOKEN_FILE = "token";
export const DB_PRIVATE_KEY_FILE = "oci_db_key.pem";
export const DB_PUBLIC_KEY_FILE = "oci_db_key_public.pem";

export interface WriteDbTokenOptions {
  /** Directory; default `~/.oci/db-token`. */
  dir?: string | undefined;
  /** Home directory for the default; default os.homedir(). */
  homeDir?: string | undefined;
  /** Replace existing files. Default true (oci-cli replaces them on every `db-token get`). */
  overwrite?: boolean | undefined;
}

export interface DbTokenFiles {
  readonly token: string;
  readonly privateKey: string;
  readonly publicKey: string;
}

/** Where the files go. */
export function dbTokenPaths(options: Pick<WriteDbTokenOptions, "dir" | "homeDir"> = {}): DbTokenFiles {
  const dir = options.dir ?? join(options.homeDir ?? nodeOs().homedir(), DB_TOKEN_DIR);
  return { token: join(dir, DB_TOKEN_FILE), privateKey: join(dir, DB_PRIVATE_KEY_FILE), publicKey: join(dir, DB_PUBLIC_KEY_FILE) };
}

async function exists(path: string): Promise<boolean> {
  try {
    await nodeFs().access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the token, its private key and the public half, as oci-cli does. The token must carry its
 * private key (issued without a caller-supplied public key): a token without the key is useless to the
 * database client. The private key is written first, so a reader never sees a new token with an old key.
 *
 * @example
 * const token = await client.issue({ scope: dbScope.all() });
 * await writeDbTokenFiles(token); // ~/.oci/db-token/{token,oci_db_key.pem,oci_db_key_public.pem}
 */
export async function writeDbTokenFiles(token: Token, options: WriteDbTokenOptions = {}): Promise<DbTokenFiles> {
  if (token.provider !== "oci") throw new TokenmintError("invalid_request", `not an OCI database token (provider ${token.provider})`, { provider: "oci" });
  if (token.privateKey === undefined) {
    throw new TokenmintError("invalid_request", "the token has no private key to write next to it", {
      provider: "oci",
      hint: "issue it without publicKey so the key pair is generated, or write your own key next to the token",
    });
  }
  const paths = dbTokenPaths(options);
  const overwrite = options.overwrite ?? true;
  if (!overwrite) {
    for (const path of Object.values(paths)) {
      if (await exists(path)) throw new TokenmintError("configuration", `${path} exists (pass overwrite to replace it)`, { provider: "oci" });
    }
  }
  let publicPem: string;
  try {
    publicPem = nodeCrypto().createPublicKey(nodeCrypto().createPrivateKey(token.privateKey.reveal())).export({ type: "spki", format: "pem" }).toString();
  } catch {
    throw new TokenmintError("invalid_request", "the token's private key is not a valid PEM key", { provider: "oci" });
  }
  const write = { noOverwrite: !overwrite, mode: 0o600, dirMode: 0o700 };
  await writeFileAtomic(paths.privateKey, token.privateKey.reveal(), write);
  await writeFileAtomic(paths.publicKey, publicPem, write);
  await writeFileAtomic(paths.token, token.value.reveal(), write);
  return paths;
}
