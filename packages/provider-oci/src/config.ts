// Client options, and how they are completed from ~/.oci/config and the environment.
import type { KeyObject } from "node:crypto";
import { type ConfigContext, keyFingerprint, loadPrivateKey, type Logger, nodeCrypto, nodeFs, nodeOs, type RetryPolicy, Secret, TokenmintError } from "@tokenmint/core";
import { DEFAULT_PROFILE, expandHome, loadConfigFile, type OciConfigProfileView, selectProfile } from "./config-file.js";
import { resolveRegion } from "./regions.js";
import { OCI_DOCUMENTED_COMPONENTS, type OciSignedComponents } from "./signer.js";

const PROVIDER = "oci";
/** The seed's Terraform timeouts: create defaults to 20 minutes. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 20 * 60 * 1000;
/** One attempt; the service answers in well under a second when healthy. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;
export const API_PATH_PREFIX = "/v1";

/** Options of the OCI client. Anything not given is read from the config file and the environment. */
export interface OciOptions {
  /** Tenancy OCID. */
  tenancy?: string | undefined;
  /** User OCID (API-key auth). */
  user?: string | undefined;
  /** Fingerprint of the API key (`aa:bb:...`). */
  fingerprint?: string | undefined;
  /** The API key's private key: PEM (PKCS#1/PKCS#8, encrypted or not) or a parsed KeyObject. */
  privateKey?: string | Secret | KeyObject | undefined;
  /** Path of the PEM private key (`~` expanded). */
  privateKeyFile?: string | undefined;
  /** Passphrase of an encrypted private key. */
  passphrase?: string | Secret | undefined;
  /** Session token (from `oci session authenticate`): signs with keyId `ST$<token>`. */
  securityToken?: string | Secret | undefined;
  /** Path of the session token file (`~` expanded). */
  securityTokenFile?: string | undefined;
  /** Region id or key; default: the profile's `region`, then OCI_REGION. */
  region?: string | undefined;
  /** Base URL replacing `https://auth.<region>.<domain>` (e.g. the emulator's URL); `/v1` is appended. */
  endpoint?: string | undefined;
  /** Config file path; default OCI_CONFIG_FILE, then ~/.oci/config, then ~/.oraclebmc/config. */
  configFile?: string | undefined;
  /** Profile; default OCI_CLI_PROFILE, then DEFAULT. Missing keys fall back to [DEFAULT]. */
  profile?: string | undefined;
  /** Refuse a key whose fingerprint differs from `fingerprint` before sending anything. Default true. */
  checkFingerprint?: boolean | undefined;
  /** Signed components; default the documented set ({@link OCI_DOCUMENTED_COMPONENTS}). */
  signedComponents?: OciSignedComponents | undefined;
  /** Bits of generated key pairs. Default 2048. */
  keyBits?: number | undefined;
  /** Overall budget of one `issue`, retries included, when the caller gives no deadline. Default 20 minutes. */
  operationTimeoutMs?: number | undefined;
  /** Budget of one attempt. Default 60 s. */
  attemptTimeoutMs?: number | undefined;
  /** Attempts in all (1 disables retries). Default 4. */
  maxAttempts?: number | undefined;
  /** Other retry settings (backoff). */
  retry?: Partial<RetryPolicy> | undefined;
  userAgent?: string | undefined;
  logger?: Logger | undefined;
  /** Signing clock in ms, for tests of clock skew. Default Date.now. */
  now?: (() => number) | undefined;
}

/** How requests are authenticated. */
export type OciAuth =
  | { readonly kind: "api_key"; readonly tenancy: string; readonly user: string; readonly fingerprint: string }
  | { readonly kind: "session"; readonly tenancy: string | undefined; readonly token: Secret };

/** Everything the client needs, checked. */
export interface ResolvedOciConfig {
  readonly auth: OciAuth;
  /** The signing key, parsed once. */
  readonly privateKey: KeyObject;
  /** Fingerprint of {@link privateKey}'s public half. */
  readonly keyFingerprint: string;
  readonly region: string | undefined;
  /** Base URL without a trailing slash and without `/v1`. */
  readonly endpoint: string;
  /** Where credentials came from, for messages: `options` or `<file> [PROFILE]`. */
  readonly source: string;
  readonly signedComponents: OciSignedComponents;
  readonly keyBits: number | undefined;
  readonly operationTimeoutMs: number;
  readonly attemptTimeoutMs: number;
  readonly retry: Partial<RetryPolicy> | undefined;
  readonly userAgent: string | undefined;
  readonly logger: Logger | undefined;
  readonly now: (() => number) | undefined;
}

function configError(message: string, hint?: string): TokenmintError {
  return new TokenmintError("configuration", message, { provider: PROVIDER, hint });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim().length === 0 ? undefined : value.trim();
}

