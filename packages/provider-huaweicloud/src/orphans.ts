// What to do when a create may have reached the server but its answer was lost: the token exists (its
// value is gone for good: it is shown only once) and counts against the tenant's limit. This module
// decides which listed tokens the failed attempt may have created and how to report them.
import { TokenmintError } from "@tokenmint/core";
import type { BearerTokenSummary } from "./generated/index.js";
import { fromEpochMs, type TenantRef } from "./token.js";

/** A token the failed create may have made, as reported in `error.details.orphanedTokens`. */
export interface OrphanedToken {
  readonly id: string;
  /** RFC 3339, when the service gave a creation time. */
  readonly createdAt?: string;
  readonly expiresAt?: string;
}

/** Outcome of the check: found (one or more), none found after settling, or the check itself failed. */
export type OrphanCheck = "found" | "none-found" | "failed";

/**
 * How a failed create may still have made a token:
 * - `no-answer`: the request was (or may have been) sent and no answer was read (timeout, reset);
 * - `unreadable-success`: a success status arrived with a body that could not be read (cut, bad shape);
 * - `server-error`: a 5xx; API Gateway answers 502/504 when the backend failed or timed out, possibly
 *   after the token was made.
 * Undefined when the failure proves nothing was made (connection refused: `requestSent: false`, 4xx).
 */
export type CreateAmbiguity = "no-answer" | "unreadable-success" | "server-error";

export function createFailureAmbiguity(error: unknown): CreateAmbiguity | undefined {
  if (!(error instanceof TokenmintError)) return undefined;
  if (error.code === "network" || error.code === "timeout") return error.details?.["requestSent"] === false ? undefined : "no-answer";
  if (error.code === "invalid_response" && (error.status === undefined || (error.status >= 200 && error.status < 300))) return "unreadable-success";
  if (error.status !== undefined && error.status >= 500) return "server-error";
  return undefined;
}

/** Whether a failed create may have made a token (see {@link createFailureAmbiguity}). */
export function isAmbiguousCreateFailure(error: unknown): error is TokenmintError {
  return createFailureAmbiguity(error) !== undefined;
}

/**
 * Tokens the failed attempt may have created: those absent from the list taken before the create, or
 * (without one) those created no earlier than `windowStart`. Ids this client handed out itself are
 * excluded (another create of this client succeeded meanwhile).
 */
export function orphanCandidates(listed: readonly BearerTokenSummary[], baseline: ReadonlySet<string> | undefined, windowStart: number, ownIds: ReadonlySet<string>): BearerTokenSummary[] {
  return listed.filter((t) => {
    if (ownIds.has(t.token_id)) return false;
    if (baseline !== undefined) return !baseline.has(t.token_id);
    return typeof t.creation_time === "number" && t.creation_time >= windowStart;
  });
}

export function describeOrphan(t: BearerTokenSummary): OrphanedToken {
  const created = fromEpochMs(t.creation_time);
  const expires = fromEpochMs(t.expiration_time);
  return { id: t.token_id, ...(created ? { createdAt: created.toISOString() } : {}), ...(expires ? { expiresAt: expires.toISOString() } : {}) };
}

export interface OrphanReport {
  readonly failure: TokenmintError;
  readonly where: TenantRef;
  readonly check: OrphanCheck;
  readonly orphans: readonly OrphanedToken[];
  readonly revoked: readonly string[];
  /** Why an orphan was not revoked although revokeOrphans was asked (several candidates, a concurrent create, a failed delete). */
  readonly revokeSkipped?: string | undefined;
  readonly checkError?: TokenmintError | undefined;
  readonly attemptStartedAt: number;
  readonly settleMs: number;
}

function revokeCommand(where: TenantRef, id: string): string {
  return `tokenmint revoke huaweicloud ${id} --identity-store-id ${where.identityStoreId} --tenant-id ${where.tenantId} (or client.revoke({ identityStoreId, tenantId, tokenId: "${id}" }))`;
}

/**
 * The error the caller gets: the original failure's code, with what was found in the message, the hint
 * and `details` (`orphanCheck`, `orphanedTokens`, `revokedOrphans`), so nothing is silently orphaned.
 */
