// Token requests of each grant -> the form fields of RFC 6749 (client_credentials, password,
// refresh_token), RFC 8693 (token exchange), RFC 8707 (resource) and `audience`. Pure and checked: a
// request that cannot be right is refused before any call.
import { Secret, type Token, TokenmintError } from "@tokenmint/core";
import { PROVIDER_ID } from "./generated/index.js";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

/** RFC 8693 section 3 token type identifiers, by short name. */
export const TOKEN_TYPES = {
  access_token: "urn:ietf:params:oauth:token-type:access_token",
  refresh_token: "urn:ietf:params:oauth:token-type:refresh_token",
  id_token: "urn:ietf:params:oauth:token-type:id_token",
  jwt: "urn:ietf:params:oauth:token-type:jwt",
  saml1: "urn:ietf:params:oauth:token-type:saml1",
  saml2: "urn:ietf:params:oauth:token-type:saml2",
} as const;
export type TokenTypeName = keyof typeof TOKEN_TYPES;

/** What every grant may add: scopes, resource indicators, audiences (each falls back to the client's defaults). */
export interface RequestCommon {
  readonly scope?: string | readonly string[] | undefined;
  /** RFC 8707 resource indicators: absolute URIs without fragment. */
  readonly resource?: string | readonly string[] | undefined;
  /** `audience` parameters (RFC 8693; several servers take them on other grants too). */
  readonly audience?: string | readonly string[] | undefined;
}

/** One token request. Secrets may be given as strings; they are wrapped at once. */
export type Oauth2TokenRequest = RequestCommon &
  (
    | { readonly grant: "client_credentials" }
    | { readonly grant: "password"; readonly username: string; readonly password: string | Secret }
    | { readonly grant: "refresh_token"; readonly refreshToken: string | Secret }
    | {
        readonly grant: "token_exchange";
        /** The token to exchange; a Token is taken as an access token. */
        readonly subjectToken: string | Secret | Token;
        /** A short name or a type URI. Default access_token. */
        readonly subjectTokenType?: TokenTypeName | string | undefined;
        readonly actorToken?: string | Secret | Token | undefined;
        readonly actorTokenType?: TokenTypeName | string | undefined;
        readonly requestedTokenType?: TokenTypeName | string | undefined;
      }
  );

export type GrantName = Oauth2TokenRequest["grant"];
export const GRANTS: readonly GrantName[] = ["client_credentials", "password", "refresh_token", "token_exchange"];

/** The grant_type on the wire. */
export function wireGrantType(grant: GrantName): string {
  return grant === "token_exchange" ? TOKEN_EXCHANGE_GRANT : grant;
}

export type FormFields = Array<readonly [string, string | Secret]>;

function requestError(message: string, hint?: string): TokenmintError {
  return new TokenmintError("invalid_request", message, { provider: PROVIDER_ID, hint });
}

function secretOf(value: unknown, what: string): Secret {
  const s = value instanceof Secret ? value : typeof value === "string" ? new Secret(value) : value !== null && typeof value === "object" && (value as Token).value instanceof Secret ? (value as Token).value : undefined;
  if (s === undefined) throw requestError(`${what} must be a string, a Secret or a Token`);
  if (s.length === 0) throw requestError(`${what} is empty`);
  return s;
}

function tokenType(value: string | undefined, fallback: TokenTypeName | undefined, what: string): string | undefined {
  if (value === undefined) return fallback === undefined ? undefined : TOKEN_TYPES[fallback];
  if (Object.hasOwn(TOKEN_TYPES, value)) return TOKEN_TYPES[value as TokenTypeName];
  // Any absolute URI is a valid type identifier (RFC 8693 section 3); short names are ours.
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) return value;
  throw requestError(`${what} ${JSON.stringify(value)} is neither a token type URI nor one of ${Object.keys(TOKEN_TYPES).join(", ")}`);
}

