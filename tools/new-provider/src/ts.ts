// The ts-morph side of the scaffold: one in-memory project, structures in, TypeScript text out. Every
// TypeScript file of a new package is written through it, so imports, declarations, TSDoc and
// indentation come out in one consistent style (two spaces, double quotes, LF, trailing commas).
import {
  type ImportDeclarationStructure,
  IndentationText,
  NewLineKind,
  type OptionalKind,
  Project,
  QuoteKind,
  type SourceFileStructure,
  type StatementStructures,
  StructureKind,
  type WriterFunction,
} from "ts-morph";

export function createProject(): Project {
  return new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double, newLineKind: NewLineKind.LineFeed, useTrailingCommas: true },
  });
}

type Statement = string | WriterFunction | StatementStructures;

function kindOf(statement: Statement): StructureKind | undefined {
  return typeof statement === "object" ? statement.kind : undefined;
}

/** A blank line between two statements, except inside a run of imports or of re-exports. */
function spaced(statements: readonly Statement[]): Statement[] {
  const out: Statement[] = [];
  statements.forEach((statement, i) => {
    const previous = i === 0 ? undefined : kindOf(statements[i - 1]!);
    const kind = kindOf(statement);
    const sameRun = previous !== undefined && previous === kind && (kind === StructureKind.ImportDeclaration || kind === StructureKind.ExportDeclaration);
    if (i > 0 && !sameRun) out.push((w) => w.blankLineIfLastNot());
    out.push(statement);
  });
  return out;
}

/**
 * Prints a source file from its structure, with the header comment lines on top, then lets the
 * TypeScript formatter settle the indentation of multi-line initializers and bodies.
 */
export function renderTs(project: Project, path: string, header: readonly string[], structure: OptionalKind<SourceFileStructure>): string {
  const statements = spaced((structure.statements ?? []) as Statement[]);
  const file = project.createSourceFile(path, { ...structure, statements, leadingTrivia: header.map((l) => `// ${l}\n`).join("") }, { overwrite: true });
  file.formatText({ indentSize: 2, tabSize: 2, convertTabsToSpaces: true });
  const text = file.getFullText();
  project.removeSourceFile(file);
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** An import declaration; names prefixed with `type ` are imported as types. */
export function importFrom(moduleSpecifier: string, names: readonly string[], options: { defaultImport?: string } = {}): ImportDeclarationStructure {
  // Only types, and no default import: `import type { ... }`, as the workspace's lint wants.
  const allTypes = options.defaultImport === undefined && names.length > 0 && names.every((n) => n.startsWith("type "));
  return {
    kind: StructureKind.ImportDeclaration,
    moduleSpecifier,
    isTypeOnly: allTypes,
    ...(options.defaultImport === undefined ? {} : { defaultImport: options.defaultImport }),
    namedImports: names.map((n) => (n.startsWith("type ") ? (allTypes ? { name: n.slice(5) } : { name: n.slice(5), isTypeOnly: true }) : { name: n })),
  };
}

/** Lines of a body, joined; ts-morph indents them to where the body sits. */
export function lines(...text: readonly string[]): string {
  return text.join("\n");
}
