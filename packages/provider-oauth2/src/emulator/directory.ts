// The emulated authorization server's state: registered clients, users, resource servers, and the
// tokens it issued (access tokens by jti, refresh tokens by value, in rotation families). Plain data with
// small lookups; the OAuth rules live in token-endpoint.ts and index.ts.
import { randomBytes, timingSafeEqual } from "node:crypto";

export type EmulatorAuthMethod = "client_secret_basic" | "client_secret_post" | "client_secret_jwt" | "private_key_jwt";

export interface EmulatorClient {
  readonly clientId: string;
  /** Absent for clients that authenticate only with private_key_jwt. Also the HMAC key of client_secret_jwt. */
  secret: string | undefined;
  /** The public key registered for private_key_jwt (a JWK with its kid). */
  publicJwk: Record<string, unknown> | undefined;
  /**
   * RFC 7591 `token_endpoint_auth_signing_alg`: the only algorithm its client assertions may use. Absent:
   * any the server accepts for the method.
   */
  assertionAlgorithm: string | undefined;
  authMethods: Set<EmulatorAuthMethod>;
  /** Wire grant types. */
  grants: Set<string>;
  scopes: Set<string>;
  /** Resource servers (RFC 8707) and audiences the client may ask tokens for. */
  resources: Set<string>;
}

export interface EmulatorUser {
  readonly username: string;
  password: string;
}

export interface IssuedAccessToken {
  readonly jti: string;
  readonly clientId: string;
  readonly sub: string;
  readonly username: string | undefined;
  readonly scope: readonly string[];
  readonly aud: readonly string[];
  readonly iat: number;
  readonly exp: number;
  /** The refresh-token family it came from, so revoking the grant revokes it too. */
  readonly family: string | undefined;
  active: boolean;
}

export interface IssuedRefreshToken {
  readonly clientId: string;
  readonly username: string;
  readonly scope: readonly string[];
  readonly aud: readonly string[];
  readonly exp: number;
  readonly family: string;
  /** Rotated away: presenting it again is a replay, which ends the whole family. */
  used: boolean;
  active: boolean;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Directory {
  readonly clients = new Map<string, EmulatorClient>();
  readonly users = new Map<string, EmulatorUser>();
  readonly accessTokens = new Map<string, IssuedAccessToken>();
  readonly refreshTokens = new Map<string, IssuedRefreshToken>();
  /** Client assertion ids seen, with their expiry (epoch seconds), for replay detection. */
  readonly #assertionIds = new Map<string, number>();

  addClient(client: Partial<EmulatorClient> & { clientId: string }): EmulatorClient {
    const full: EmulatorClient = {
      clientId: client.clientId,
      secret: client.secret,
      publicJwk: client.publicJwk,
      assertionAlgorithm: client.assertionAlgorithm,
      authMethods: client.authMethods ?? new Set(client.secret === undefined ? ["private_key_jwt"] : ["client_secret_basic"]),
      grants: client.grants ?? new Set(["client_credentials"]),
      scopes: client.scopes ?? new Set(),
      resources: client.resources ?? new Set(),
    };
    this.clients.set(full.clientId, full);
    return full;
  }

  addUser(username: string, password: string): EmulatorUser {
    const user = { username, password };
    this.users.set(username, user);
    return user;
  }

  checkSecret(client: EmulatorClient, secret: string): boolean {
    return client.secret !== undefined && sameSecret(client.secret, secret);
  }

  checkPassword(username: string, password: string): EmulatorUser | undefined {
    const user = this.users.get(username);
    return user !== undefined && sameSecret(user.password, password) ? user : undefined;
  }

  /** Records a client assertion's jti; false when it was seen before and has not expired (a replay). */
  useAssertionId(clientId: string, jti: string, exp: number, nowSec: number): boolean {
    for (const [key, expiry] of this.#assertionIds) if (expiry < nowSec) this.#assertionIds.delete(key);
    const key = `${clientId}\u0000${jti}`;
    if (this.#assertionIds.has(key)) return false;
    this.#assertionIds.set(key, exp);
    return true;
  }

  newRefreshToken(grant: Omit<IssuedRefreshToken, "used" | "active">): string {
    const value = randomBytes(32).toString("base64url");
    this.refreshTokens.set(value, { ...grant, used: false, active: true });
    return value;
  }

  /** Ends a refresh-token family: every refresh token and access token of the grant. */
  revokeFamily(family: string): void {
    for (const rt of this.refreshTokens.values()) if (rt.family === family) rt.active = false;
    for (const at of this.accessTokens.values()) if (at.family === family) at.active = false;
  }
}
