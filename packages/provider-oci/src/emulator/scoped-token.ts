// POST /v1/actions/generateScopedAccessToken: authenticate, validate the body as the service would,
// check the scope against the tenancy, and issue an RS256 JWT shaped like the real ones.
import { randomUUID } from "node:crypto";
import type { TokenSigner } from "@tokenmint/core/emulator";
import { checkPublicKey } from "../public-key.js";
import { type DbScope, parseDbScope } from "../scopes.js";
import type { Principal } from "./authenticate.js";
import type { EmulatorIdentity } from "./identity.js";

/** The issuer real tokens carry (third-party decodes; shared/reference part A1). */
export const SCOPED_TOKEN_ISSUER = "authService.oracle.com";

/** An OCI error answer. */
export interface OciErrorAnswer {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export type IssueResult = { readonly ok: true; readonly token: string; readonly claims: Record<string, unknown> } | ({ readonly ok: false } & OciErrorAnswer);

function error(status: number, code: string, message: string): IssueResult {
  return { ok: false, status, code, message };
}

export interface ScopedTokenIssuer {
  readonly identity: EmulatorIdentity;
  readonly signer: TokenSigner;
  readonly lifetimeSec: number;
}

/** Whether the principal may get a token for the scope: the named compartments and databases must exist in its tenancy. */
function authorise(scope: DbScope, principal: Principal, identity: EmulatorIdentity): boolean {
  if (identity.isDenied(principal.user)) return false;
  const tenancy = principal.tenancy;
  let compartment: string | undefined;
  switch (scope.kind) {
    case "all":
      return true;
    case "id":
      compartment = identity.compartmentExists(tenancy, scope.compartment) ? scope.compartment : undefined;
      break;
    case "path":
      compartment = identity.resolvePath(tenancy, scope.path);
      break;
  }
  if (compartment === undefined) return false;
  return scope.database === undefined || identity.databaseIn(tenancy, scope.database, compartment);
}

/** Validates the body and issues the token. `nowMs` is the request's clock (clock-skew faults apply). */
export async function issueScopedToken(issuer: ScopedTokenIssuer, principal: Principal, contentType: string | undefined, body: Buffer, nowMs: number): Promise<IssueResult> {
  if (contentType === undefined || !/^application\/json\s*(?:;|$)/i.test(contentType.trim())) return error(400, "InvalidParameter", "Content-Type must be application/json.");
  let details: unknown;
  try {
    details = JSON.parse(body.toString("utf8"));
  } catch {
    return error(400, "CannotParseRequest", "The request body could not be parsed as JSON.");
  }
  if (details === null || typeof details !== "object" || Array.isArray(details)) return error(400, "CannotParseRequest", "The request body must be a GenerateScopedAccessTokenDetails object.");
  const record = details as Record<string, unknown>;
  for (const field of ["scope", "publicKey"]) {
    if (record[field] === undefined || record[field] === null || record[field] === "") return error(400, "MissingParameter", `Missing required parameter: ${field}.`);
    if (typeof record[field] !== "string") return error(400, "InvalidParameter", `Parameter ${field} must be a string.`);
  }
  const scopeText = record["scope"] as string;
  let scope: DbScope;
  try {
    scope = parseDbScope(scopeText);
  } catch {
    return error(400, "InvalidParameter", "The scope is not a valid database scope.");
  }
  let key: ReturnType<typeof checkPublicKey>;
  try {
    key = checkPublicKey(record["publicKey"]);
  } catch {
    return error(400, "InvalidParameter", "The publicKey is not a valid RSA public key.");
  }
  if (!authorise(scope, principal, issuer.identity)) return error(404, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.");

  const iat = Math.floor(nowMs / 1000);
  const jwk = key.key.export({ format: "jwk" });
  const claims: Record<string, unknown> = {
    sub: principal.user,
    tenant: principal.tenancy,
    ptype: "user",
    ttype: "scoped_access",
    scope: scopeText,
    aud: `urn:oracle:db:${principal.tenancy}`,
    iss: SCOPED_TOKEN_ISSUER,
    iat,
    exp: iat + issuer.lifetimeSec,
    jti: randomUUID(),
    jwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, alg: "RS256", use: "sig" },
  };
  // Real headers are {"kid":"scoped_sk_...","alg":"RS256"}: no typ.
  const token = await issuer.signer.sign(claims, { typ: undefined });
  return { ok: true, token, claims };
}
