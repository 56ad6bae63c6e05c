// The emulated identity domain's directory: confidential applications, users, app roles, resource
// servers, refresh tokens and seen assertion ids. Plain data with small lookups; the token endpoint
// (token-endpoint.ts) holds the OAuth2 rules.
import { randomUUID, timingSafeEqual } from "node:crypto";
import type { KeyObject } from "node:crypto";

/** Grants by their short names (the wire names are in token-endpoint.ts). */
export type EmulatorGrant = "client_credentials" | "password" | "jwt_bearer" | "refresh_token";

export interface EmulatorCertificate {
  /** The certificate alias: what a client puts in the assertion's `kid`. */
  readonly alias: string;
  readonly publicKey: KeyObject;
  readonly pem: string;
  readonly x5t: string;
  readonly x5tS256: string;
}

export interface EmulatorApp {
  readonly clientId: string;
  readonly name: string;
  /** Absent for apps that authenticate only with client assertions. */
  clientSecret: string | undefined;
  grants: Set<EmulatorGrant>;
  /** App roles for the IDCS APIs (keys of the domain's role table). */
  roles: string[];
  /** Full scopes of other resource servers the app may request. */
  scopes: string[];
  /** The imported certificate: enables private_key_jwt and signs user assertions. */
  certificate: EmulatorCertificate | undefined;
  active: boolean;
}

export interface EmulatorUser {
  readonly username: string;
  password: string;
  readonly id: string;
  active: boolean;
}

export interface EmulatorResourceServer {
  readonly audience: string;
  readonly name: string;
  /** Scope names (without the audience). */
  scopes: string[];
  refreshTokenAllowed: boolean;
  /** Access token lifetime of tokens for this server, seconds. */
  accessTokenLifetimeSec: number | undefined;
}

export interface RefreshGrant {
  readonly clientId: string;
  readonly username: string | undefined;
  /** Full scopes granted (without offline_access). */
  readonly scopes: readonly string[];
  readonly resource: string;
  readonly expiresAt: number;
}

/** Pseudo resource server of the IDCS APIs (scopes `urn:opc:idm:...`). */
export const IDCS_API_AUDIENCE = "urn:opc:idm:";

function equalStrings(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class EmulatorDomain {
  readonly apps = new Map<string, EmulatorApp>();
  readonly users = new Map<string, EmulatorUser>();
  /** IDCS API app role -> scopes it grants. */
  readonly roles = new Map<string, string[]>();
  readonly resourceServers = new Map<string, EmulatorResourceServer>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  /** Assertion ids seen, with their expiry (epoch seconds), for replay detection. */
  readonly #seenJtis = new Map<string, number>();
  /** Whether the IDCS APIs allow refresh tokens. */
  idcsRefreshTokenAllowed = true;

  addApp(app: Partial<EmulatorApp> & { clientId?: string; name: string }): EmulatorApp {
    const full: EmulatorApp = {
      clientId: app.clientId ?? randomUUID().replace(/-/g, ""),
      name: app.name,
      clientSecret: app.clientSecret,
      grants: app.grants ?? new Set(["client_credentials"]),
      roles: app.roles ?? [],
      scopes: app.scopes ?? [],
      certificate: app.certificate,
      active: app.active ?? true,
    };
    this.apps.set(full.clientId, full);
    return full;
  }

  addUser(username: string, password: string): EmulatorUser {
    const user: EmulatorUser = { username, password, id: randomUUID().replace(/-/g, ""), active: true };
    this.users.set(username, user);
    return user;
  }

  addResourceServer(server: { audience: string; name: string; scopes: string[]; refreshTokenAllowed?: boolean; accessTokenLifetimeSec?: number }): EmulatorResourceServer {
    const full: EmulatorResourceServer = { ...server, refreshTokenAllowed: server.refreshTokenAllowed ?? true, accessTokenLifetimeSec: server.accessTokenLifetimeSec };
    this.resourceServers.set(full.audience, full);
    return full;
  }

  /** The app with this id and secret, or undefined (constant-time secret comparison). */
  checkSecret(clientId: string, secret: string): EmulatorApp | undefined {
    const app = this.apps.get(clientId);
    if (app?.clientSecret === undefined) return undefined;
    return equalStrings(app.clientSecret, secret) ? app : undefined;
  }

  checkPassword(username: string, password: string): EmulatorUser | undefined {
    const user = this.users.get(username);
    if (user === undefined || !user.active) return undefined;
    return equalStrings(user.password, password) ? user : undefined;
  }

  /** The IDCS API scopes an app holds through its roles. */
  roleScopes(app: EmulatorApp): Set<string> {
    const out = new Set<string>();
    for (const role of app.roles) for (const scope of this.roles.get(role) ?? []) out.add(scope);
    return out;
  }

  /** The resource server whose audience is the longest prefix of a full scope. */
  serverOfScope(scope: string): EmulatorResourceServer | undefined {
    let best: EmulatorResourceServer | undefined;
    for (const server of this.resourceServers.values()) {
      if (scope.length > server.audience.length && scope.startsWith(server.audience) && (best === undefined || server.audience.length > best.audience.length)) best = server;
    }
    return best;
  }

  /** Records an assertion id; false when it was already used and has not expired (a replay). */
  useJti(issuer: string, jti: string, exp: number, nowSec: number): boolean {
    for (const [key, expiry] of this.#seenJtis) if (expiry < nowSec) this.#seenJtis.delete(key);
    const key = `${issuer}\u0000${jti}`;
    if (this.#seenJtis.has(key)) return false;
    this.#seenJtis.set(key, exp);
    return true;
  }
}
