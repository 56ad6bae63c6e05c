// Identity stores, their tenants (automatic provisionings) and each tenant's bearer tokens.
import { createHmac, randomBytes, randomUUID } from "node:crypto";

export interface StoredToken {
  readonly tokenId: string;
  /** The value, kept only to let tests check what a SCIM client would present. */
  readonly value: string;
  readonly creationTime: number;
  readonly expirationTime: number;
}

export interface TokenStoreOptions {
  /**
   * Tokens one tenant may hold; one more is refused with 400. Huawei documents no number, so this is the
   * emulator's own default (5), not Huawei's.
   */
  readonly tokenLimit?: number | undefined;
  /** Lifetime of a new token. Huawei documents none; the emulator's own default is 180 days. */
  readonly tokenLifetimeMs?: number | undefined;
}

export type CreateResult = { readonly ok: true; readonly token: StoredToken } | { readonly ok: false; readonly reason: "no-tenant" | "limit" };

function base64url(value: object | Buffer): string {
  return (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString("base64url");
}

/** The tokens of every tenant, per identity store. */
export class TenantTokens {
  readonly #tenants = new Map<string, Map<string, StoredToken>>();
  readonly #signingKey = randomBytes(32);
  #limit: number;
  #lifetimeMs: number;
  /** Tokens created since start, for tests that check no create was repeated. */
  created = 0;

  constructor(options: TokenStoreOptions = {}) {
    this.#limit = options.tokenLimit ?? 5;
    this.#lifetimeMs = options.tokenLifetimeMs ?? 180 * 24 * 3600 * 1000;
  }

  get tokenLimit(): number {
    return this.#limit;
  }

  set tokenLimit(limit: number) {
    if (!(Number.isInteger(limit) && limit >= 0)) throw new RangeError("tokenLimit must be a non-negative integer");
    this.#limit = limit;
  }

  get tokenLifetimeMs(): number {
    return this.#lifetimeMs;
  }

  set tokenLifetimeMs(ms: number) {
    if (!(Number.isFinite(ms) && ms > 0)) throw new RangeError("tokenLifetimeMs must be positive");
    this.#lifetimeMs = ms;
  }

  static key(identityStoreId: string, tenantId: string): string {
    return `${identityStoreId}\u0000${tenantId}`;
  }

  addTenant(identityStoreId: string, tenantId: string): void {
    const key = TenantTokens.key(identityStoreId, tenantId);
    if (!this.#tenants.has(key)) this.#tenants.set(key, new Map());
  }

  hasTenant(identityStoreId: string, tenantId: string): boolean {
    return this.#tenants.has(TenantTokens.key(identityStoreId, tenantId));
  }

  /** Tokens of a tenant, oldest first; undefined for an unknown tenant. */
  list(identityStoreId: string, tenantId: string): StoredToken[] | undefined {
    const tokens = this.#tenants.get(TenantTokens.key(identityStoreId, tenantId));
    return tokens === undefined ? undefined : [...tokens.values()].sort((a, b) => a.creationTime - b.creationTime);
  }

  create(identityStoreId: string, tenantId: string, now: number): CreateResult {
    const tokens = this.#tenants.get(TenantTokens.key(identityStoreId, tenantId));
    if (tokens === undefined) return { ok: false, reason: "no-tenant" };
    if (tokens.size >= this.#limit) return { ok: false, reason: "limit" };
    const tokenId = randomUUID();
    const expirationTime = now + this.#lifetimeMs;
    // JWT-shaped like the real ones (seed 001's example starts with eyJraWQiOi...); opaque to clients.
    const header = base64url({ kid: "emulator-scim", alg: "HS256" });
    const payload = base64url({ iss: "https://identitycenter.emulator/", sub: tenantId, identity_store_id: identityStoreId, jti: tokenId, iat: Math.floor(now / 1000), exp: Math.floor(expirationTime / 1000), nonce: randomBytes(8).toString("hex") });
    const signature = base64url(createHmac("sha256", this.#signingKey).update(`${header}.${payload}`).digest());
    const token: StoredToken = { tokenId, value: `${header}.${payload}.${signature}`, creationTime: now, expirationTime };
    tokens.set(tokenId, token);
    this.created++;
    return { ok: true, token };
  }

  /** Removes a token; false when the tenant or the token does not exist. */
  delete(identityStoreId: string, tenantId: string, tokenId: string): boolean {
    return this.#tenants.get(TenantTokens.key(identityStoreId, tenantId))?.delete(tokenId) ?? false;
  }
}
