import type { Readable } from "node:stream";

/** Everything a command touches of the outside world, so tests can run commands in-process too. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean | undefined };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean | undefined };
  readonly stdin: Readable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/** Human text for stderr, honouring NO_COLOR and --quiet. */
export class Reporter {
  readonly #io: CliIo;
  readonly quiet: boolean;
  readonly color: boolean;

  constructor(io: CliIo, options: { quiet: boolean; noColor: boolean }) {
    this.#io = io;
    this.quiet = options.quiet;
    this.color = !options.noColor && io.env["NO_COLOR"] === undefined && io.stderr.isTTY === true;
  }

  info(text: string): void {
    if (!this.quiet) this.#io.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.#io.stderr.write(`${this.#paint("33", "warning:")} ${text}\n`);
  }

  error(text: string): void {
    this.#io.stderr.write(`${this.#paint("31", "error:")} ${text}\n`);
  }

  /** Progress on stderr, only when stderr is a terminal. */
  progress(text: string): void {
    if (!this.quiet && this.#io.stderr.isTTY === true) this.#io.stderr.write(`\r\x1b[2K${text}`);
  }

  endProgress(): void {
    if (!this.quiet && this.#io.stderr.isTTY === true) this.#io.stderr.write("\r\x1b[2K");
  }

  #paint(code: string, text: string): string {
    return this.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
}
