// draft-cavage HTTP signatures: one implementation for the OCI and Intersight providers.
export { sha256Base64 } from "./digest.js";
export { keyFingerprint, loadPrivateKey } from "./keys.js";
export { parseSignatureHeader } from "./parse.js";
export {
  createHttpSigner,
  type HttpSigner,
  type HttpSignerOptions,
  OCI_DOCUMENTED_PARAMETER_ORDER,
  OCI_TYPESCRIPT_SDK_PARAMETER_ORDER,
  type OciSignatureParameter,
} from "./signer.js";
export { buildSigningString } from "./signing-string.js";
export type { HttpSignatureAlgorithm, ParsedSignature, SignableRequest, SigningStringParams } from "./types.js";
export { type VerifyHttpSignatureOptions, type VerifyResult, verifyHttpSignature } from "./verify.js";
