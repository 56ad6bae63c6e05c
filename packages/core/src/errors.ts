import type { inspect as nodeInspect } from "node:util";
import { ERROR_CODE_INFO, type ErrorCode } from "./generated/errors.js";

const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom");

export type { ErrorCode } from "./generated/errors.js";

/** Options of {@link TokenmintError}. */
export interface TokenmintErrorOptions {
  /** Id of the provider involved, when there is one. */
  provider?: string | undefined;
  /** HTTP status of the provider's answer. */
  status?: number | undefined;
  /** The provider's own error code (e.g. `NotAuthenticated`, `invalid_client`). */
  providerCode?: string | undefined;
  /** The provider's request id (e.g. `opc-request-id`), for support tickets. */
  requestId?: string | undefined;
  /** Overrides the code's default retryability. */
  retryable?: boolean | undefined;
  /** What the user can do next. */
  hint?: string | undefined;
  /** Provider-specific details safe to show (never secrets), e.g. Huawei's encoded_authorization_message. */
  details?: Readonly<Record<string, unknown>> | undefined;
  /** Milliseconds the provider asked us to wait (Retry-After). */
  retryAfterMs?: number | undefined;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The one error type of tokenmint. Switch on {@link TokenmintError.code}, never on the message.
 * Messages and fields never contain secrets.
 */
export class TokenmintError extends Error {
  override readonly name = "TokenmintError";
  readonly code: ErrorCode;
  readonly provider: string | undefined;
  readonly status: number | undefined;
  readonly providerCode: string | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: TokenmintErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const info = ERROR_CODE_INFO[code];
    if (info === undefined) throw new TypeError(`unknown tokenmint error code ${JSON.stringify(code)}`);
    this.code = code;
    this.provider = options.provider;
    this.status = options.status;
    this.providerCode = options.providerCode;
    this.requestId = options.requestId;
    this.retryable = options.retryable ?? info.retryable;
    this.hint = options.hint;
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** A plain object with every field but the stack; safe to log or print as JSON. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const key of ["provider", "status", "providerCode", "requestId", "hint", "details", "retryAfterMs"] as const) {
      if (this[key] !== undefined) out[key] = this[key];
    }
    out["retryable"] = this.retryable;
    if (this.cause instanceof Error) out["cause"] = this.cause instanceof TokenmintError ? this.cause.toJSON() : { name: this.cause.name, message: this.cause.message };
    return out;
  }

  // util.inspect passes itself as the third argument, so node:util is not imported here.
  [INSPECT](_depth: number, _options: unknown, inspect: typeof nodeInspect): string {
    return `${this.stack ?? `${this.name}: ${this.message}`}\n${inspect(this.toJSON(), { depth: 3 })}`;
  }
}

export function isTokenmintError(value: unknown, code?: ErrorCode): value is TokenmintError {
  return value instanceof TokenmintError && (code === undefined || value.code === code);
}

/** The canonical code for an HTTP status when the provider's body says nothing more precise. */
export function codeForStatus(status: number): ErrorCode {
  for (const [code, info] of Object.entries(ERROR_CODE_INFO) as [ErrorCode, (typeof ERROR_CODE_INFO)[ErrorCode]][]) {
    if (info.httpStatuses.includes(status)) return code;
  }
  if (status >= 500) return "provider_unavailable";
  if (status >= 400) return "invalid_request";
  return "invalid_response";
}

/** Description and default retryability of a canonical code. */
export function describeErrorCode(code: ErrorCode): { description: string; retryable: boolean; httpStatuses: readonly number[] } {
  return ERROR_CODE_INFO[code];
}
