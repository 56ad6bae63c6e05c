// RFC 7523 JWT assertions (client assertions and authorization grants), signed with jose.
// Shared by every OAuth2-speaking provider: audience, lifetime and header fields are parameters.
// jose is imported when a signer is built, not with core (it is most of core's import time).
import type { KeyObject } from "node:crypto";
import type { CryptoKey } from "jose";
import { TokenmintError } from "../errors.js";
import { Secret } from "../secret.js";
import { nodeCrypto } from "../builtins.js";

/** RFC 7515 algorithms an assertion may be signed with (RSA and EC; HMAC is not a private-key assertion). */
export type AssertionAlgorithm = "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "ES512";

const ALGORITHMS: ReadonlySet<string> = new Set<AssertionAlgorithm>(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]);

export interface AssertionSignerOptions {
  /** PKCS#8 or PKCS#1 PEM private key (RSA or EC). */
  privateKey: Secret | string;
  /** Signature algorithm. Default RS256 (what IDCS documents for client assertions). */
  algorithm?: AssertionAlgorithm | undefined;
  /** `kid` header: the identifier the server registered the public key under (IDCS: the certificate alias). */
  keyId?: string | undefined;
  /**
   * PEM certificate of the key; when given, the `x5t` and `x5t#S256` headers (base64url SHA-1 and SHA-256
   * thumbprints of its DER) are sent, as Oracle's assertion generator sample does.
   */
  certificate?: string | undefined;
  /** `x5t` header value given directly (instead of a certificate). */
  x5t?: string | undefined;
  /** Provider id put on errors. */
  provider: string;
}

/** Claims of one assertion. `iat`, `exp` and `jti` are filled in when absent. */
export interface AssertionClaims {
  iss: string;
  sub: string;
  aud: string | readonly string[];
  /** Lifetime in seconds from now. Default 300. */
  lifetimeSec?: number | undefined;
  /** A unique id; a fresh UUID by default (servers reject a replayed jti). */
  jti?: string | undefined;
  /** Further claims. They cannot override the ones above. */
  extra?: Readonly<Record<string, unknown>> | undefined;
}

/** Signs assertions with one pre-imported key. Build it once per key: importing the PEM is the slow part. */
export interface AssertionSigner {
  readonly algorithm: AssertionAlgorithm;
  readonly keyId: string | undefined;
  readonly x5t: string | undefined;
  /** Signs one assertion; the result is a Secret (an assertion is a credential until it expires). */
  sign(claims: AssertionClaims, now?: number): Promise<Secret>;
}

/**
 * Base64url thumbprint of a PEM certificate's DER: SHA-1 for the `x5t` header (RFC 7515 section 4.1.7),
 * SHA-256 for `x5t#S256` (section 4.1.8).
 */
export function certificateThumbprint(certificatePem: string, provider: string, hash: "sha1" | "sha256" = "sha1"): string {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(certificatePem);
  if (!match) throw new TokenmintError("configuration", "the certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----)", { provider });
  const der = Buffer.from(match[1]!.replace(/\s+/g, ""), "base64");
  if (der.length === 0) throw new TokenmintError("configuration", "the PEM certificate is empty", { provider });
  return nodeCrypto().createHash(hash).update(der).digest("base64url");
}

function parsePrivateKey(pem: Secret, provider: string): KeyObject {
  try {
    const key = nodeCrypto().createPrivateKey({ key: pem.reveal(), format: "pem" });
    if (key.type !== "private") throw new Error("not a private key");
    return key;
  } catch {
    // The error of createPrivateKey may quote part of the key: never chain it.
    throw new TokenmintError("configuration", "the private key is not a readable PEM private key (PKCS#8 or PKCS#1, unencrypted)", { provider });
  }
}

