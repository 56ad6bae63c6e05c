// Secret canaries: unique values planted in every secret input, and a scanner that looks for them in
// everything a user or a log can see. Renderings are taken when a value is observed (objects may change
// later); the scan runs at the end, once every secret issued during the run is known.
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";

/** One place where a canary was found. */
export interface CanaryFinding {
  readonly where: string;
  readonly label: string;
  /** A short excerpt around the hit, with the canary itself cut to its first 10 characters. */
  readonly excerpt: string;
}

interface Observation {
  readonly where: string;
  readonly text: string;
}

/** Shortest secret worth scanning for: shorter strings would match by chance. */
const MIN_SECRET_LENGTH = 12;

/** Distinctive pieces of a PEM body (whole base64 lines): a leaked key shows at least one of them. */
export function pemPieces(pem: string): string[] {
  return pem
    .split(/\r?\n/)
    .filter((line) => /^[A-Za-z0-9+/=]{40,}$/.test(line))
    .slice(1, 4);
}

/**
 * Every text a value shows a person or a log: `String()`, `JSON.stringify`, `util.inspect` (all depths,
 * hidden fields too), and for errors the message, stack and every cause, recursively.
 */
export function renderings(value: unknown, depth = 0): string[] {
  const out: string[] = [];
  try {
    out.push(inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: false }));
  } catch (error) {
    out.push(`<inspect threw ${String(error)}>`);
  }
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch {
    // A cycle or a BigInt: JSON.stringify of it can show nothing.
  }
  try {
    out.push(String(value));
  } catch {
    // An object without a usable toString shows nothing either.
  }
  if (value instanceof Error && depth < 8) {
    out.push(value.message, String(value.stack));
    if (value.cause !== undefined) out.push(...renderings(value.cause, depth + 1));
    if (value instanceof AggregateError) for (const inner of value.errors) out.push(...renderings(inner, depth + 1));
  }
  return out;
}

/**
 * Canaries and what was observed during a run. `mint` makes a new canary; `add` registers a secret
 * that came from elsewhere (an issued token, a generated key); `observe` records how a value renders;
 * `findings` scans every observation for every registered secret.
 */
export class CanaryRegistry {
  readonly #secrets = new Map<string, string>();
  readonly #observations: Observation[] = [];

  /** A new unique canary, registered. Letters and digits only, so it survives every encoding unchanged. */
  mint(label: string): string {
    const value = `CANARY${label.replace(/[^A-Za-z0-9]/g, "")}${randomBytes(10).toString("hex")}`;
    this.#secrets.set(value, label);
    return value;
  }

  /** Registers a secret value (its whole text; for PEM keys use {@link addPem}). */
  add(value: string | undefined, label: string): void {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) return;
    this.#secrets.set(value, label);
  }

  /** Registers the distinctive lines of a PEM key. */
  addPem(pem: string, label: string): void {
    for (const piece of pemPieces(pem)) this.add(piece, label);
  }

  get size(): number {
    return this.#secrets.size;
  }

  /** Records every rendering of a value. */
  observe(where: string, value: unknown): void {
    for (const text of renderings(value)) this.#observations.push({ where, text });
  }

  /** Records a text as it is (stdout, stderr, a file). */
  observeText(where: string, text: string): void {
    this.#observations.push({ where, text });
  }

  get observations(): number {
    return this.#observations.length;
  }

  /** Every hit of every registered secret in every observation. */
  findings(): CanaryFinding[] {
    const out: CanaryFinding[] = [];
    for (const { where, text } of this.#observations) {
      for (const [secret, label] of this.#secrets) {
        const at = text.indexOf(secret);
        if (at < 0) continue;
        const excerpt = `${text.slice(Math.max(0, at - 60), at)}${secret.slice(0, 10)}...${text.slice(at + secret.length, at + secret.length + 40)}`;
        out.push({ where, label, excerpt: excerpt.replace(/\s+/g, " ") });
      }
    }
    return out;
  }
}
