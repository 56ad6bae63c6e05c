// Resolves the client configuration: explicit options first, then environment variables, then
// defaults. Names follow Cisco's own tools so existing environments work unchanged:
// - Ansible collection cisco.intersight (plugins/module_utils/intersight.py): INTERSIGHT_API_KEY_ID,
//   INTERSIGHT_API_PRIVATE_KEY (a file path, or the PEM text itself), INTERSIGHT_API_URI
//   (default https://intersight.com/api/v1).
// - Terraform provider CiscoDevNet/intersight (intersight/provider.go): INTERSIGHT_API_KEY,
//   INTERSIGHT_SECRET_KEY (PEM text or file path), INTERSIGHT_ENDPOINT_URL (host name or URL).
// - Ours: INTERSIGHT_API_PRIVATE_KEY_FILE, a path only, for setups that want no ambiguity.
// The official SDKs (intersight-python, intersight-go, intersight-powershell) read no environment.
import { type ConfigContext, expandHome, nodeFsSync, nodeOs, Secret, TokenmintError } from "@tokenmint/core";
import { parseIntersightClientConfig } from "./generated/index.js";

const PROVIDER = "intersight";

/** Options of the Intersight client. */
export interface IntersightOptions {
  /** API key id (`<account moid>/<user moid>/<key moid>`). Env: INTERSIGHT_API_KEY_ID, INTERSIGHT_API_KEY. */
  keyId?: string | undefined;
  /** The API key's private key, PEM (RSA for v2 keys, EC P-256 for v3 keys). Env: INTERSIGHT_API_PRIVATE_KEY, INTERSIGHT_SECRET_KEY. */
  privateKey?: string | Secret | undefined;
  /** A file holding the PEM private key (`~` expanded). Env: INTERSIGHT_API_PRIVATE_KEY_FILE. */
  privateKeyFile?: string | undefined;
  /** Service URL, default https://intersight.com (an appliance's URL otherwise). Env: INTERSIGHT_API_URI, INTERSIGHT_ENDPOINT_URL. */
  endpoint?: string | undefined;
  /** `$top` of each page of a full listing. Default 100 (the service's default). */
  pageSize?: number | undefined;
  /** The service's largest accepted `$top`. Default 1000 (commonly cited, unverified: configurable for that reason). */
  maxPageSize?: number | undefined;
  /**
   * Headers to sign, in order. Default: the official SDKs' set
   * `(request-target) (created) (expires) host date digest content-type user-agent`.
   */
  signedHeaders?: readonly string[] | undefined;
  /** Signature validity (`expires - created`), seconds. Default 300 (the SDKs' 5 minutes). */
  signatureValiditySeconds?: number | undefined;
  /** Longest time of one HTTP attempt, ms. */
  attemptTimeoutMs?: number | undefined;
  /** Default budget of one operation when the caller gives no deadline, ms. */
  operationTimeoutMs?: number | undefined;
  /** Attempts per retry-safe request, the first included. */
  maxAttempts?: number | undefined;
  /** User-Agent header (signed by default). */
  userAgent?: string | undefined;
  /** Signing clock in ms, for tests of clock skew. Default Date.now. */
  now?: (() => number) | undefined;
}

/** The resolved configuration: every gap filled, the key parsed. */
export interface ResolvedConfig {
  readonly keyId: string;
  /** PEM text of the private key. */
  readonly privateKeyPem: Secret;
  /** Origin plus base path, without trailing slash, e.g. https://intersight.com. */
  readonly endpoint: string;
  readonly pageSize: number;
  readonly maxPageSize: number;
  readonly signedHeaders: readonly string[];
  readonly signatureValiditySeconds: number;
  readonly attemptTimeoutMs: number | undefined;
  readonly operationTimeoutMs: number | undefined;
  readonly maxAttempts: number | undefined;
  readonly userAgent: string;
  readonly now: (() => number) | undefined;
}

export const DEFAULT_ENDPOINT = "https://intersight.com";
export const DEFAULT_SIGNED_HEADERS: readonly string[] = ["(request-target)", "(created)", "(expires)", "host", "date", "digest", "content-type", "user-agent"];
export const DEFAULT_USER_AGENT = "tokenmint-intersight/0.1.0";

function configError(message: string, hint?: string): TokenmintError {
  return new TokenmintError("configuration", message, { provider: PROVIDER, hint });
}

function firstEnv(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}


/**
 * Reads a key file. `ambiguous` marks a value that may be PEM text or a path (Ansible's and
 * Terraform's variables): it is not echoed, since it could be a key pasted without its PEM lines.
 */
