// The IDCS scope grammar and the console's scope choices (seed 002: Available Scopes, Customized Scopes
// "Invokes Identity Cloud Service APIs" limited to app roles, Customized Scopes "Invokes Other APIs",
// Include Refresh Token), with the console's rule that one token carries scopes of one resource server.
import { type Scope, TokenmintError } from "@tokenmint/core";

const PROVIDER = "idcs";

/**
 * Pseudo-audience of the IDCS APIs. IDCS API scopes are spelled `urn:opc:idm:<name>`, so with this
 * prefix as their "resource" every scope obeys one rule: raw = resource + name (the rule IDCS uses for
 * other resource servers, whose full scope is their audience followed by the scope name).
 */
export const IDCS_API_RESOURCE = "urn:opc:idm:";
/** All IDCS API scopes granted to the app through its app roles (Oracle docs). */
export const MY_SCOPES = "urn:opc:idm:__myscopes__";
/** Asks for a refresh token (Oracle "Using Refresh Tokens"); belongs to no resource server. */
export const OFFLINE_ACCESS = "offline_access";

/**
 * App roles whose IDCS scope is documented. Seed 003: choosing the "Me" role in the console's
 * "Invokes Identity Cloud Service APIs" yields the scope `urn:opc:idm:t.user.me`. Other roles are
 * declared by the caller (`app.roleScopes`): their scope lists are not published in one place.
 */
export const KNOWN_ROLE_SCOPES: Readonly<Record<string, readonly string[]>> = { Me: ["urn:opc:idm:t.user.me"] };

/** OAuth2 grants of the token endpoint, by their short names. */
export type GrantName = "client_credentials" | "password" | "jwt_bearer" | "refresh_token";

/** What the confidential application is configured for, as the caller knows it from the console. */
export interface IdcsAppCapabilities {
  /** Allowed grant types. When given, a request for another grant (or a refresh token without `refresh_token`) fails before any call. */
  readonly grants?: readonly GrantName[] | undefined;
  /** App roles granted to the app (for IDCS APIs). When given, choosing another role fails before any call. */
  readonly roles?: readonly string[] | undefined;
  /** IDCS scopes of app roles, added to (and overriding) {@link KNOWN_ROLE_SCOPES}. */
  readonly roleScopes?: Readonly<Record<string, readonly string[]>> | undefined;
  /** Full scopes of other resource servers the app may request (its "Allowed Scopes"): used by Available Scopes. */
  readonly scopes?: readonly string[] | undefined;
}

/** A resource server (an app that exposes APIs), as configured in the domain. */
export interface IdcsResourceServer {
  /** Primary audience, e.g. `https://myapp.example.com:443`. */
  readonly audience: string;
  /** Display name for messages. */
  readonly name?: string | undefined;
  /** Whether it allows refresh tokens. When false, Include Refresh Token fails before any call. */
  readonly refreshTokenAllowed?: boolean | undefined;
}

/** The console's scope choices, plus raw scope strings. */
export type ScopeSelection =
  /** "Available Scopes": everything the app may access (must be one resource server). */
  | { readonly kind: "available" }
  /** "Customized Scopes" + "Invokes Identity Cloud Service APIs": app roles and/or IDCS scopes. */
  | { readonly kind: "idcs"; readonly roles?: readonly string[] | undefined; readonly scopes?: readonly string[] | undefined }
  /** "Customized Scopes" + "Invokes Other APIs": scopes of one resource server, by name or in full. */
  | { readonly kind: "resource"; readonly audience: string; readonly scopes: readonly string[] }
  /** Full scope strings as sent on the wire (space-separated string or list). */
  | { readonly kind: "raw"; readonly scopes: string | readonly string[] };

export interface ScopeContext {
  readonly app?: IdcsAppCapabilities | undefined;
  readonly resourceServers?: readonly IdcsResourceServer[] | undefined;
}

/** The scope parameter of one request, resolved and checked. */
export interface ResolvedScopes {
  /** Canonical scopes requested (offline_access included when asked). */
  readonly scopes: readonly Scope[];
  /** The resource server the scopes belong to (IDCS_API_RESOURCE for IDCS APIs). */
  readonly resource: string | undefined;
  /** The `scope` form field. */
  readonly wire: string;
}

function scopeError(message: string, hint?: string): TokenmintError {
  return new TokenmintError("invalid_scope", message, { provider: PROVIDER, hint });
}

