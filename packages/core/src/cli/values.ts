// Readers of the flag values the tokenmint CLI hands a provider (`CliValues`, cli-contract.ts), one per
// flag type. They are here, not in each provider's cli.ts, so that a flag means the same thing in every
// provider: the per-provider copies had drifted (one refused numbers as text, another booleans; two split
// lists differently, so `--app-grants a,b` was one grant in idcs and two in oauth2).
//
// The CLI has already parsed and coerced values by the declared `CliFlag.type` (and wrapped secret
// flags); these readers also accept the plain values a library caller or a test passes to a provider's
// `toOptions` or `run` directly, and refuse anything else with a `configuration` error naming the flag.
// No message ever contains a value: a secret given to the wrong flag must not be echoed.
import type { CliValue, CliValues } from "./contract.js";
import { TokenmintError } from "../errors.js";
import { Secret } from "../secret.js";

/** What kind of value a flag got, for messages (never the value itself). */
function kindOf(value: CliValue): string {
  if (value instanceof Secret) return "a secret";
  if (typeof value === "object") return "a list";
  if (typeof value === "boolean") return "true/false";
  if (typeof value === "number") return "a number";
  return "text";
}

function wrongType(name: string, provider: string, expected: string, value: CliValue): TokenmintError {
  return new TokenmintError("configuration", `--${name} takes ${expected}, not ${kindOf(value)}`, { provider });
}

/**
 * A single-valued text flag. A finite number is taken as its decimal text (an id given as a JSON number
 * by a library caller). true/false, lists and secrets are refused: `true` is never meant as a URL or an
 * id, and a secret read as plain text would lose its redaction (read it with {@link cliSecret}).
 */
export function cliString(values: CliValues, name: string, provider: string): string | undefined {
  const value = values[name];
  if (value === undefined || typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw wrongType(name, provider, "one text value", value);
}

/**
 * A secret flag (`CliFlag.secret`), as a `Secret`. The CLI wraps secret flags already, whether they came
 * from the command line, `--<flag>-file`, `--<flag>-stdin` or the environment; a plain string from a
 * direct caller is wrapped here, at once.
 */
export function cliSecret(values: CliValues, name: string, provider: string): Secret | undefined {
  const value = values[name];
  if (value === undefined || value instanceof Secret) return value;
  if (typeof value === "string") return new Secret(value);
  throw wrongType(name, provider, "one secret value", value);
}

/**
 * A list flag: the flag repeated and comma-separated values both work, and mix (`--scope a,b --scope c`
 * is a, b, c); items are trimmed and empty ones dropped, so a trailing comma is harmless. A single
 * string counts as one occurrence. The price: an item cannot itself hold a comma. The providers' lists
 * (scopes, grant names, app roles, audiences, resource indicators) do not need one; a flag whose items
 * can (e.g. a URI with a query) needs a reader that does not split.
 */
export function cliList(values: CliValues, name: string, provider: string): string[] | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  let occurrences: readonly unknown[];
  if (typeof value === "string") occurrences = [value];
  else if (typeof value === "object" && !(value instanceof Secret)) occurrences = value;
  else throw wrongType(name, provider, "a list of text values", value);
  const items: string[] = [];
  for (const occurrence of occurrences) {
    if (typeof occurrence !== "string") throw new TokenmintError("configuration", `--${name} takes a list of text values`, { provider });
    for (const item of occurrence.split(",")) {
      const trimmed = item.trim();
      if (trimmed !== "") items.push(trimmed);
    }
  }
  return items;
}

/**
 * A boolean flag: true when given, false when absent. The CLI has turned `true`/`1` from the
 * environment or a config file into `true` already; any other type here is a caller's mistake, refused
 * rather than read as false.
 */
export function cliBoolean(values: CliValues, name: string, provider: string): boolean {
  const value = values[name];
  if (value === undefined) return false;
  if (typeof value === "boolean") return value;
  throw wrongType(name, provider, "true or false", value);
}

/** Bounds of a number flag, checked by {@link cliNumber}. */
export interface CliNumberOptions {
  /** Smallest value accepted (e.g. 0 for counts and ages, 1 for page sizes). */
  readonly min?: number | undefined;
  /** Whole numbers only. */
  readonly integer?: boolean | undefined;
}

/**
 * A number flag. The CLI has parsed it; numeric text from a direct caller is parsed here (not blank
 * text, which `Number` would take as 0). NaN and infinities are refused, as are values outside `options`.
 */
export function cliNumber(values: CliValues, name: string, provider: string, options: CliNumberOptions = {}): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  const { min, integer = false } = options;
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || (min !== undefined && n < min)) {
    const noun = integer ? "integer" : "number";
    const expected = min === 0 ? `a non-negative ${noun}` : `${integer ? "an" : "a"} ${noun}${min === undefined ? "" : ` of at least ${min}`}`;
    throw new TokenmintError("configuration", `--${name} must be ${expected}`, { provider });
  }
  return n;
}
