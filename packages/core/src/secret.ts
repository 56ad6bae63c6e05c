// util.inspect.custom is a registered symbol: naming it this way spares loading node:util (~0.5 ms) on import.
const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom");

const REDACTED = "[REDACTED]";

/**
 * A secret value (token, private key, client secret, ...). Every way a value is usually turned into
 * text -- `String()`, template literals, `JSON.stringify`, `util.inspect`, `console.log` -- shows
 * `[REDACTED]`; the value comes out only through {@link Secret.reveal}.
 *
 * @example
 * const s = new Secret("hunter2");
 * `${s}`;          // "[REDACTED]"
 * s.reveal();      // "hunter2"
 */
export class Secret {
  // An ES private field: not enumerable, not reachable by Object.keys, structuredClone or inspect.
  readonly #value: string;

  constructor(value: string) {
    if (typeof value !== "string") throw new TypeError("Secret value must be a string");
    this.#value = value;
  }

  /** Returns the secret value. Call it only where the value is sent or written on purpose. */
  reveal(): string {
    return this.#value;
  }

  /** Length of the value, for validation messages that must not show it. */
  get length(): number {
    return this.#value.length;
  }

  /** Constant-time comparison with another secret or string. */
  equals(other: Secret | string): boolean {
    const a = Buffer.from(this.#value);
    const b = Buffer.from(typeof other === "string" ? other : other.reveal());
    if (a.length !== b.length) return false;
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
    return diff === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return `Secret(${REDACTED})`;
  }

  static isSecret(value: unknown): value is Secret {
    return value instanceof Secret;
  }
}

/** Wraps a string as a {@link Secret}; passes an existing Secret through. */
export function secret(value: string | Secret): Secret {
  return value instanceof Secret ? value : new Secret(value);
}

/** Reveals a secret or returns a plain string as is. */
export function revealSecret(value: string | Secret): string {
  return value instanceof Secret ? value.reveal() : value;
}

export const REDACTED_TEXT = REDACTED;