function splitScopes(value: string | readonly string[]): string[] {
  const list = typeof value === "string" ? [value] : [...value];
  return list.flatMap((s) => s.split(/\s+/)).filter((s) => s.length > 0);
}

/**
 * Reads one full scope string into its canonical form. Declared resource servers split it exactly
 * (longest audience that is a prefix); otherwise the audience ends where a `urn:` name starts, after a
 * URL's port, or at a URL's last `/`. Returns a scope without `resource` when nothing tells where the
 * audience ends (declare the resource server then).
 */
export function parseScope(raw: string, audiences: readonly string[] = []): Scope {
  if (raw === OFFLINE_ACCESS) return { raw, name: raw };
  if (raw.startsWith(IDCS_API_RESOURCE) && raw.length > IDCS_API_RESOURCE.length) return { raw, resource: IDCS_API_RESOURCE, name: raw.slice(IDCS_API_RESOURCE.length) };
  let best: string | undefined;
  for (const audience of audiences) {
    if (audience.length > 0 && raw.length > audience.length && raw.startsWith(audience) && (best === undefined || audience.length > best.length)) best = audience;
  }
  if (best !== undefined) return { raw, resource: best, name: raw.slice(best.length) };
  // Oracle's samples: `https://myapp.example.com:443urn:opc:resource:consumer::all` and
  // `urn:opc:entitlementid=999999999urn:opc:resource:consumer::all`: the name is the `urn:` after the audience.
  const urnAt = raw.indexOf("urn:", 1);
  if (urnAt > 0 && !/\s/.test(raw)) return { raw, resource: raw.slice(0, urnAt), name: raw.slice(urnAt) };
  // `https://orders.example.com:443orders.read`: the audience ends with its port.
  const port = /^(https?:\/\/[^/\s:]+:\d+)([^\d/\s][^\s]*)$/i.exec(raw);
  if (port) return { raw, resource: port[1]!, name: port[2]! };
  const url = /^(https?:\/\/[^\s]*\/)([^/\s]+)$/i.exec(raw);
  if (url && url[1]!.split("/").length > 3) return { raw, resource: url[1]!, name: url[2]! };
  return { raw, name: raw };
}

function describeResource(resource: string, servers: readonly IdcsResourceServer[]): string {
  if (resource === IDCS_API_RESOURCE) return "the Identity Cloud Service APIs (urn:opc:idm:)";
  const named = servers.find((s) => s.audience === resource)?.name;
  return named ? `${JSON.stringify(named)} (${resource})` : resource;
}

function roleScopes(role: string, app: IdcsAppCapabilities | undefined): readonly string[] {
  const scopes = app?.roleScopes?.[role] ?? KNOWN_ROLE_SCOPES[role];
  if (scopes === undefined) {
    throw new TokenmintError("configuration", `no IDCS scopes are known for the app role ${JSON.stringify(role)}`, {
      provider: PROVIDER,
      hint: "declare them in app.roleScopes (role name -> urn:opc:idm:... scopes), or ask for the IDCS scopes directly",
    });
  }
  return scopes;
}

function selectionScopes(selection: ScopeSelection, context: ScopeContext): string[] {
  const app = context.app;
  switch (selection.kind) {
    case "available": {
      // The console's Available Scopes: the app's IDCS API scopes (via its roles) and every scope of
      // other resource servers it was allowed. Without declared capabilities we can only ask IDCS for
      // the app's IDCS API scopes, which is what __myscopes__ means.
      const declared = app?.scopes ?? [];
      const hasIdcsRoles = app?.roles === undefined ? declared.length === 0 : app.roles.length > 0;
      const out = [...(hasIdcsRoles ? [MY_SCOPES] : []), ...splitScopes(declared)];
      if (out.length === 0) throw scopeError("the app declares no roles and no allowed scopes: there are no available scopes", "declare app.roles or app.scopes, or choose the scopes");
      return out;
    }
    case "idcs": {
      const out: string[] = [];
      for (const role of selection.roles ?? []) {
        if (app?.roles !== undefined && !app.roles.includes(role)) {
          throw scopeError(`the app role ${JSON.stringify(role)} is not assigned to the application`, `assigned roles: ${app.roles.join(", ") || "none"}`);
        }
        out.push(...roleScopes(role, app));
      }
      for (const scope of splitScopes(selection.scopes ?? [])) {
        if (!scope.startsWith(IDCS_API_RESOURCE)) throw scopeError(`${JSON.stringify(scope)} is not an Identity Cloud Service API scope (urn:opc:idm:...)`, "use { kind: \"resource\", audience, scopes } for other APIs");
        out.push(scope);
      }
      if (out.length === 0) throw scopeError("choose at least one app role or IDCS scope");
      return out;
    }
    case "resource": {
      if (selection.audience.length === 0) throw scopeError("the resource server audience is empty");
      const names = splitScopes(selection.scopes);
      if (names.length === 0) throw scopeError(`choose at least one scope of ${selection.audience}`);
      // The console lists full scopes; accept the bare name too and prefix it with the audience.
      return names.map((n) => (n === OFFLINE_ACCESS || n.startsWith(selection.audience) ? n : `${selection.audience}${n}`));
    }
    case "raw": {
      const out = splitScopes(selection.scopes);
      if (out.length === 0) throw scopeError("no scope given");
      return out;
    }
  }
}

