// Wire shapes -> canonical Token and TokenRecord. Times on the wire are epoch milliseconds (seed 001:
// `"creation_time": 1754278569275`); terraform-provider-huaweicloud divides them by 1000 for RFC 3339.
import type { Token, TokenRecord } from "@tokenmint/core";
import type { BearerTokenSummary, CreateBearerTokenResponse } from "./generated/index.js";

export const PROVIDER = "huaweicloud";

/** Epoch milliseconds -> Date; undefined when absent or not a usable time. */
export function fromEpochMs(value: unknown): Date | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Where a token lives: the identity store and the tenant (automatic provisioning). */
export interface TenantRef {
  readonly identityStoreId: string;
  readonly tenantId: string;
}

/** The 201 answer of createBearerToken as a canonical Token. The value stays a Secret, in `raw` too. */
export function tokenFromCreate(body: CreateBearerTokenResponse, requestId: string | undefined): Token {
  const issuedAt = fromEpochMs(body.creation_time);
  const expiresAt = fromEpochMs(body.expiration_time);
  return {
    provider: PROVIDER,
    value: body.token,
    // SCIM clients present it as `Authorization: Bearer <token>`.
    tokenType: "Bearer",
    ...(issuedAt === undefined ? {} : { issuedAt }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    scopes: [],
    id: body.token_id,
    ...(requestId === undefined ? {} : { requestId }),
    raw: { ...body },
  };
}

/** One listed token as a canonical TokenRecord; `extras` keeps every other field plus where it lives. */
export function recordFromSummary(summary: BearerTokenSummary, where: TenantRef): TokenRecord {
  const { creation_time, expiration_time, token_id, ...rest } = summary as BearerTokenSummary & Record<string, unknown>;
  const createdAt = fromEpochMs(creation_time);
  const expiresAt = fromEpochMs(expiration_time);
  return {
    provider: PROVIDER,
    id: token_id,
    ...(createdAt === undefined ? {} : { createdAt }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    extras: { ...rest, identity_store_id: where.identityStoreId, tenant_id: where.tenantId },
  };
}
