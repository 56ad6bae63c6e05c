// Client configuration: AK/SK credentials (options, then the environment), region -> endpoint, timeouts,
// and how an ambiguous create is followed up. Validated before any call.
import { type Logger, Secret, TokenmintError } from "@tokenmint/core";

const PROVIDER = "huaweicloud";

/** Options of {@link createHuaweiCloudClient}. Secrets may be given as strings; they are wrapped at once. */
export interface HuaweiCloudOptions {
  /** The AK (access key id). Default: HUAWEICLOUD_SDK_AK, then HW_ACCESS_KEY. */
  readonly accessKey?: string | undefined;
  /** The SK (secret access key). Default: HUAWEICLOUD_SDK_SK, then HW_SECRET_KEY (always from the same source as the AK). */
  readonly secretKey?: string | Secret | undefined;
  /** Security token of temporary (STS) credentials, sent and signed as X-Security-Token. Default: HUAWEICLOUD_SDK_SECURITY_TOKEN / HW_SECURITY_TOKEN, from the AK's source. */
  readonly securityToken?: string | Secret | undefined;
  /** Region, e.g. `cn-north-4`, giving the endpoint `https://identitystore.<region>.myhuaweicloud.com`. Default: HUAWEICLOUD_SDK_REGION, then HW_REGION_NAME. */
  readonly region?: string | undefined;
  /** Endpoint URL overriding the region's (the regional host is inferred, not documented). Default: TOKENMINT_HUAWEICLOUD_ENDPOINT. */
  readonly endpoint?: string | undefined;
  /**
   * After an ambiguous create failure, revoke the token the failed attempt created (when exactly one
   * such token is found). Default false: the token is reported in the error, never silently kept or deleted.
   */
  readonly revokeOrphans?: boolean | undefined;
  /**
   * Before every create, list the tenant's tokens so that a token created by a failed attempt can be told
   * apart from older ones. Default true. When false, tokens created within `orphanCheck.windowMs` of the
   * attempt count as created by it (subject to clock skew between this host and the service).
   */
  readonly listBeforeCreate?: boolean | undefined;
  /** How long, after an ambiguous create failure, to look for the token it may have created. */
  readonly orphanCheck?: OrphanCheckOptions | undefined;
  /** Longest time one HTTP attempt may take. Default 30 s. */
  readonly attemptTimeoutMs?: number | undefined;
  /** Default overall budget of an operation without a deadline. Default 120 s. */
  readonly operationTimeoutMs?: number | undefined;
  /** Attempts of retry-safe operations (list, delete), the first included. Default 4. */
  readonly maxAttempts?: number | undefined;
  readonly userAgent?: string | undefined;
  /** Clock used for X-Sdk-Date (tests). Default Date.now. */
  readonly now?: (() => number) | undefined;
}

export interface OrphanCheckOptions {
  /**
   * How long to keep listing when the token has not appeared yet (a create that timed out may still be
   * running on the server). Default 3000 ms.
   */
  readonly settleMs?: number | undefined;
  /** Pause between two lists while settling. Default 1000 ms. */
  readonly intervalMs?: number | undefined;
  /** Budget of the whole check, lists and revoke included; it runs even when the operation's deadline has passed. Default 20 s. */
  readonly timeoutMs?: number | undefined;
  /** Without a list taken before the create: tokens created this long before the attempt or later count as its own. Default 5 min. */
  readonly windowMs?: number | undefined;
}

/** Where the AK/SK pair came from (for messages; never the values). */
export type CredentialSource = "options" | "HUAWEICLOUD_SDK_*" | "HW_*";

export interface ResolvedConfig {
  readonly accessKey: string;
  readonly secretKey: Secret;
  readonly securityToken: Secret | undefined;
  readonly credentialSource: CredentialSource;
  readonly region: string | undefined;
  /** Base URL without a trailing slash. */
  readonly endpoint: string;
  readonly revokeOrphans: boolean;
  readonly listBeforeCreate: boolean;
  readonly orphanCheck: Required<OrphanCheckOptions>;
  readonly attemptTimeoutMs: number | undefined;
  readonly operationTimeoutMs: number | undefined;
  readonly maxAttempts: number | undefined;
  readonly userAgent: string | undefined;
  readonly now: () => number;
  readonly logger: Logger | undefined;
}

