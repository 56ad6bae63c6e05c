// Client authentication as an authorization server checks it (RFC 6749 section 2.3, RFC 7523 section 3):
// exactly one method per request, the method registered for the client, secrets compared in constant
// time, client assertions verified with the client's registered key (core's verifyJwt), single-use jti.
import { CLIENT_ASSERTION_TYPE, TokenmintError, verifyJwt } from "@tokenmint/core";
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

const ASSERTION_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

/**
 * Authenticates the client of a request to the token, revocation or introspection endpoint. `audiences`
 * are the values a client assertion's `aud` may take (the issuer, the token endpoint, this endpoint).
 */
export async function authenticateClient(directory: Directory, authorization: string | undefined, form: URLSearchParams, audiences: readonly string[], nowMs: number): Promise<Authenticated> {
  const fromHeader = authorization !== undefined && /^Basic /i.test(authorization);
  const hasSecret = form.has("client_secret");
  const hasAssertion = form.has("client_assertion") || form.has("client_assertion_type");
  if (Number(fromHeader) + Number(hasSecret) + Number(hasAssertion) > 1) throw new OAuthError(400, "invalid_request", "more than one client authentication method was used");
  if (fromHeader) {
    const credentials = basic(authorization);
    if (credentials === undefined) throw new OAuthError(401, "invalid_client", "malformed HTTP Basic credentials", true);
    const client = directory.clients.get(credentials.id);
    if (client === undefined || !directory.checkSecret(client, credentials.secret)) throw new OAuthError(401, "invalid_client", "client authentication failed", true);
    if (!client.authMethods.has("client_secret_basic")) throw new OAuthError(401, "invalid_client", "client_secret_basic is not registered for this client", true);
    return { client, method: "client_secret_basic" };
  }
  if (hasSecret) {
    const client = directory.clients.get(form.get("client_id") ?? "");
    if (client === undefined || !directory.checkSecret(client, form.get("client_secret") ?? "")) throw new OAuthError(401, "invalid_client", "client authentication failed");
    if (!client.authMethods.has("client_secret_post")) throw new OAuthError(401, "invalid_client", "client_secret_post is not registered for this client");
    return { client, method: "client_secret_post" };
  }
  if (hasAssertion) return { client: await checkAssertion(directory, form, audiences, nowMs), method: "private_key_jwt" };
  throw new OAuthError(401, "invalid_client", "no client authentication", true);
}

async function checkAssertion(directory: Directory, form: URLSearchParams, audiences: readonly string[], nowMs: number): Promise<EmulatorClient> {
  if (form.get("client_assertion_type") !== CLIENT_ASSERTION_TYPE) throw new OAuthError(400, "invalid_request", `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`);
  const assertion = form.get("client_assertion") ?? "";
  // The client is the assertion's iss (and sub); client_id, when sent, must agree.
  let iss: unknown;
  try {
    iss = JSON.parse(Buffer.from(assertion.split(".")[1] ?? "", "base64url").toString("utf8")).iss;
  } catch {
    iss = undefined;
  }
  const client = typeof iss === "string" ? directory.clients.get(iss) : undefined;
  if (client === undefined || client.publicJwk === undefined) throw new OAuthError(401, "invalid_client", "client authentication failed");
  if (form.has("client_id") && form.get("client_id") !== client.clientId) throw new OAuthError(401, "invalid_client", "client_id does not match the assertion's iss");
  if (!client.authMethods.has("private_key_jwt")) throw new OAuthError(401, "invalid_client", "private_key_jwt is not registered for this client");
  let claims: Record<string, unknown>;
  try {
    const verified = await verifyJwt(assertion, {
      jwks: { keys: [client.publicJwk] },
      algorithms: ASSERTION_ALGORITHMS,
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
  return client;
}