/** RFC 6749 section 3.3: printable ASCII without space, double quote or backslash. */
function checkScopes(scopes: readonly string[]): void {
  for (const s of scopes) {
    if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s)) throw new TokenmintError("invalid_scope", `scope ${JSON.stringify(s)} has characters RFC 6749 does not allow`, { provider: PROVIDER_ID });
  }
}

/** RFC 8707 section 2: an absolute URI, no fragment. */
function checkResources(resources: readonly string[]): void {
  for (const r of resources) {
    let url: URL | undefined;
    try {
      url = new URL(r);
    } catch {
      url = undefined;
    }
    if (url === undefined || url.hash !== "" || r.includes("#")) throw requestError(`resource ${JSON.stringify(r)} must be an absolute URI without a fragment (RFC 8707 section 2)`);
  }
}

function list(value: string | readonly string[] | undefined, what: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = typeof value === "string" ? value.split(" ") : Array.isArray(value) ? [...value] : undefined;
  if (items === undefined || items.some((v) => typeof v !== "string")) throw requestError(`${what} must be a string or a list of strings`);
  return items.filter((v) => v !== "");
}

/** A request's grant fields and what it asked for, after the checks. */
export interface BuiltGrant {
  readonly grant: GrantName;
  readonly fields: FormFields;
  readonly scopes: readonly string[];
  readonly resources: readonly string[];
  readonly audiences: readonly string[];
}

/**
 * The form fields of one token request (client authentication excluded). Scopes, resources and
 * audiences of the request replace the client's defaults; on refresh the defaults are not sent (the
 * server keeps what it granted, RFC 6749 section 6).
 */
export function buildGrant(request: Oauth2TokenRequest, defaults: { scope: readonly string[]; resource: readonly string[]; audience: readonly string[] }): BuiltGrant {
  if (request === null || typeof request !== "object") throw requestError("the token request must be an object");
  const grant = request.grant;
  if (!GRANTS.includes(grant)) throw requestError(`unknown grant ${JSON.stringify(grant)}`, `use one of ${GRANTS.join(", ")}`);
  const refresh = grant === "refresh_token";
  const scopes = list(request.scope, "scope") ?? (refresh ? [] : [...defaults.scope]);
  const resources = list(request.resource, "resource") ?? (refresh ? [] : [...defaults.resource]);
  const audiences = list(request.audience, "audience") ?? (refresh ? [] : [...defaults.audience]);
  checkScopes(scopes);
  checkResources(resources);
  const fields: FormFields = [["grant_type", wireGrantType(grant)]];
  switch (request.grant) {
    case "client_credentials":
      break;
    case "password":
      if (typeof request.username !== "string" || request.username === "") throw requestError("the password grant needs a username");
      fields.push(["username", request.username], ["password", secretOf(request.password, "password")]);
      break;
    case "refresh_token":
      fields.push(["refresh_token", secretOf(request.refreshToken, "refreshToken")]);
      break;
    case "token_exchange": {
      fields.push(["subject_token", secretOf(request.subjectToken, "subjectToken")], ["subject_token_type", tokenType(request.subjectTokenType, "access_token", "subjectTokenType")!]);
      if (request.actorToken !== undefined) fields.push(["actor_token", secretOf(request.actorToken, "actorToken")], ["actor_token_type", tokenType(request.actorTokenType, "access_token", "actorTokenType")!]);
      else if (request.actorTokenType !== undefined) throw requestError("actorTokenType without actorToken");
      const requested = tokenType(request.requestedTokenType, undefined, "requestedTokenType");
      if (requested !== undefined) fields.push(["requested_token_type", requested]);
      break;
    }
  }
  if (scopes.length > 0) fields.push(["scope", scopes.join(" ")]);
  for (const r of resources) fields.push(["resource", r]);
  for (const a of audiences) fields.push(["audience", a]);
  return { grant, fields, scopes, resources, audiences };
}
