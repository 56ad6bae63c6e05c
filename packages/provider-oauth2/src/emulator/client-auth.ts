// Client authentication as an authorization server checks it (RFC 6749 section 2.3, RFC 7523 section 3):
// exactly one method per request, the method registered for the client, secrets compared in constant
// time, client assertions verified with the client's registered key (private_key_jwt) or its secret
// (client_secret_jwt) through core's verifyJwt, each with its own algorithm allow-list, single-use jti.
import { CLIENT_ASSERTION_TYPE, type JwksSource, TokenmintError, verifyJwt } from "@tokenmint/core";
import type { Directory, EmulatorAuthMethod, EmulatorClient } from "./directory.js";
import { OAuthError } from "./oauth-error.js";

export interface Authenticated {
  readonly client: EmulatorClient;
  readonly method: EmulatorAuthMethod;
}

function basic(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  // RFC 6749 section 2.3.1: id and secret are form-encoded inside the Basic credentials.
  const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
  try {
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/** Algorithms of private_key_jwt assertions (verified with the client's registered public key). */
export const KEY_ASSERTION_ALGORITHMS: readonly string[] = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];
/** Algorithms of client_secret_jwt assertions (HMAC keyed with the client secret), with their hash size in bits. */
export const HMAC_ASSERTION_BITS: Readonly<Record<string, number>> = { HS256: 256, HS384: 384, HS512: 512 };

/** What the server accepts: methods and assertion algorithms (what its metadata advertises). */
export interface ClientAuthPolicy {
  readonly methods: ReadonlySet<EmulatorAuthMethod>;
  readonly algorithms: ReadonlySet<string>;
}

/**
 * Authenticates the client of a request to the token, revocation or introspection endpoint. `audiences`
 * are the values a client assertion's `aud` may take (the issuer, the token endpoint, this endpoint).
 */
export async function authenticateClient(directory: Directory, authorization: string | undefined, form: URLSearchParams, audiences: readonly string[], nowMs: number, policy: ClientAuthPolicy): Promise<Authenticated> {
  const fromHeader = authorization !== undefined && /^Basic /i.test(authorization);
  const hasSecret = form.has("client_secret");
  const hasAssertion = form.has("client_assertion") || form.has("client_assertion_type");
  if (Number(fromHeader) + Number(hasSecret) + Number(hasAssertion) > 1) throw new OAuthError(400, "invalid_request", "more than one client authentication method was used");
  const offered = (method: EmulatorAuthMethod, challenge = false) => {
    if (!policy.methods.has(method)) throw new OAuthError(401, "invalid_client", `this server does not accept ${method}`, challenge);
  };
  if (fromHeader) {
    offered("client_secret_basic", true);
    const credentials = basic(authorization);
    if (credentials === undefined) throw new OAuthError(401, "invalid_client", "malformed HTTP Basic credentials", true);
    const client = directory.clients.get(credentials.id);
    if (client === undefined || !directory.checkSecret(client, credentials.secret)) throw new OAuthError(401, "invalid_client", "client authentication failed", true);
    if (!client.authMethods.has("client_secret_basic")) throw new OAuthError(401, "invalid_client", "client_secret_basic is not registered for this client", true);
    return { client, method: "client_secret_basic" };
  }
  if (hasSecret) {
    offered("client_secret_post");
    const client = directory.clients.get(form.get("client_id") ?? "");
    if (client === undefined || !directory.checkSecret(client, form.get("client_secret") ?? "")) throw new OAuthError(401, "invalid_client", "client authentication failed");
    if (!client.authMethods.has("client_secret_post")) throw new OAuthError(401, "invalid_client", "client_secret_post is not registered for this client");
    return { client, method: "client_secret_post" };
  }
  if (hasAssertion) return checkAssertion(directory, form, audiences, nowMs, policy, offered);
  throw new OAuthError(401, "invalid_client", "no client authentication", true);
}

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * private_key_jwt and client_secret_jwt (RFC 7523 section 3, OpenID Connect Core section 9): the header's
 * alg says which; each has its own allow-list and key (the registered public key, or the client secret),
 * so an HMAC assertion is never checked against a public key. Both then check iss = sub = the client, aud,
 * exp (with iat and nbf when present) and a single-use jti.
 */
async function checkAssertion(directory: Directory, form: URLSearchParams, audiences: readonly string[], nowMs: number, policy: ClientAuthPolicy, offered: (method: EmulatorAuthMethod) => void): Promise<Authenticated> {
  if (form.get("client_assertion_type") !== CLIENT_ASSERTION_TYPE) throw new OAuthError(400, "invalid_request", `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`);
  const assertion = form.get("client_assertion") ?? "";
  const [headerPart, payloadPart] = assertion.split(".");
  const alg = decodePart(headerPart)?.["alg"];
  const hmac = typeof alg === "string" && Object.hasOwn(HMAC_ASSERTION_BITS, alg);
  if (!hmac && !(typeof alg === "string" && KEY_ASSERTION_ALGORITHMS.includes(alg))) throw new OAuthError(401, "invalid_client", `client assertion algorithm ${JSON.stringify(alg ?? null)} is not allowed`);
  const method: EmulatorAuthMethod = hmac ? "client_secret_jwt" : "private_key_jwt";
  offered(method);
  if (!policy.algorithms.has(alg)) throw new OAuthError(401, "invalid_client", `client assertion algorithm ${alg} is not allowed by this server`);
  // The client is the assertion's iss (and sub); client_id, when sent, must agree.
  const iss = decodePart(payloadPart)?.["iss"];
  const client = typeof iss === "string" ? directory.clients.get(iss) : undefined;
  if (client === undefined) throw new OAuthError(401, "invalid_client", "client authentication failed");
  if (form.has("client_id") && form.get("client_id") !== client.clientId) throw new OAuthError(401, "invalid_client", "client_id does not match the assertion's iss");
  if (!client.authMethods.has(method)) throw new OAuthError(401, "invalid_client", `${method} is not registered for this client`);
  if (client.assertionAlgorithm !== undefined && alg !== client.assertionAlgorithm) throw new OAuthError(401, "invalid_client", `client assertion algorithm ${alg} is not the one registered for this client (${client.assertionAlgorithm})`);
  let key: JwksSource;
  if (hmac) {
    const secret = client.secret;
    if (secret === undefined) throw new OAuthError(401, "invalid_client", "client authentication failed");
    // RFC 7518 section 3.2: a key shorter than the hash MUST NOT be used.
    if (Buffer.byteLength(secret, "utf8") * 8 < HMAC_ASSERTION_BITS[alg]!) throw new OAuthError(401, "invalid_client", `the client secret is too short for ${alg}`);
    key = async () => new TextEncoder().encode(secret);
  } else {
    if (client.publicJwk === undefined) throw new OAuthError(401, "invalid_client", "client authentication failed");
    key = { keys: [client.publicJwk] };
  }
  let claims: Record<string, unknown>;
  try {
    const verified = await verifyJwt(assertion, {
      jwks: key,
      algorithms: [alg],
      issuer: client.clientId,
      audience: audiences,
      requiredClaims: ["exp", "jti", "sub"],
      clockToleranceSec: 30,
      currentDate: new Date(nowMs),
    });
    claims = verified.claims as Record<string, unknown>;
  } catch (error) {
    throw new OAuthError(401, "invalid_client", `client assertion rejected: ${error instanceof TokenmintError ? error.message : "invalid"}`);
  }
  if (claims["sub"] !== client.clientId) throw new OAuthError(401, "invalid_client", "the client assertion's sub must be the client id");
  if (!directory.useAssertionId(client.clientId, String(claims["jti"]), Number(claims["exp"]), Math.floor(nowMs / 1000))) {
    throw new OAuthError(401, "invalid_client", "the client assertion was already used (jti replay)");
  }
  return { client, method };
}