function readKeyFile(path: string, source: string, ambiguous = false): Secret {
  try {
    return new Secret(nodeFsSync().readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === "string" ? code : "read error";
    if (ambiguous) throw configError(`${source} is neither PEM text (-----BEGIN ... PRIVATE KEY-----) nor a readable file (${reason})`);
    throw configError(`cannot read the Intersight private key file ${JSON.stringify(path)} (from ${source}): ${reason}`);
  }
}

/** Normalises an endpoint: a bare host name gets https://, a trailing /api/v1 (Ansible's API URI) and slashes go. */
export function normaliseEndpoint(value: string, source: string): string {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError(`${source}: ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw configError(`${source}: the endpoint must be an http(s) URL`);
  if (url.username || url.password) throw configError(`${source}: the endpoint must not contain credentials`);
  if (url.search || url.hash) throw configError(`${source}: the endpoint must not have a query or fragment`);
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
  return `${url.origin}${path}`;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw configError(`${name} must be a positive integer`);
  return value;
}

/** Resolves options + environment into a complete configuration, or throws `configuration`. */
export function resolveConfig(input: IntersightOptions = {}, context: ConfigContext = {}): ResolvedConfig {
  if (input === null || typeof input !== "object") throw configError("Intersight options must be an object");
  // Types and ranges of every JSON-safe option, from the spec (IntersightClientConfig); a misspelt
  // option is an error rather than silently ignored.
  const { now, ...jsonSafe } = input;
  const checked = parseIntersightClientConfig(Object.fromEntries(Object.entries(jsonSafe).filter(([, v]) => v !== undefined)), { kind: "configuration", provider: PROVIDER, source: "Intersight options" });
  const options: IntersightOptions = { ...checked, now };
  const env = context.env ?? process.env;
  const home = context.homeDir ?? nodeOs().homedir();

  let keyId = options.keyId?.trim();
  if (!keyId) keyId = firstEnv(env, ["INTERSIGHT_API_KEY_ID", "INTERSIGHT_API_KEY"])?.value;
  if (!keyId) throw configError("no Intersight API key id: pass keyId or set INTERSIGHT_API_KEY_ID", "Create an API key in Intersight (Settings > API Keys) and use its key id.");
  // Key ids are `<account moid>/<user moid>/<key moid>`; anything with a quote or a line break would corrupt the Authorization header.
  if (!/^[\x21-\x7e]+$/.test(keyId) || keyId.includes('"')) throw configError("the Intersight API key id contains characters that cannot appear in a signature header");

  let pem: Secret | undefined;
  if (options.privateKey !== undefined) {
    pem = options.privateKey instanceof Secret ? options.privateKey : new Secret(options.privateKey);
  } else if (options.privateKeyFile !== undefined) {
    pem = readKeyFile(expandHome(options.privateKeyFile, home), "the privateKeyFile option");
  } else {
    const file = firstEnv(env, ["INTERSIGHT_API_PRIVATE_KEY_FILE"]);
    const either = firstEnv(env, ["INTERSIGHT_API_PRIVATE_KEY", "INTERSIGHT_SECRET_KEY"]);
    if (file !== undefined) pem = readKeyFile(expandHome(file.value, home), file.name);
    else if (either !== undefined) {
      // As in Ansible and Terraform: PEM text when it looks like PEM, a file path otherwise.
      pem = either.value.includes("-----BEGIN") ? new Secret(either.value.replace(/\\n/g, "\n")) : readKeyFile(expandHome(either.value, home), either.name, true);
    }
  }
  if (pem === undefined) throw configError("no Intersight private key: pass privateKey or privateKeyFile, or set INTERSIGHT_API_PRIVATE_KEY (PEM text or file path) or INTERSIGHT_API_PRIVATE_KEY_FILE");
  if (!pem.reveal().includes("-----BEGIN")) throw configError("the Intersight private key is not PEM text (expected -----BEGIN ... PRIVATE KEY-----)");

  let endpoint: string;
  if (options.endpoint !== undefined) endpoint = normaliseEndpoint(options.endpoint, "the endpoint option");
  else {
    const fromEnv = firstEnv(env, ["INTERSIGHT_API_URI", "INTERSIGHT_ENDPOINT_URL"]);
    endpoint = fromEnv ? normaliseEndpoint(fromEnv.value, fromEnv.name) : DEFAULT_ENDPOINT;
  }

  const maxPageSize = positiveInteger(options.maxPageSize, 1000, "maxPageSize");
  const pageSize = positiveInteger(options.pageSize, Math.min(100, maxPageSize), "pageSize");
  if (pageSize > maxPageSize) throw configError(`pageSize ${pageSize} is larger than maxPageSize ${maxPageSize}`);

  const signedHeaders = (options.signedHeaders ?? DEFAULT_SIGNED_HEADERS).map((h) => h.toLowerCase());
  for (const required of ["(request-target)", "host", "digest"]) {
    if (!signedHeaders.includes(required)) throw configError(`signedHeaders must include ${required} (Intersight rejects signatures that do not cover it)`);
  }
  if (!signedHeaders.includes("date") && !signedHeaders.includes("(created)")) throw configError("signedHeaders must include date or (created)");
  const signatureValiditySeconds = positiveInteger(options.signatureValiditySeconds, 300, "signatureValiditySeconds");

  return {
    keyId,
    privateKeyPem: pem,
    endpoint,
    pageSize,
    maxPageSize,
    signedHeaders,
    signatureValiditySeconds,
    attemptTimeoutMs: options.attemptTimeoutMs,
    operationTimeoutMs: options.operationTimeoutMs,
    maxAttempts: options.maxAttempts,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    now: options.now,
  };
}