function checkKeyFitsAlgorithm(key: KeyObject, algorithm: AssertionAlgorithm, provider: string): void {
  const type = key.asymmetricKeyType;
  const wanted = algorithm.startsWith("ES") ? "ec" : "rsa";
  if ((wanted === "rsa" && type !== "rsa" && type !== "rsa-pss") || (wanted === "ec" && type !== "ec")) {
    throw new TokenmintError("configuration", `a ${type ?? "unknown"} key cannot sign ${algorithm} assertions`, { provider });
  }
  if (wanted === "rsa") {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new TokenmintError("configuration", `the RSA key has ${bits} bits; RFC 7518 requires at least 2048 for ${algorithm}`, { provider });
  }
}

/**
 * Imports a private key once and returns a signer of RFC 7523 assertions.
 *
 * @example
 * const signer = await createAssertionSigner({ privateKey: pem, keyId: "my-cert-alias", provider: "idcs" });
 * const jwt = await signer.sign({ iss: clientId, sub: clientId, aud: "https://identity.oraclecloud.com/" });
 */
export async function createAssertionSigner(options: AssertionSignerOptions): Promise<AssertionSigner> {
  const provider = options.provider;
  const algorithm = options.algorithm ?? "RS256";
  if (!ALGORITHMS.has(algorithm)) throw new TokenmintError("configuration", `unsupported assertion algorithm ${JSON.stringify(algorithm)}`, { provider });
  const pem = options.privateKey instanceof Secret ? options.privateKey : new Secret(options.privateKey);
  const keyObject = parsePrivateKey(pem, provider);
  checkKeyFitsAlgorithm(keyObject, algorithm, provider);
  // jose signs through WebCrypto: import once as a non-extractable CryptoKey so each signature is only
  // the signing itself (PKCS#1 keys are re-exported as PKCS#8 first, which jose's importer requires).
  const pkcs8 = keyObject.export({ format: "pem", type: "pkcs8" }).toString();
  const { importPKCS8, SignJWT } = await import("jose");
  let key: CryptoKey;
  try {
    key = await importPKCS8(pkcs8, algorithm, { extractable: false });
  } catch {
    throw new TokenmintError("configuration", `the private key cannot sign ${algorithm} (wrong curve or key type)`, { provider });
  }
  const x5t = options.x5t ?? (options.certificate === undefined ? undefined : certificateThumbprint(options.certificate, provider));
  const x5tS256 = options.certificate === undefined ? undefined : certificateThumbprint(options.certificate, provider, "sha256");
  const keyId = options.keyId;
  const header = { alg: algorithm, typ: "JWT", ...(keyId === undefined ? {} : { kid: keyId }), ...(x5t === undefined ? {} : { x5t }), ...(x5tS256 === undefined ? {} : { "x5t#S256": x5tS256 }) };

  return {
    algorithm,
    keyId,
    x5t,
    async sign(claims: AssertionClaims, now: number = Date.now()): Promise<Secret> {
      return new Secret(await new SignJWT(assertionPayload(claims, now, provider)).setProtectedHeader(header).sign(key));
    },
  };
}

/** The claims set of one assertion: the given claims, then iss/sub/aud, iat, exp and a fresh jti (RFC 7523 section 3). */
function assertionPayload(claims: AssertionClaims, now: number, provider: string): Record<string, unknown> {
  const lifetime = claims.lifetimeSec ?? 300;
  if (!(lifetime > 0)) throw new TokenmintError("configuration", "assertion lifetime must be positive", { provider });
  const iat = Math.floor(now / 1000);
  return { ...claims.extra, iss: claims.iss, sub: claims.sub, aud: typeof claims.aud === "string" ? claims.aud : [...claims.aud], iat, exp: iat + Math.floor(lifetime), jti: claims.jti ?? nodeCrypto().randomUUID() };
}

/** RFC 7518 section 3.2 algorithms of `client_secret_jwt` assertions (HMAC keyed with the client secret). */
export type HmacAssertionAlgorithm = "HS256" | "HS384" | "HS512";

/** Hash size of each HMAC algorithm, bits: RFC 7518 section 3.2 wants a key at least as long. */
const HMAC_BITS: Readonly<Record<HmacAssertionAlgorithm, number>> = { HS256: 256, HS384: 384, HS512: 512 };

