// @tokenmint/core/emulator: the kit the provider emulators are built on. Real loopback HTTP servers
// with fault injection, plus a JWT issuer. Kept off the main entry so library users never load it.
export { EmulatorHttpError, empty, json, text } from "./responses.js";
export { createEmulatorServer } from "./server.js";
export { type SelfSignedCertificate, selfSignedCertificate } from "./certificate.js";
export { parseSignatureHeader } from "../http-signature/parse.js";
export { type VerifyHttpSignatureOptions, type VerifyResult, verifyHttpSignature } from "../http-signature/verify.js";
export { createTokenSigner, type TokenSigner, type TokenSignerOptions } from "./token-signer.js";
export type {
  BodyFault,
  ClockSkewFault,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorServer,
  EmulatorServerOptions,
  Fault,
  FaultController,
  FaultHandle,
  FaultKind,
  HtmlFault,
  LatencyFault,
  RequestLogEntry,
  ResetAfterFault,
  ResetBeforeFault,
  Route,
  StatusFault,
  TruncateFault,
} from "./types.js";
