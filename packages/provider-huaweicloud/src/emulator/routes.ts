// The three bearer-token routes of IAM Identity Center, behind API Gateway's AK/SK check, with the real
// error shapes: {error_code, error_msg, request_id} (+ encoded_authorization_message on 403).
import { randomBytes } from "node:crypto";
import { type EmulatorRequest, type EmulatorResponse, empty, json, type Route } from "@tokenmint/core/emulator";
import type { AccessKeyPair, AccessKeys } from "./accounts.js";
import { verifyRequest } from "./auth.js";
import type { TenantTokens } from "./store.js";

export const COLLECTION_PATH = "/v1/identity-stores/:identityStoreId/tenant/:tenantId/bearer-token";
export const ITEM_PATH = `${COLLECTION_PATH}/:tokenId`;

/** IAM actions of the three APIs (Identity Center API reference, "Permissions and Supported Actions"). */
export const ACTIONS = {
  createBearerToken: "IdentityCenter:externalIdp:createBearerToken",
  listBearerTokens: "IdentityCenter:externalIdp:listBearerTokens",
  deleteBearerToken: "IdentityCenter:externalIdp:deleteBearerToken",
} as const;

export interface RouteContext {
  readonly keys: AccessKeys;
  readonly tokens: TenantTokens;
  /** Largest accepted distance between X-Sdk-Date and the server's clock. */
  readonly maxClockSkewMs: number;
}

function requestId(): string {
  return randomBytes(16).toString("hex");
}

/** Every answer carries X-Request-Id, as Huawei's gateways do (the Node SDK reads `x-request-id`). */
function answer(status: number, body: object | undefined, id = requestId()): EmulatorResponse {
  return body === undefined ? empty(status, { "x-request-id": id }) : json(status, body, { "x-request-id": id });
}

export function errorAnswer(status: number, code: string, message: string, extra: Record<string, string> = {}): EmulatorResponse {
  const id = requestId();
  return answer(status, { error_code: code, error_msg: message, request_id: id, ...extra }, id);
}

/**
 * The denial reason, "encoded" as Huawei's IAM does before STS decode-authorization-message reveals it.
 * Real messages are encrypted; the emulator's are base64url JSON so tests can read them back with
 * {@link decodeAuthorizationMessage}.
 */
export function encodeAuthorizationMessage(reason: { action: string; principal: string; accountId: string; resource: string; decision: string }): string {
  return `EMU1.${Buffer.from(JSON.stringify(reason)).toString("base64url")}`;
}

/** Reads back an emulator `encoded_authorization_message` (what STS decode-authorization-message would give). */
export function decodeAuthorizationMessage(encoded: string): Record<string, unknown> | undefined {
  if (!encoded.startsWith("EMU1.")) return undefined;
  try {
    return JSON.parse(Buffer.from(encoded.slice(5), "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

type Operation = keyof typeof ACTIONS;

/** APIG's signature check, then Identity Center's rule: only the management account or a delegated administrator. */
function authorize(request: EmulatorRequest, ctx: RouteContext, operation: Operation): AccessKeyPair | EmulatorResponse {
  const auth = verifyRequest(request, ctx.keys, request.now(), ctx.maxClockSkewMs);
  if (!auth.ok) return errorAnswer(auth.status, auth.code, auth.message);
  const { account } = auth.pair;
  if (account.role === "member") {
    const action = ACTIONS[operation];
    const resource = `IdentityCenter:*:${account.accountId}:identityStore:${request.params["identityStoreId"] ?? ""}`;
    return errorAnswer(403, "IdentityCenter.1000", `No permission for action ${action}.`, {
      encoded_authorization_message: encodeAuthorizationMessage({ action, principal: `${account.name} (${account.accountId})`, accountId: account.accountId, resource, decision: "implicit deny: the account is neither the organization's management account nor a delegated administrator of IAM Identity Center" }),
    });
  }
  return auth.pair;
}

function unknownTenant(request: EmulatorRequest): EmulatorResponse {
  // Create and list document 400 and 403 only: an unknown identity store or tenant is a bad request.
  return errorAnswer(400, "IdentityCenter.400", `Bad Request: identity store ${request.params["identityStoreId"]} has no tenant ${request.params["tenantId"]}.`);
}

export function createRoutes(ctx: RouteContext): Route[] {
  return [
    {
      name: "createBearerToken",
      method: "POST",
      path: COLLECTION_PATH,
      handler(request) {
        const caller = authorize(request, ctx, "createBearerToken");
        if ("status" in caller) return caller;
        const { identityStoreId = "", tenantId = "" } = request.params;
        const result = ctx.tokens.create(identityStoreId, tenantId, request.now());
        if (!result.ok) {
          if (result.reason === "no-tenant") return unknownTenant(request);
          return errorAnswer(400, "IdentityCenter.400", `Bad Request: the tenant already has ${ctx.tokens.tokenLimit} bearer tokens, the limit; delete one before creating another.`);
        }
        const t = result.token;
        return answer(201, { creation_time: t.creationTime, expiration_time: t.expirationTime, token: t.value, token_id: t.tokenId });
      },
    },
    {
      name: "listBearerTokens",
      method: "GET",
      path: COLLECTION_PATH,
      handler(request) {
        const caller = authorize(request, ctx, "listBearerTokens");
        if ("status" in caller) return caller;
        const tokens = ctx.tokens.list(request.params["identityStoreId"] ?? "", request.params["tenantId"] ?? "");
        if (tokens === undefined) return unknownTenant(request);
        // Values are never returned again.
        return answer(200, { bearer_tokens: tokens.map((t) => ({ creation_time: t.creationTime, expiration_time: t.expirationTime, token_id: t.tokenId })) });
      },
    },
    {
      name: "deleteBearerToken",
      method: "DELETE",
      path: ITEM_PATH,
      handler(request) {
        const caller = authorize(request, ctx, "deleteBearerToken");
        if ("status" in caller) return caller;
        const { identityStoreId = "", tenantId = "", tokenId = "" } = request.params;
        if (!ctx.tokens.hasTenant(identityStoreId, tenantId)) return errorAnswer(404, "IdentityCenter.404", `Not Found: identity store ${identityStoreId} has no tenant ${tenantId}.`);
        if (!ctx.tokens.delete(identityStoreId, tenantId, tokenId)) return errorAnswer(404, "IdentityCenter.404", `Not Found: bearer token ${tokenId}.`);
        // "200 Successful", no body documented.
        return answer(200, undefined);
      },
    },
  ];
}

/** API Gateway's answer for a path it does not publish. */
export function notPublished(): EmulatorResponse {
  return errorAnswer(404, "APIGW.0101", "The API does not exist or has not been published in the environment.");
}