export function orphanError(report: OrphanReport): TokenmintError {
  const { failure, where, orphans, revoked } = report;
  const started = new Date(report.attemptStartedAt).toISOString();
  const left = orphans.filter((o) => !revoked.includes(o.id));
  let found: string;
  let hint: string;
  switch (report.check) {
    case "found": {
      const list = orphans.map((o) => `${o.id}${o.createdAt ? ` (created ${o.createdAt})` : ""}${revoked.includes(o.id) ? ", revoked" : ""}`).join("; ");
      found =
        orphans.length === 1
          ? `the create reached the server: it made token ${list}`
          : `${orphans.length} tokens appeared meanwhile, one of which the failed create may have made (another client may have made the others): ${list}`;
      hint =
        left.length === 0
          ? "the token made by the failed attempt was revoked; creating again is safe"
          : `its value was never received and cannot be read again: revoke ${left.length === 1 ? "it" : "the one that is not another client's"} with ${revokeCommand(where, left[0]!.id)}, or pass revokeOrphans: true${report.revokeSkipped ? ` (not revoked automatically: ${report.revokeSkipped})` : ""}`;
      break;
    }
    case "none-found":
      found = `no token made by it was found within ${report.settleMs} ms`;
      hint = `the create may still complete on the server: list the tenant's tokens later and revoke any created after ${started} that you did not receive`;
      break;
    case "failed":
      found = `checking for a token it made failed (${report.checkError?.code ?? "unknown"}: ${report.checkError?.message ?? ""})`;
      hint = `list the tenant's tokens (identity store ${where.identityStoreId}, tenant ${where.tenantId}) and revoke any created after ${started} that you did not receive`;
      break;
  }
  const settled = report.check === "none-found" || (report.check === "found" && left.length === 0);
  return new TokenmintError(failure.code, `${failure.message}; the create may have reached the server and ${found}`, {
    provider: failure.provider,
    status: failure.status,
    providerCode: failure.providerCode,
    requestId: failure.requestId,
    // Creating again while an unrevoked orphan exists (or may exist) would spend another token.
    retryable: settled ? failure.retryable : false,
    hint,
    details: {
      ...failure.details,
      requestSent: true,
      orphanCheck: report.check,
      orphanedTokens: orphans,
      revokedOrphans: revoked,
      attemptStartedAt: started,
      ...(report.revokeSkipped ? { orphanRevokeSkipped: report.revokeSkipped } : {}),
      ...(report.checkError ? { orphanCheckError: report.checkError.toJSON() } : {}),
    },
    cause: failure,
  });
}

export interface ExpiredCreateReport {
  /** Core's expired-on-arrival error for the token. */
  readonly expired: TokenmintError;
  readonly where: TenantRef;
  /** The token the create made, from its answer. */
  readonly token: OrphanedToken;
  readonly revoked: boolean;
  /** Why it was not revoked although revokeOrphans was asked (the delete failed). */
  readonly revokeSkipped?: string | undefined;
}

/**
 * The error for a create that succeeded with a token already expired on arrival: `invalid_response`,
 * never the token itself, with the token reported as a failed create's would be (`details.orphanCheck:
 * "found"`, `orphanedTokens`, `revokedOrphans`), since it exists on the server and counts against the
 * tenant's limit.
 */
export function expiredCreateError(report: ExpiredCreateReport): TokenmintError {
  const { expired, where, token, revoked } = report;
  const fate = revoked ? "it was revoked" : "it exists on the server and counts against the tenant's limit until revoked";
  const next = revoked
    ? expired.hint
    : `revoke it with ${revokeCommand(where, token.id)}, or pass revokeOrphans: true${report.revokeSkipped ? ` (not revoked automatically: ${report.revokeSkipped})` : ""}; ${expired.hint ?? ""}`;
  return new TokenmintError("invalid_response", `createBearerToken: ${expired.message}; the service made it as token ${token.id}: ${fate}`, {
    provider: expired.provider,
    requestId: expired.requestId,
    // Creating again would most likely make another expired token while the clocks disagree.
    retryable: false,
    hint: next,
    details: {
      ...expired.details,
      requestSent: true,
      orphanCheck: "found" satisfies OrphanCheck,
      orphanedTokens: [token],
      revokedOrphans: revoked ? [token.id] : [],
      ...(report.revokeSkipped ? { orphanRevokeSkipped: report.revokeSkipped } : {}),
    },
    cause: expired,
  });
}
