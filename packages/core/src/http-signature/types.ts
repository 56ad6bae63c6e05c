// Shapes shared by the signer, the parser and the verifier of draft-cavage HTTP signatures.

/**
 * Algorithm names as they appear in `algorithm="..."`. `rsa-sha256` is what OCI and Intersight v2
 * (RSA) keys use; `hs2019` means "derive it from the key" (ECDSA for Intersight v3 keys).
 */
export type HttpSignatureAlgorithm = "rsa-sha256" | "hs2019";

/** The parts of a request a signature covers. Header names may be in any case. */
export interface SignableRequest {
  method: string;
  url: string | URL;
  headers: Readonly<Record<string, string>>;
}

/**
 * Values of the `(created)` / `(expires)` pseudo-headers. Strings are used verbatim: a verifier must
 * rebuild the line exactly as sent, and the Go and Python Intersight SDKs send fractional `expires`.
 */
export interface SigningStringParams {
  created?: number | string | undefined;
  expires?: number | string | undefined;
}

/** The parameters of a `Signature` header, as {@link parseSignatureHeader} reads them. */
export interface ParsedSignature {
  keyId: string;
  /** As sent, lowercased; `hs2019` when the header has none (the draft says to derive it from the key). */
  algorithm: string;
  /** Covered components, lowercased, in signing order. `["date"]` when the header has none. */
  headers: string[];
  signature: Buffer;
  created?: number | undefined;
  expires?: number | undefined;
  /** OCI's `version="1"`. */
  version?: string | undefined;
  /** Every parameter exactly as sent (names lowercased), for rebuilding `(created)`/`(expires)` lines. */
  params: Readonly<Record<string, string>>;
}
