import { REDACTED_TEXT, Secret } from "./secret.js";

/** Header names whose values are always credentials. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-security-token", "x-auth-token", "x-subject-token", "opc-obo-token"]);

/**
 * Redacts headers for logs: credential headers by name, plus any whose name is in `secretNames`
 * (which come from a provider spec's secret fields, never from a hand-kept list in a provider).
 */
export function redactHeaders(headers: Readonly<Record<string, string>>, secretNames: ReadonlySet<string> = new Set()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[name] = SECRET_HEADERS.has(lower) || secretNames.has(lower) ? REDACTED_TEXT : value;
  }
  return out;
}

/**
 * Redacts a JSON-like value: every property whose name is in `secretNames` and every Secret becomes
 * `[REDACTED]`. Used for logging bodies; `secretNames` is a spec's SECRET_WIRE_NAMES.
 */
export function redactValue(value: unknown, secretNames: ReadonlySet<string>, depth = 0): unknown {
  if (value instanceof Secret) return REDACTED_TEXT;
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secretNames, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = secretNames.has(k) ? REDACTED_TEXT : redactValue(v, secretNames, depth + 1);
  return out;
}

/** Redacts the secret fields of a form-encoded body (client_secret, password, assertion, ...). */
export function redactForm(body: string, secretNames: ReadonlySet<string>): string {
  const params = new URLSearchParams(body);
  for (const key of [...params.keys()]) if (secretNames.has(key)) params.set(key, REDACTED_TEXT);
  return params.toString();
}

/** Removes any of the given secret strings from a text (last line of defence for free-form text). */
export function scrubText(text: string, secrets: Iterable<string | Secret>): string {
  let out = text;
  for (const s of secrets) {
    const v = typeof s === "string" ? s : s.reveal();
    if (v.length >= 4) out = out.split(v).join(REDACTED_TEXT);
  }
  return out;
}
