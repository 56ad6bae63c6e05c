// A JWT issuer for emulators: a fresh key pair per signer, tokens through jose, a public JWKS.
import { generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { calculateJwkThumbprint, exportJWK, type JWK, type JWTHeaderParameters, type JWTPayload, SignJWT } from "jose";

export interface TokenSignerOptions {
  /** Default RS256. */
  alg?: "RS256" | "ES256" | undefined;
  /** Default: the key's RFC 7638 thumbprint. */
  kid?: string | undefined;
  /** Put in `iss` when the claims have none. */
  issuer?: string | undefined;
}

export interface TokenSigner {
  readonly kid: string;
  readonly alg: "RS256" | "ES256";
  /**
   * Signs the claims. `iat` is set to now when absent (pass it to issue skewed tokens); `header` may
   * override `kid` and `typ`, never `alg`.
   */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** The public key as a JWKS document. */
  jwks(): { keys: JWK[] };
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

const generate = promisify(generateKeyPair);

/**
 * Creates a token signer with a new key pair, generated off the event loop (RSA-2048 takes long
 * enough to stall a server if done synchronously).
 *
 * @example
 * const signer = await createTokenSigner({ issuer: "https://identity.oraclecloud.com/" });
 * const token = await signer.sign({ sub: "user", exp: Math.floor(req.now() / 1000) + 3600 });
 */
export async function createTokenSigner(options: TokenSignerOptions = {}): Promise<TokenSigner> {
  const alg = options.alg ?? "RS256";
  const { publicKey, privateKey } = alg === "ES256" ? await generate("ec", { namedCurve: "P-256" }) : await generate("rsa", { modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  const kid = options.kid ?? (await calculateJwkThumbprint(publicJwk));
  const jwk: JWK = { ...publicJwk, kid, alg, use: "sig" };

  async function sign(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
    const payload: JWTPayload = { ...claims };
    if (payload.iat === undefined) payload.iat = Math.floor(Date.now() / 1000);
    if (payload.iss === undefined && options.issuer !== undefined) payload.iss = options.issuer;
    const protectedHeader = { typ: "JWT", kid, ...header, alg } as JWTHeaderParameters;
    return new SignJWT(payload).setProtectedHeader(protectedHeader).sign(privateKey);
  }

  return {
    kid,
    alg,
    sign,
    jwks: () => ({ keys: [{ ...jwk }] }),
    publicKey,
    privateKey,
  };
}