async function readSecretFile(path: string, what: string): Promise<Secret> {
  try {
    return new Secret(await nodeFs().readFile(path, "utf8"));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw configError(`cannot read the ${what} ${path} (${typeof code === "string" ? code : "read error"})`);
  }
}

const FINGERPRINT = /^[0-9a-f]{2}(?::[0-9a-f]{2}){15}$/;
const OCID_PREFIX = /^ocid1\.[a-z0-9]+\./i;

function checkOcid(value: string, what: string, type: string): void {
  if (!OCID_PREFIX.test(value) || /["\\/\s]/.test(value)) throw configError(`${what} must be an OCID (ocid1.${type}.oc1..<id>)`);
}

/** Normalises an endpoint URL: http(s), no trailing slash, no `/v1` suffix (added per request). */
export function normaliseEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw configError("endpoint must be an absolute http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw configError(`endpoint must be http(s), not ${url.protocol}`);
  if (url.search || url.hash) throw configError("endpoint must not have a query or fragment");
  let path = url.pathname.replace(/\/+$/, "");
  if (path.endsWith(API_PATH_PREFIX)) path = path.slice(0, -API_PATH_PREFIX.length);
  return `${url.origin}${path}`;
}

/**
 * Completes the options from the config file (read only when something is missing, or when a file or
 * profile is named) and the environment, loads and checks the key, and picks the endpoint. Every
 * problem is a `configuration` error naming the missing or bad field and where it was looked for.
 */
export async function resolveConfig(options: OciOptions = {}, context: ConfigContext = {}): Promise<ResolvedOciConfig> {
  const env = context.env ?? process.env;
  const homeDir = context.homeDir ?? nodeOs().homedir();

  const explicitSession = options.securityToken !== undefined || options.securityTokenFile !== undefined;
  const explicitKey = options.privateKey !== undefined || options.privateKeyFile !== undefined;
  const explicitId = explicitSession || (nonEmpty(options.tenancy) !== undefined && nonEmpty(options.user) !== undefined && nonEmpty(options.fingerprint) !== undefined);
  const explicitPlace = nonEmpty(options.endpoint) !== undefined || nonEmpty(options.region) !== undefined || nonEmpty(env["OCI_REGION"]) !== undefined;
  const wantFile = options.configFile !== undefined || options.profile !== undefined || !(explicitId && explicitKey && explicitPlace);

  let profile: OciConfigProfileView | undefined;
  if (wantFile) {
    const file = await loadConfigFile(options.configFile, env, homeDir);
    if (file !== undefined) profile = selectProfile(file, nonEmpty(options.profile) ?? nonEmpty(env["OCI_CLI_PROFILE"]) ?? DEFAULT_PROFILE);
    else if (options.profile !== undefined) throw configError(`profile ${options.profile} was asked for but no OCI config file exists (looked at $OCI_CONFIG_FILE, ~/.oci/config, ~/.oraclebmc/config)`);
  }
  const source = profile ? `${profile.path ?? "config"} [${profile.name}]` : "options";
  const fromFile = (key: string): string | undefined => profile?.get(key);
  const missing = (what: string, key: string) =>
    configError(
      `no ${what}: give the ${key} option${profile ? ` or set ${fileKeyOf(key)} in ${source}` : " or create ~/.oci/config (oci setup config)"}`,
      "see https://docs.oracle.com/en-us/iaas/Content/API/Concepts/sdkconfig.htm",
    );

  const authType = fromFile("authentication_type");
  if (!explicitId && authType !== undefined && authType !== "security_token" && authType !== "api_key") {
    throw new TokenmintError("unsupported", `${source}: authentication_type=${authType} is not supported; use an API key or a session token`, { provider: PROVIDER });
  }

  // Session token: explicit options win over the file.
  let sessionToken: Secret | undefined;
  if (options.securityToken !== undefined) sessionToken = options.securityToken instanceof Secret ? options.securityToken : new Secret(String(options.securityToken));
  else if (options.securityTokenFile !== undefined) sessionToken = await readSecretFile(expandHome(options.securityTokenFile, homeDir), "security token file");
  else if (!explicitId && fromFile("security_token_file") !== undefined) sessionToken = await readSecretFile(expandHome(fromFile("security_token_file")!, homeDir), "security_token_file");
  if (sessionToken !== undefined) {
    sessionToken = new Secret(sessionToken.reveal().trim());
    if (sessionToken.length === 0) throw configError("the session token is empty");
    if (/["\\\s]/.test(sessionToken.reveal())) throw configError("the session token contains quotes, backslashes or whitespace", "run oci session refresh or oci session authenticate");
  }

  const tenancy = nonEmpty(options.tenancy) ?? fromFile("tenancy");
  let auth: OciAuth;
  if (sessionToken !== undefined) {
    if (tenancy !== undefined) checkOcid(tenancy, "tenancy", "tenancy");
    auth = { kind: "session", tenancy, token: sessionToken };
  } else {
    const user = nonEmpty(options.user) ?? fromFile("user");
    const fingerprint = (nonEmpty(options.fingerprint) ?? fromFile("fingerprint"))?.toLowerCase();
    if (tenancy === undefined) throw missing("tenancy OCID", "tenancy");
    if (user === undefined) throw missing("user OCID", "user");
    if (fingerprint === undefined) throw missing("key fingerprint", "fingerprint");
    checkOcid(tenancy, "tenancy", "tenancy");
    checkOcid(user, "user", "user");
    if (!FINGERPRINT.test(fingerprint)) throw configError(`fingerprint must be 16 colon-separated hex bytes (aa:bb:...), as the console shows it (${source})`);
    auth = { kind: "api_key", tenancy, user, fingerprint };
  }

  const privateKey = await loadKey(options, fromFile, homeDir, source, explicitKey);
  const keyFp = keyFingerprint(privateKey);
  if (auth.kind === "api_key" && options.checkFingerprint !== false && auth.fingerprint !== keyFp) {
    throw configError(`the private key's fingerprint is ${keyFp}, not the configured ${auth.fingerprint} (${source})`, "point key_file at the key whose public half you uploaded for this user, or fix the fingerprint");
  }

  const region = nonEmpty(options.region) ?? fromFile("region") ?? nonEmpty(env["OCI_REGION"]);
  let endpoint: string;
  if (nonEmpty(options.endpoint) !== undefined) endpoint = normaliseEndpoint(options.endpoint!);
  else if (region !== undefined) endpoint = resolveRegion(region, env).authHost;
  else throw configError(`no region: give the region option, set region in ${profile ? source : "~/.oci/config"}, or set OCI_REGION`);

  const operationTimeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  for (const [name, value] of [
    ["operationTimeoutMs", operationTimeoutMs],
    ["attemptTimeoutMs", attemptTimeoutMs],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) throw configError(`${name} must be a positive number of milliseconds`);
  }
  const retry = options.maxAttempts === undefined ? options.retry : { ...options.retry, maxAttempts: options.maxAttempts };

  return {
    auth,
    privateKey,
    keyFingerprint: keyFp,
    region: region === undefined ? undefined : region.toLowerCase(),
    endpoint,
    source,
    signedComponents: options.signedComponents ?? OCI_DOCUMENTED_COMPONENTS,
    keyBits: options.keyBits,
    operationTimeoutMs,
    attemptTimeoutMs,
    retry,
    userAgent: options.userAgent,
    logger: options.logger ?? context.logger,
    now: options.now,
  };
}

function fileKeyOf(optionKey: string): string {
  return optionKey === "privateKeyFile" ? "key_file" : optionKey;
}

async function loadKey(options: OciOptions, fromFile: (key: string) => string | undefined, homeDir: string, source: string, explicitKey: boolean): Promise<KeyObject> {
  const passphrase = options.passphrase ?? (explicitKey ? undefined : fromFile("pass_phrase"));
  if (options.privateKey instanceof nodeCrypto().KeyObject) {
    if (options.privateKey.type !== "private") throw configError("privateKey must be a private key");
    return options.privateKey;
  }
  let pem: Secret | undefined;
  let where: string;
  if (options.privateKey !== undefined) {
    pem = options.privateKey instanceof Secret ? options.privateKey : new Secret(String(options.privateKey));
    where = "the privateKey option";
  } else if (options.privateKeyFile !== undefined) {
    where = expandHome(options.privateKeyFile, homeDir);
    pem = await readSecretFile(where, "private key file");
  } else if (fromFile("key_content") !== undefined) {
    // Python SDK's inline key; newlines may be written as literal \n.
    pem = new Secret(fromFile("key_content")!.replace(/\\n/g, "\n"));
    where = `key_content in ${source}`;
  } else if (fromFile("key_file") !== undefined) {
    where = expandHome(fromFile("key_file")!, homeDir);
    pem = await readSecretFile(where, "key_file");
  } else {
    throw configError(`no private key: give the privateKey or privateKeyFile option, or set key_file in ${source === "options" ? "~/.oci/config" : source}`);
  }
  try {
    return loadPrivateKey(pem, passphrase);
  } catch (error) {
    if (error instanceof TokenmintError) throw new TokenmintError("configuration", `${where}: ${error.message}`, { provider: PROVIDER, hint: passphrase === undefined ? "an encrypted key needs pass_phrase (or the passphrase option)" : error.hint });
    throw error;
  }
}