/** The regional endpoint: INFERRED from terraform-provider-huaweicloud's service catalog (`identitystore`, regional). */
export function regionalEndpoint(region: string): string {
  return `https://identitystore.${region}.myhuaweicloud.com`;
}

const REGION = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

function configError(message: string, hint?: string): TokenmintError {
  return new TokenmintError("configuration", message, { provider: PROVIDER, hint });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function toSecret(value: string | Secret | undefined, what: string): Secret | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Secret) return value.length === 0 ? undefined : value;
  if (typeof value !== "string") throw configError(`${what} must be a string`);
  return value === "" ? undefined : new Secret(value);
}

interface CredentialTriple {
  accessKey: string | undefined;
  secretKey: Secret | undefined;
  securityToken: Secret | undefined;
  source: CredentialSource;
}

function fromEnv(env: Readonly<Record<string, string | undefined>>, prefix: "HUAWEICLOUD_SDK_" | "HW_"): CredentialTriple {
  const [ak, sk, st] = prefix === "HW_" ? ["HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN"] : ["HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN"];
  return {
    accessKey: nonEmpty(env[ak]),
    secretKey: toSecret(nonEmpty(env[sk]), sk),
    securityToken: toSecret(nonEmpty(env[st]), st),
    source: prefix === "HW_" ? "HW_*" : "HUAWEICLOUD_SDK_*",
  };
}

/**
 * Picks the AK/SK pair (and its security token) from one source only: options, else
 * HUAWEICLOUD_SDK_AK/SK/SECURITY_TOKEN (the official SDKs' variables), else HW_ACCESS_KEY/HW_SECRET_KEY/
 * HW_SECURITY_TOKEN (terraform-provider-huaweicloud's). Mixing halves of two pairs would only produce
 * signature failures that are hard to explain.
 */
function pickCredentials(options: HuaweiCloudOptions, env: Readonly<Record<string, string | undefined>>): CredentialTriple {
  const given: CredentialTriple = {
    accessKey: nonEmpty(options.accessKey),
    secretKey: toSecret(options.secretKey, "secretKey"),
    securityToken: toSecret(options.securityToken, "securityToken"),
    source: "options",
  };
  if (given.accessKey !== undefined || given.secretKey !== undefined || given.securityToken !== undefined) {
    if (given.accessKey === undefined || given.secretKey === undefined) {
      throw configError(`options give ${given.accessKey === undefined ? "no accessKey" : "no secretKey"}`, "give accessKey and secretKey together (and securityToken for temporary credentials), or none of them to use HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK");
    }
    return given;
  }
  for (const prefix of ["HUAWEICLOUD_SDK_", "HW_"] as const) {
    const found = fromEnv(env, prefix);
    if (found.accessKey === undefined && found.secretKey === undefined) continue;
    if (found.accessKey === undefined || found.secretKey === undefined) {
      const names = prefix === "HW_" ? "HW_ACCESS_KEY and HW_SECRET_KEY" : "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK";
      throw configError(`only one of ${names} is set`, `set both ${names}`);
    }
    return found;
  }
  throw configError("no AK/SK credentials", "pass accessKey and secretKey, or set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (plus HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary credentials)");
}

