// Problems found in spec files. Each one prints as one line: `file: pointer: message`, or
// `file:line:column: message` for a JSON syntax error. Never a stack trace.

export interface SpecProblem {
  /** Spec file path relative to the root, with forward slashes. */
  readonly file: string;
  /** JSON pointer (RFC 6901) of the offending value ("" is the document's root); absent for a problem of the file itself. */
  readonly pointer?: string;
  readonly message: string;
  /** 1-based position, for JSON syntax errors. */
  readonly line?: number;
  readonly column?: number;
}

export function formatProblem(problem: SpecProblem): string {
  if (problem.line !== undefined) return `${problem.file}:${problem.line}:${problem.column ?? 1}: ${problem.message}`;
  if (problem.pointer === undefined) return `${problem.file}: ${problem.message}`;
  return `${problem.file}: ${problem.pointer === "" ? "/" : problem.pointer}: ${problem.message}`;
}

/** Collects problems in the order they are found. */
export class Problems {
  readonly list: SpecProblem[] = [];

  add(file: string, pointer: string, message: string): void {
    this.list.push({ file, pointer, message });
  }

  /** A problem of the file as a whole (no pointer). */
  addFile(file: string, message: string): void {
    this.list.push({ file, message });
  }

  get size(): number {
    return this.list.length;
  }
}
