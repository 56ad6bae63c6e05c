import type { ErrorCode } from "@tokenmint/core";

/** Stable exit codes of the `tokenmint` command (documented in the README; never renumber). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  configuration: 3,
  auth: 4,
  notFound: 5,
  unavailable: 6,
  invalidResponse: 7,
  conflict: 8,
  invalidToken: 9,
  aborted: 130,
  /** Stopped by SIGTERM (128 + 15), as `emulate` ends when one arrives during its start-up. */
  terminated: 143,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case "configuration":
    case "unsupported":
      return EXIT.configuration;
    case "invalid_request":
    case "invalid_scope":
      return EXIT.usage;
    case "invalid_credentials":
    case "access_denied":
    case "invalid_grant":
      return EXIT.auth;
    case "not_found":
      return EXIT.notFound;
    case "rate_limited":
    case "provider_unavailable":
    case "timeout":
    case "network":
      return EXIT.unavailable;
    case "invalid_response":
      return EXIT.invalidResponse;
    case "conflict":
    case "quota_exceeded":
      return EXIT.conflict;
    case "invalid_token":
      return EXIT.invalidToken;
    case "aborted":
      return EXIT.aborted;
  }
}
