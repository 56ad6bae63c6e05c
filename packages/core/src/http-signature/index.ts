// draft-cavage HTTP signatures: one implementation for the OCI and Intersight providers. Signing is
// client code (main entry); parsing and verifying are server code, exported by @tokenmint/core/emulator.
export { sha256Base64 } from "./digest.js";
export { keyFingerprint, loadPrivateKey } from "./keys.js";
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
