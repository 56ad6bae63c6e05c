import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isJsonObject, type JsonValue } from "../src/json.js";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const FIXTURE = resolve(HERE, "fixtures/basic");
export const CODEGEN_DIR = resolve(HERE, "..");
export const CLI = resolve(CODEGEN_DIR, "src/cli.ts");

/** A temporary directory removed by the returned cleanup function. */
export async function tempDir(prefix = "codegen-test-"): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Copies the basic fixture (specs, packages with golden output) into `dir`. */
export async function copyFixture(dir: string): Promise<void> {
  await cp(FIXTURE, dir, { recursive: true });
}

export async function readJson(path: string): Promise<JsonValue> {
  return JSON.parse(await readFile(path, "utf8")) as JsonValue;
}

/**
 * Reverses the key order of every object where order must not matter: everything but the contents of
 * "properties" (whose order is the order of the generated members) and arrays (enum, errors, ...),
 * whose order is kept; "required" lists, which are sets, are reversed too.
 */
export function reorder(value: JsonValue, key?: string): JsonValue {
  if (Array.isArray(value)) {
    const items = value.map((v) => reorder(v));
    return key === "required" ? items.reverse() : items;
  }
  if (!isJsonObject(value)) return value;
  const keys = Object.keys(value);
  const ordered = key === "properties" ? keys : [...keys].reverse();
  const out: { [k: string]: JsonValue } = {};
  for (const k of ordered) out[k] = reorder(value[k]!, key === "properties" ? undefined : k);
  return out;
}
