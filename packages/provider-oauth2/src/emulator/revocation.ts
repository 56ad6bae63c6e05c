// RFC 7009 revocation and RFC 7662 introspection, for tokens of the authenticated client.
import type { EmulatorClient } from "./directory.js";
import { OAuthError } from "./oauth-error.js";
import type { ServerContext, TokenEndpoint } from "./token-endpoint.js";

const HINTS = new Set(["access_token", "refresh_token"]);

function tokenOf(form: URLSearchParams): { token: string; hint: string | undefined } {
  const token = form.get("token");
  if (token === null || token === "") throw new OAuthError(400, "invalid_request", "token is missing");
  const hint = form.get("token_type_hint") ?? undefined;
  // RFC 7009 section 2.2.1: a token type the server cannot revoke.
  if (hint !== undefined && !HINTS.has(hint)) throw new OAuthError(400, "unsupported_token_type", `token_type_hint ${hint} is not supported`);
  return { token, hint };
}

/**
 * Revokes a refresh token (ending its whole grant, as RFC 7009 section 2.1 recommends) or an access token
 * of this client. Unknown tokens and other clients' tokens change nothing and still get 200 (section 2.2):
 * the answer reveals nothing about tokens the caller does not own.
 */
export async function revoke(context: ServerContext, endpoint: TokenEndpoint, client: EmulatorClient, form: URLSearchParams, nowMs: number): Promise<void> {
  const { token } = tokenOf(form);
  const refresh = context.directory.refreshTokens.get(token);
  if (refresh !== undefined) {
    if (refresh.clientId === client.clientId) context.directory.revokeFamily(refresh.family);
    return;
  }
  const access = await endpoint.introspectAccessToken(token, nowMs);
  if (access !== undefined && access.clientId === client.clientId) access.active = false;
}

/** RFC 7662 section 2.2: `active: false` and nothing else for anything not active or not the caller's. */
export async function introspect(context: ServerContext, endpoint: TokenEndpoint, client: EmulatorClient, form: URLSearchParams, nowMs: number): Promise<Record<string, unknown>> {
  const { token } = tokenOf(form);
  const refresh = context.directory.refreshTokens.get(token);
  if (refresh !== undefined) {
    const active = refresh.active && !refresh.used && refresh.exp * 1000 > nowMs && refresh.clientId === client.clientId;
    if (!active) return { active: false };
    return { active: true, token_type: "refresh_token", client_id: refresh.clientId, username: refresh.username, sub: refresh.username, scope: refresh.scope.join(" "), exp: refresh.exp, iss: context.issuer };
  }
  const access = await endpoint.introspectAccessToken(token, nowMs);
  // Resource servers introspect tokens issued to other clients; this emulator lets any authenticated client do so.
  if (access === undefined) return { active: false };
  return {
    active: true,
    token_type: "Bearer",
    client_id: access.clientId,
    ...(access.username === undefined ? {} : { username: access.username }),
    sub: access.sub,
    scope: access.scope.join(" "),
    aud: access.aud.length === 1 ? access.aud[0] : access.aud,
    iss: context.issuer,
    exp: access.exp,
    iat: access.iat,
    jti: access.jti,
  };
}
