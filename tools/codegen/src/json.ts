// A strict JSON (RFC 8259) reader for spec files. Unlike JSON.parse it reports the line and column
// of a syntax error, rejects duplicate keys (JSON.parse silently keeps the last one, which would hide
// a mistake in a spec), and builds objects without a prototype, so a key such as "__proto__" or
// "constructor" is an ordinary key.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A syntax error with its 1-based position. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** A key that appears twice in one object, with the JSON pointer of the object. */
export interface DuplicateKey {
  readonly pointer: string;
  readonly key: string;
}

export interface ParsedJson {
  readonly value: JsonValue;
  readonly duplicates: readonly DuplicateKey[];
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Escapes one reference token of a JSON pointer (RFC 6901). */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Parses `text`; throws {@link JsonSyntaxError} on the first syntax error. */
export function parseJson(text: string): ParsedJson {
  return new Reader(text).document();
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Reader {
  private pos = 0;
  private readonly duplicates: DuplicateKey[] = [];

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  document(): ParsedJson {
    this.skipSpace();
    const value = this.value("");
    this.skipSpace();
    if (this.pos < this.text.length) this.fail("unexpected text after the JSON value");
    return { value, duplicates: this.duplicates };
  }

  private fail(message: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new JsonSyntaxError(message, line, at - lineStart + 1);
  }

  private describe(): string {
    if (this.pos >= this.text.length) return "end of file";
    const c = this.text[this.pos]!;
    return /[\x21-\x7e]/.test(c) ? JSON.stringify(c) : `character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  private value(pointer: string): JsonValue {
    const c = this.text[this.pos];
    switch (c) {
      case "{":
        return this.object(pointer);
      case "[":
        return this.array(pointer);
      case '"':
        return this.string();
      case "t":
        return this.literal("true", true);
      case "f":
        return this.literal("false", false);
      case "n":
        return this.literal("null", null);
      default:
        if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
        return this.fail(`expected a JSON value, found ${this.describe()}`);
    }
  }

  private literal<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`expected a JSON value, found ${this.describe()}`);
    this.pos += word.length;
    return value;
  }

  private number(): number {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) return this.fail("invalid number");
    this.pos += m[0].length;
    const next = this.text[this.pos];
    if (next !== undefined && /[\w.+-]/.test(next)) this.fail("invalid number");
    return Number(m[0]);
  }

  private string(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++;
    let out = "";
    let run = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail("unterminated string", start);
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        out += t.slice(run, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail("control character in string (escape it)");
      if (c === 92) {
        out += t.slice(run, this.pos);
        const e = t[this.pos + 1];
        if (e === "u") {
          const hex = t.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("invalid \\u escape");
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.pos += 6;
        } else {
          const decoded = e === undefined ? undefined : ESCAPES[e];
          if (decoded === undefined) this.fail("invalid escape in string");
          out += decoded;
          this.pos += 2;
        }
        run = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private array(pointer: string): JsonValue[] {
    this.pos++;
    const out: JsonValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      out.push(this.value(`${pointer}/${out.length}`));
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "]") {
        this.pos++;
        return out;
      }
      this.fail(`expected "," or "]" after an array element, found ${this.describe()}`);
    }
  }

  private object(pointer: string): JsonObject {
    this.pos++;
    const out = Object.create(null) as JsonObject;
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail(`expected a property name in double quotes, found ${this.describe()}`);
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail(`expected ":" after a property name, found ${this.describe()}`);
      this.pos++;
      this.skipSpace();
      const value = this.value(`${pointer}/${pointerToken(key)}`);
      if (Object.hasOwn(out, key)) this.duplicates.push({ pointer, key });
      out[key] = value;
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "}") {
        this.pos++;
        return out;
      }
      this.fail(`expected "," or "}" after a property value, found ${this.describe()}`);
    }
  }
}
