// Finds and reads the spec files: specs/core/*.json and specs/providers/<id>.json.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type JsonValue, JsonSyntaxError, parseJson } from "./json.js";
import type { Problems } from "./problems.js";

export type SpecKind = "core" | "provider";

export interface SpecDocument {
  /** Path relative to the root, e.g. `specs/core/token.json`. */
  readonly path: string;
  readonly kind: SpecKind;
  /** File name without `.json`: the provider id for provider specs. */
  readonly name: string;
  readonly json: JsonValue;
}

export interface LoadedSpecs {
  /** Documents that parsed, core first, each group sorted by path. */
  readonly documents: readonly SpecDocument[];
  /** Paths of every spec file found, including those that did not parse. */
  readonly paths: readonly string[];
}

export const CORE_DIR = "specs/core";
export const PROVIDERS_DIR = "specs/providers";

async function jsonFiles(root: string, dir: string): Promise<string[] | undefined> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw error;
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".json"))
    .map((e) => e.name)
    .sort();
}

export async function loadSpecs(root: string, problems: Problems): Promise<LoadedSpecs> {
  const groups: [SpecKind, string][] = [
    ["core", CORE_DIR],
    ["provider", PROVIDERS_DIR],
  ];
  const listed = await Promise.all(groups.map(([, dir]) => jsonFiles(root, dir)));
  const files: { kind: SpecKind; path: string; name: string }[] = [];
  groups.forEach(([kind, dir], i) => {
    const names = listed[i];
    if (names === undefined || names.length === 0) {
      if (kind === "core") problems.addFile(dir, "no core spec files (*.json) found");
      return;
    }
    for (const name of names) files.push({ kind, path: `${dir}/${name}`, name: name.slice(0, -".json".length) });
  });
  const texts = await Promise.all(files.map((f) => readFile(join(root, f.path), "utf8")));
  const documents: SpecDocument[] = [];
  files.forEach((f, i) => {
    try {
      const parsed = parseJson(texts[i]!);
      for (const d of parsed.duplicates) problems.add(f.path, d.pointer, `duplicate key ${JSON.stringify(d.key)}`);
      documents.push({ ...f, json: parsed.value });
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      problems.list.push({ file: f.path, line: error.line, column: error.column, message: `invalid JSON: ${error.message}` });
    }
  });
  return { documents, paths: files.map((f) => f.path) };
}