/** The HMAC algorithms of `client_secret_jwt`, weakest first. */
export const HMAC_ASSERTION_ALGORITHMS: readonly HmacAssertionAlgorithm[] = ["HS256", "HS384", "HS512"];

export function isHmacAssertionAlgorithm(value: unknown): value is HmacAssertionAlgorithm {
  return typeof value === "string" && Object.hasOwn(HMAC_BITS, value);
}

export interface SecretAssertionSignerOptions {
  /** The client secret: its UTF-8 octets are the HMAC key (OpenID Connect Core section 10.1). */
  clientSecret: Secret | string;
  /** Default HS256. */
  algorithm?: HmacAssertionAlgorithm | undefined;
  /** Provider id put on errors. */
  provider: string;
}

/** Signs `client_secret_jwt` assertions with one client secret. */
export interface SecretAssertionSigner {
  readonly algorithm: HmacAssertionAlgorithm;
  /** Signs one assertion; the result is a Secret (an assertion is a credential until it expires). */
  sign(claims: AssertionClaims, now?: number): Promise<Secret>;
}

/**
 * Refuses a client secret shorter than the hash of `algorithm` (RFC 7518 section 3.2: "A key of the same
 * size as the hash output ... or larger MUST be used"). The message gives lengths, never the secret.
 */
export function checkHmacSecret(clientSecret: Secret, algorithm: HmacAssertionAlgorithm, provider: string): void {
  if (!isHmacAssertionAlgorithm(algorithm)) throw new TokenmintError("configuration", `unsupported client_secret_jwt algorithm ${JSON.stringify(algorithm)}`, { provider, hint: `use one of ${HMAC_ASSERTION_ALGORITHMS.join(", ")}` });
  const bits = Buffer.byteLength(clientSecret.reveal(), "utf8") * 8;
  const needed = HMAC_BITS[algorithm];
  if (bits < needed) {
    const fits = HMAC_ASSERTION_ALGORITHMS.filter((a) => HMAC_BITS[a] <= bits);
    throw new TokenmintError("configuration", `the client secret has ${bits} bits; RFC 7518 section 3.2 requires at least ${needed} (the hash size) for ${algorithm}`, {
      provider,
      hint: fits.length > 0 ? `use ${fits.join(" or ")} if the server accepts it, or a client secret of at least ${needed / 8} bytes` : `client_secret_jwt needs a client secret of at least ${needed / 8} bytes: ask the server for a longer one, or use another client authentication method`,
    });
  }
}

/**
 * Builds a signer of `client_secret_jwt` assertions (RFC 7523 section 2.2 with an HMAC, OpenID Connect Core
 * section 9): the secret is imported once as a non-extractable WebCrypto key, after its length is checked.
 *
 * @example
 * const signer = await createSecretAssertionSigner({ clientSecret, algorithm: "HS256", provider: "oauth2" });
 * const jwt = await signer.sign({ iss: clientId, sub: clientId, aud: tokenEndpoint });
 */
export async function createSecretAssertionSigner(options: SecretAssertionSignerOptions): Promise<SecretAssertionSigner> {
  const provider = options.provider;
  const algorithm = options.algorithm ?? "HS256";
  const clientSecret = options.clientSecret instanceof Secret ? options.clientSecret : new Secret(options.clientSecret);
  checkHmacSecret(clientSecret, algorithm, provider);
  const { SignJWT } = await import("jose");
  const raw = Buffer.from(clientSecret.reveal(), "utf8");
  let key: CryptoKey;
  try {
    key = (await nodeCrypto().webcrypto.subtle.importKey("raw", raw, { name: "HMAC", hash: `SHA-${HMAC_BITS[algorithm]}` }, false, ["sign"])) as CryptoKey;
  } finally {
    raw.fill(0);
  }
  const header = { alg: algorithm, typ: "JWT" };
  return {
    algorithm,
    async sign(claims: AssertionClaims, now: number = Date.now()): Promise<Secret> {
      return new Secret(await new SignJWT(assertionPayload(claims, now, provider)).setProtectedHeader(header).sign(key));
    },
  };
}
