// OAuth2 client authentication at a token endpoint (RFC 6749 section 2.3, RFC 7523 section 2.2, OpenID
// Connect Core section 9).
// Shared by every OAuth2-speaking provider (idcs, oauth2): the client-assertion audience is a parameter.
import { TokenmintError } from "../errors.js";
import { Secret } from "../secret.js";
import type { AssertionSigner, SecretAssertionSigner } from "./assertion.js";

/** The client authentication methods of RFC 7591 section 2 (`token_endpoint_auth_method`) we implement. */
export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "client_secret_jwt" | "private_key_jwt";

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export type ClientAuthentication =
  | { readonly method: "client_secret_basic" | "client_secret_post"; readonly clientId: string; readonly clientSecret: Secret }
  | {
      readonly method: "private_key_jwt";
      readonly clientId: string;
      readonly signer: AssertionSigner;
      /** `aud` of the client assertion (the authorization server's issuer or token endpoint). */
      readonly audience: string | readonly string[];
      /** Assertion lifetime, seconds. Default 300. */
      readonly lifetimeSec?: number | undefined;
    }
  | {
      /** A client assertion signed with an HMAC keyed with the client secret (OpenID Connect Core section 9). */
      readonly method: "client_secret_jwt";
      readonly clientId: string;
      /** Built from the client secret by `createSecretAssertionSigner` (which checks its length). */
      readonly signer: SecretAssertionSigner;
      /** `aud` of the client assertion (the authorization server's issuer or token endpoint). */
      readonly audience: string | readonly string[];
      /** Assertion lifetime, seconds. Default 300. */
      readonly lifetimeSec?: number | undefined;
    };

/** What client authentication adds to a token request: form fields and headers. Secrets stay wrapped. */
export interface ClientAuthParts {
  readonly form: ReadonlyArray<readonly [string, string | Secret]>;
  readonly headers: Readonly<Record<string, Secret>>;
}

/**
 * `application/x-www-form-urlencoded` encoding of one value, as RFC 6749 section 2.3.1 requires for the
 * client id and secret inside HTTP Basic (and as URLSearchParams encodes form fields).
 */
export function formEncode(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice(1);
}

/**
 * HTTP Basic credentials of RFC 6749 section 2.3.1: id and secret form-encoded, joined with ":", base64.
 * For the usual id/secret alphabets (hex, UUIDs) the form encoding changes nothing, so this equals what
 * `curl -u id:secret` sends (Oracle's examples); servers that skip the decoding still match.
 */
export function basicCredentials(clientId: string, clientSecret: Secret): Secret {
  return new Secret(`Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret.reveal())}`).toString("base64")}`);
}

/** Builds the client authentication of one token request (a fresh client assertion each call). */
export async function clientAuthParts(auth: ClientAuthentication, provider: string, now?: number): Promise<ClientAuthParts> {
  if (auth.clientId.length === 0) throw new TokenmintError("configuration", "the client id is empty", { provider });
  switch (auth.method) {
    case "client_secret_basic":
      return { form: [], headers: { authorization: basicCredentials(auth.clientId, auth.clientSecret) } };
    case "client_secret_post":
      return { form: [["client_id", auth.clientId], ["client_secret", auth.clientSecret]], headers: {} };
    case "private_key_jwt":
    case "client_secret_jwt": {
      // RFC 7523 section 3: iss and sub are the client id; the jti makes the assertion single-use. The two
      // methods differ only in the key: the client's private key, or its secret as an HMAC key.
      const assertion = await auth.signer.sign({ iss: auth.clientId, sub: auth.clientId, aud: auth.audience, lifetimeSec: auth.lifetimeSec }, now);
      return {
        form: [
          ["client_id", auth.clientId],
          ["client_assertion_type", CLIENT_ASSERTION_TYPE],
          ["client_assertion", assertion],
        ],
        headers: {},
      };
    }
  }
}

/** Form-encodes fields, revealing secrets only here, where the body is built to be sent. */
export function encodeForm(fields: ReadonlyArray<readonly [string, string | Secret]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of fields) params.append(name, value instanceof Secret ? value.reveal() : value);
  return params.toString();
}
