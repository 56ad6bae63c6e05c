// Building answers: the helpers handlers return, and the error they can throw.
import type { EmulatorResponse } from "./types.js";

/** Thrown from a handler (or `request.json()`) to answer with this status, body and headers. */
export class EmulatorHttpError extends Error {
  override readonly name = "EmulatorHttpError";
  readonly status: number;
  readonly body: string | Buffer | object | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, body?: string | Buffer | object, headers?: Record<string, string>) {
    super(`emulator answered ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }

  toResponse(): EmulatorResponse {
    return { status: this.status, headers: this.headers, body: this.body };
  }
}

/** A JSON answer. */
export function json(status: number, body: unknown, headers?: Record<string, string>): EmulatorResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: Buffer.from(JSON.stringify(body) ?? "null") };
}

/** A plain-text answer (`text/plain; charset=utf-8` unless headers say otherwise). */
export function text(status: number, body: string, headers?: Record<string, string>): EmulatorResponse {
  return { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers }, body };
}

/** An answer without a body. */
export function empty(status: number, headers?: Record<string, string>): EmulatorResponse {
  return { status, headers, body: undefined };
}
