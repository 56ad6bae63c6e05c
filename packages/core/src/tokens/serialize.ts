import type { Token } from "../generated/types.js";
import { parseToken } from "../generated/parsers.js";
import { Secret } from "../secret.js";

/**
 * Turns a token into plain JSON with its secrets revealed, for a store that must persist it.
 * Only stores call this; everything else keeps secrets wrapped.
 */
export function serializeToken(token: Token): Record<string, unknown> {
  return reveal(token) as Record<string, unknown>;
}

/** Reads a token written by {@link serializeToken}; a bad shape throws `configuration` with its JSON pointer. */
export function deserializeToken(json: unknown, source?: string): Token {
  return parseToken(json, { kind: "configuration", source });
}

function reveal(value: unknown, depth = 0): unknown {
  if (value instanceof Secret) return value.reveal();
  if (value instanceof Date) return value.toISOString();
  if (depth > 16 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => reveal(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = reveal(v, depth + 1);
  return out;
}
