// RFC 6749 section 5.2 errors as the emulator answers them.
import { randomUUID } from "node:crypto";
import { type EmulatorResponse, json } from "@tokenmint/core/emulator";

/** Thrown inside the endpoints; becomes an error body with the status RFC 6749 gives it. */
export class OAuthError extends Error {
  override readonly name = "OAuthError";
  readonly status: number;
  readonly error: string;
  /** Whether to send the WWW-Authenticate challenge (HTTP Basic was tried or expected, section 5.2). */
  readonly challenge: boolean;

  constructor(status: number, error: string, description: string, challenge = false) {
    super(description);
    this.status = status;
    this.error = error;
    this.challenge = challenge;
  }

  toResponse(): EmulatorResponse {
    return oauthJson(this.status, { error: this.error, error_description: this.message }, this.challenge ? { "www-authenticate": 'Basic realm="oauth2-emulator"' } : {});
  }
}

/** A JSON answer with the headers every token-endpoint answer carries (no caching, a request id). */
export function oauthJson(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return json(status, body, { "cache-control": "no-store", pragma: "no-cache", "x-request-id": randomUUID(), ...headers });
}
