// OAuth 2.0 client pieces shared by the providers that speak it (idcs, oauth2, ...).
export {
  type AssertionAlgorithm,
  type AssertionClaims,
  type AssertionSigner,
  type AssertionSignerOptions,
  certificateThumbprint,
  checkHmacSecret,
  createAssertionSigner,
  createSecretAssertionSigner,
  HMAC_ASSERTION_ALGORITHMS,
  type HmacAssertionAlgorithm,
  isHmacAssertionAlgorithm,
  type SecretAssertionSigner,
  type SecretAssertionSignerOptions,
} from "./assertion.js";
export { basicCredentials, CLIENT_ASSERTION_TYPE, type ClientAuthentication, type ClientAuthMethod, type ClientAuthParts, clientAuthParts, encodeForm, formEncode } from "./client-auth.js";
export { JwksCache } from "./jwks-cache.js";