/**
 * Resolves the console's scope choice into the `scope` parameter, refusing before any call what the
 * console refuses: scopes of two resource servers, unknown roles, and a refresh token the app or the
 * resource server does not allow.
 */
export function resolveScopes(selection: ScopeSelection, includeRefreshToken: boolean, context: ScopeContext = {}): ResolvedScopes {
  const servers = context.resourceServers ?? [];
  const audiences = [...servers.map((s) => s.audience), ...(selection.kind === "resource" ? [selection.audience] : [])];
  const rawList = selectionScopes(selection, context);
  const seen = new Set<string>();
  const scopes: Scope[] = [];
  let wantsRefresh = includeRefreshToken;
  for (const raw of rawList) {
    if (seen.has(raw)) continue;
    seen.add(raw);
    if (raw === OFFLINE_ACCESS) {
      wantsRefresh = true;
      continue;
    }
    const scope = parseScope(raw, audiences);
    if (scope.resource === undefined) {
      throw scopeError(`the scope ${JSON.stringify(raw)} names no resource server`, "IDCS scopes are the resource server's audience followed by the scope name (e.g. https://app.example.com:443urn:opc:resource:consumer::all), or urn:opc:idm:... for IDCS APIs");
    }
    scopes.push(scope);
  }
  const resources = [...new Set(scopes.map((s) => s.resource!))];
  if (resources.length > 1) {
    throw scopeError(
      `the scopes come from more than one resource server: ${resources.map((r) => describeResource(r, servers)).join(" and ")}; a token can carry the scopes of one resource server only`,
      "choose customized scopes of a single resource server, as the console requires",
    );
  }
  const resource = resources[0];
  if (wantsRefresh) {
    checkRefreshAllowed(resource, context);
    scopes.push({ raw: OFFLINE_ACCESS, name: OFFLINE_ACCESS });
  }
  return { scopes, resource, wire: scopes.map((s) => s.raw).join(" ") };
}

/** The console enables Include Refresh Token only when the app and the resource server allow it. */
function checkRefreshAllowed(resource: string | undefined, context: ScopeContext): void {
  const grants = context.app?.grants;
  if (grants !== undefined && !grants.includes("refresh_token")) {
    throw new TokenmintError("unsupported", "a refresh token was asked for, but the application does not have the Refresh Token grant", {
      provider: PROVIDER,
      hint: "enable the Refresh Token grant type in the application's client configuration (and declare it in app.grants), or do not include a refresh token",
    });
  }
  const server = context.resourceServers?.find((s) => s.audience === resource);
  if (server?.refreshTokenAllowed === false) {
    throw new TokenmintError("unsupported", `a refresh token was asked for, but the resource server ${describeResource(server.audience, context.resourceServers ?? [])} does not allow refresh tokens`, {
      provider: PROVIDER,
      hint: "allow refresh tokens on the resource server, or do not include a refresh token",
    });
  }
}

/**
 * Canonical scopes of a token's `scope` claim or response field. IDCS writes other resource servers'
 * scopes there without their audience; `resource` (the one requested, or the token's audience) puts it back.
 */
export function grantedScopes(scopeText: string | undefined, resource: string | undefined, audiences: readonly string[] = []): Scope[] {
  if (scopeText === undefined) return [];
  return splitScopes(scopeText).map((raw) => {
    const parsed = parseScope(raw, [...(resource === undefined ? [] : [resource]), ...audiences]);
    if (parsed.resource !== undefined || raw === OFFLINE_ACCESS || resource === undefined || resource === IDCS_API_RESOURCE) return parsed;
    return { raw: `${resource}${raw}`, resource, name: raw };
  });
}
