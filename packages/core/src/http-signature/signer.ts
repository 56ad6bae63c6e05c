// One signer for both header styles: OCI (`version="1"`, fixed components) and the draft-cavage
// form the Intersight SDKs send (`created`/`expires` parameters).
import type { KeyObject } from "node:crypto";
import { TokenmintError } from "../errors.js";
import type { Secret } from "../secret.js";
import { createSignFunction, resolveAlgorithm } from "./algorithms.js";
import { toPrivateKey } from "./keys.js";
import { buildSigningString } from "./signing-string.js";
import type { HttpSignatureAlgorithm, SignableRequest } from "./types.js";

export interface HttpSignerOptions {
  /** `<tenancy>/<user>/<fingerprint>` for OCI, the API key id for Intersight. */
  keyId: string;
  /** Parsed once here; a PEM string or Secret is parsed with `passphrase`. */
  privateKey: KeyObject | string | Secret;
  passphrase?: string | Secret | undefined;
  /** Default: rsa-sha256 for RSA keys, hs2019 for EC keys. */
  algorithm?: HttpSignatureAlgorithm | undefined;
  /** Covered components in order, e.g. `["date", "(request-target)", "host"]`. */
  components: readonly string[];
  style: "oci" | "cavage";
  /**
   * Order of the parameters before `signature` (always last) in the OCI style. Verifiers accept any
   * order; the default is the documented one (the published vectors, the Go/Java/Python SDKs), and
   * {@link OCI_TYPESCRIPT_SDK_PARAMETER_ORDER} gives oci-common's header byte for byte.
   */
  parameterOrder?: readonly OciSignatureParameter[] | undefined;
  /** Seconds from `(created)` to `(expires)`. Default 300, the Intersight SDKs' default. */
  validitySec?: number | undefined;
  /** Clock in milliseconds, for tests. */
  now?: (() => number) | undefined;
}

/** The parameters of an OCI `Signature` header besides `signature`. */
export type OciSignatureParameter = "version" | "headers" | "keyId" | "algorithm";

/** The OCI documentation's order: `version, headers, keyId, algorithm`. */
export const OCI_DOCUMENTED_PARAMETER_ORDER: readonly OciSignatureParameter[] = Object.freeze(["version", "headers", "keyId", "algorithm"]);

/** oci-common's order (lib/signer.js, DefaultRequestSigner): `version, keyId, algorithm, headers`. */
export const OCI_TYPESCRIPT_SDK_PARAMETER_ORDER: readonly OciSignatureParameter[] = Object.freeze(["version", "keyId", "algorithm", "headers"]);

export interface HttpSigner {
  /** Returns the whole `Authorization` header value for the request. */
  sign(request: SignableRequest): string;
  readonly keyId: string;
  readonly algorithm: HttpSignatureAlgorithm;
}

const DEFAULT_VALIDITY_SEC = 300;

function checkComponents(components: readonly string[], style: "oci" | "cavage"): string[] {
  if (!Array.isArray(components) || components.length === 0) throw new TokenmintError("configuration", "an HTTP signature must cover at least one component");
  const names = components.map((c) => String(c).toLowerCase());
  if (new Set(names).size !== names.length) throw new TokenmintError("configuration", "signature components must not repeat");
  for (const name of names) {
    if (name === "authorization") throw new TokenmintError("configuration", "the Authorization header cannot be signed");
    if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$|^\((?:request-target|created|expires)\)$/.test(name)) {
      throw new TokenmintError("configuration", `unsupported signature component ${JSON.stringify(name)}`);
    }
    if (style === "oci" && (name === "(created)" || name === "(expires)")) {
      throw new TokenmintError("configuration", `the OCI header style has no place for ${name}; use style "cavage"`);
    }
  }
  return names;
}

function ociPrefix(values: Readonly<Record<OciSignatureParameter, string>>, order: readonly OciSignatureParameter[] = OCI_DOCUMENTED_PARAMETER_ORDER): string {
  const names = Object.keys(values);
  if (order.length !== names.length || names.some((name) => !order.includes(name as OciSignatureParameter))) {
    throw new TokenmintError("configuration", `parameterOrder must list each of ${names.join(", ")} once`);
  }
  return `Signature ${order.map((name) => `${name}="${values[name]}"`).join(",")},signature="`;
}

function checkKeyId(keyId: string): void {
  // A quote or control character would end the parameter early. The value stays out of the message:
  // an OCI session-token keyId holds a token.
  if (typeof keyId !== "string" || keyId.length === 0) throw new TokenmintError("configuration", "keyId must be a non-empty string");
  if (/["\\\u0000-\u001f\u007f]/.test(keyId)) throw new TokenmintError("configuration", "keyId must not contain quotes, backslashes or control characters");
}

/**
 * Creates a draft-cavage HTTP signer. The key is parsed and checked here, once; `sign` only builds
 * strings around one `crypto.sign`.
 *
 * @example
 * const signer = createHttpSigner({ keyId: `${tenancy}/${user}/${fingerprint}`, privateKey: pem, components: ["date", "(request-target)", "host"], style: "oci" });
 * headers.authorization = signer.sign({ method: "GET", url, headers });
 */
export function createHttpSigner(options: HttpSignerOptions): HttpSigner {
  const { keyId, style } = options;
  checkKeyId(keyId);
  if (style !== "oci" && style !== "cavage") throw new TokenmintError("configuration", `unknown HTTP signature style ${JSON.stringify(style)}`);
  const components = checkComponents(options.components, style);
  if (style === "cavage" && options.parameterOrder !== undefined) throw new TokenmintError("configuration", 'parameterOrder applies to the "oci" style only');
  const key = toPrivateKey(options.privateKey, options.passphrase);
  const algorithm = resolveAlgorithm(key, options.algorithm);
  const signWith = createSignFunction(key, algorithm);
  const now = options.now ?? Date.now;

  const validitySec = options.validitySec ?? DEFAULT_VALIDITY_SEC;
  if (!Number.isInteger(validitySec) || validitySec <= 0) throw new TokenmintError("configuration", "validitySec must be a positive whole number of seconds");
  const usesCreated = components.includes("(created)");
  const usesExpires = components.includes("(expires)");
  // The `headers` parameter lists names as the caller spelled them (oci-common writes Content-Type and
  // Content-Length); the signing string always uses lowercase names, so verifiers see no difference.
  const headersParam = options.components.map(String).join(" ");
  // Everything before the per-request values is fixed: build it once.
  const prefix = style === "oci" ? ociPrefix({ version: "1", headers: headersParam, keyId, algorithm }, options.parameterOrder) : `Signature keyId="${keyId}",algorithm="${algorithm}",`;
  const cavageTail = `headers="${headersParam}",signature="`;

  function sign(request: SignableRequest): string {
    if (style === "oci") return `${prefix}${signWith(buildSigningString(request, components))}"`;
    let created: number | undefined;
    let expires: number | undefined;
    let timeParams = "";
    if (usesCreated || usesExpires) {
      created = Math.floor(now() / 1000);
      expires = created + validitySec;
      if (usesCreated) timeParams += `created=${created},`;
      if (usesExpires) timeParams += `expires=${expires},`;
    }
    const signature = signWith(buildSigningString(request, components, { created, expires }));
    return `${prefix}${timeParams}${cavageTail}${signature}"`;
  }

  return { sign, keyId, algorithm };
}