function checkCredentials(c: CredentialTriple): void {
  const ak = c.accessKey!;
  // The AK goes into the Authorization header, where a space or comma would break its grammar.
  if (!/^[A-Za-z0-9._~+/=-]+$/.test(ak)) throw configError(`the access key from ${c.source} contains characters an AK never has (white space, commas, ...)`, "copy the AK again without spaces or line breaks");
  const sk = c.secretKey!.reveal();
  if (sk.trim() !== sk) throw configError(`the secret key from ${c.source} has leading or trailing white space`, "copy the SK again without spaces or line breaks (Huawei's API Gateway rejects it)");
  if (c.securityToken !== undefined && !/^[\x21-\x7e]+$/.test(c.securityToken.reveal())) {
    throw configError(`the security token from ${c.source} contains characters not allowed in an HTTP header`, "copy the security token again without spaces or line breaks");
  }
}

function positive(value: number | undefined, what: string, allowZero = false): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw configError(`${what} must be a ${allowZero ? "non-negative" : "positive"} number of milliseconds`);
  return value;
}

function resolveEndpoint(options: HuaweiCloudOptions, env: Readonly<Record<string, string | undefined>>): { endpoint: string; region: string | undefined } {
  const region = nonEmpty(options.region) ?? nonEmpty(env["HUAWEICLOUD_SDK_REGION"]) ?? nonEmpty(env["HW_REGION_NAME"]);
  if (region !== undefined && (region.length > 64 || !REGION.test(region))) throw configError(`region ${JSON.stringify(region)} is not a region id`, "use an id such as cn-north-4 or ap-southeast-1");
  const explicit = nonEmpty(options.endpoint) ?? nonEmpty(env["TOKENMINT_HUAWEICLOUD_ENDPOINT"]);
  if (explicit === undefined) {
    if (region === undefined) throw configError("no region and no endpoint", "pass region (e.g. cn-north-4) or endpoint, or set HUAWEICLOUD_SDK_REGION");
    return { endpoint: regionalEndpoint(region), region };
  }
  let url: URL;
  try {
    url = new URL(explicit);
  } catch {
    throw configError(`endpoint ${JSON.stringify(explicit)} is not a URL`, "use e.g. https://identitystore.cn-north-4.myhuaweicloud.com");
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") throw configError("the endpoint must not carry credentials, a query or a fragment");
  // A token's value travels in the response: plain HTTP only to this machine (the emulator).
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw configError(`endpoint ${url.origin} is not https`, "plain http is allowed only for a loopback emulator");
  }
  return { endpoint: `${url.origin}${url.pathname.replace(/\/+$/, "")}`, region };
}

/** Resolves and validates the configuration; throws `configuration` naming what is wrong. */
export function resolveConfig(options: HuaweiCloudOptions = {}, env: Readonly<Record<string, string | undefined>> = process.env, logger?: Logger): ResolvedConfig {
  if (options === null || typeof options !== "object") throw configError("options must be an object");
  const credentials = pickCredentials(options, env);
  checkCredentials(credentials);
  const { endpoint, region } = resolveEndpoint(options, env);
  const check = options.orphanCheck ?? {};
  const maxAttempts = options.maxAttempts;
  if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1)) throw configError("maxAttempts must be an integer of at least 1");
  return {
    accessKey: credentials.accessKey!,
    secretKey: credentials.secretKey!,
    securityToken: credentials.securityToken,
    credentialSource: credentials.source,
    region,
    endpoint,
    revokeOrphans: options.revokeOrphans === true,
    listBeforeCreate: options.listBeforeCreate !== false,
    orphanCheck: {
      settleMs: positive(check.settleMs, "orphanCheck.settleMs", true) ?? 3000,
      intervalMs: positive(check.intervalMs, "orphanCheck.intervalMs") ?? 1000,
      timeoutMs: positive(check.timeoutMs, "orphanCheck.timeoutMs") ?? 20_000,
      windowMs: positive(check.windowMs, "orphanCheck.windowMs", true) ?? 5 * 60_000,
    },
    attemptTimeoutMs: positive(options.attemptTimeoutMs, "attemptTimeoutMs"),
    operationTimeoutMs: positive(options.operationTimeoutMs, "operationTimeoutMs"),
    maxAttempts,
    userAgent: options.userAgent,
    now: options.now ?? Date.now,
    logger,
  };
}
