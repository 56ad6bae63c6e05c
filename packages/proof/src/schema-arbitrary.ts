// Inputs for the generated parsers, drawn from the specs they were generated from: mostly values of the
// right shape with random parts (so the checks deep inside a parser run), sometimes any JSON at all.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { readonly [key: string]: Json };

const SPECS = fileURLToPath(new URL("../../../specs/", import.meta.url));
const cache = new Map<string, Schema>();

function load(file: string): Schema {
  let doc = cache.get(file);
  if (doc === undefined) {
    doc = JSON.parse(readFileSync(`${SPECS}${file}`, "utf8")) as Schema;
    cache.set(file, doc);
  }
  return doc;
}

function at(doc: Schema, pointer: string): Schema {
  let node: Json = doc as Json;
  for (const part of pointer.split("/").filter(Boolean)) node = (node as { [key: string]: Json })[part.replace(/~1/g, "/").replace(/~0/g, "~")]!;
  return node as Schema;
}

/** `$ref` -> [file, schema], relative to the file holding it. */
function resolve(ref: string, from: string): [string, Schema] {
  const [target, pointer = ""] = ref.split("#");
  let file = from;
  if (target) {
    const base = from.slice(0, from.lastIndexOf("/") + 1);
    file = new URL(target, `file:///${base}`).pathname.slice(1);
  }
  return [file, at(load(file), pointer)];
}

const anyJson = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<unknown>;

function shaped(schema: Schema, file: string, depth: number): fc.Arbitrary<unknown> {
  if (depth > 5) return anyJson;
  if (typeof schema["$ref"] === "string") {
    const [f, s] = resolve(schema["$ref"], file);
    return arbitraryFor(s, f, depth + 1);
  }
  if (Array.isArray(schema["enum"])) return fc.constantFrom(...(schema["enum"] as Json[]));
  if ("const" in schema) return fc.constant(schema["const"]);
  const type = Array.isArray(schema["type"]) ? (schema["type"] as string[]) : typeof schema["type"] === "string" ? [schema["type"]] : [];
  const options = type.map((t): fc.Arbitrary<unknown> => {
    switch (t) {
      case "string":
        return schema["x-decode"] === "date" ? fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) : fc.string({ maxLength: 12 });
      case "integer":
        return fc.integer({ min: -5, max: 5_000_000_000_000 });
      case "number":
        return fc.double();
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array": {
        const items = schema["items"];
        return fc.array(items && typeof items === "object" ? arbitraryFor(items as Schema, file, depth + 1) : anyJson, { maxLength: 3 });
      }
      case "object": {
        const props = (schema["properties"] ?? {}) as { [key: string]: Schema };
        const record: { [key: string]: fc.Arbitrary<unknown> } = {};
        for (const [name, s] of Object.entries(props)) record[name] = arbitraryFor(s, file, depth + 1);
        const required = ((schema["required"] ?? []) as string[]).filter((r) => r in record);
        return fc.tuple(fc.record(record, { requiredKeys: required }), fc.dictionary(fc.string({ maxLength: 6 }), anyJson, { maxKeys: 2 })).map(([known, extra]) => ({ ...extra, ...known }));
      }
      default:
        return anyJson;
    }
  });
  return options.length === 0 ? anyJson : fc.oneof(...options);
}

/** Mostly the schema's shape (each value may still be wrong), sometimes anything. */
export function arbitraryFor(schema: Schema, file: string, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: shaped(schema, file, depth) }, { weight: 1, arbitrary: anyJson });
}

/** The named schema a generated `parseX` checks, from a provider spec or the core specs; undefined if none. */
export function schemaOf(name: string, providerSpec: string | undefined): [string, Schema] | undefined {
  if (providerSpec !== undefined) {
    const schemas = at(load(providerSpec), "/components/schemas") as { [key: string]: Json };
    if (schemas[name] !== undefined) return [providerSpec, schemas[name] as Schema];
  }
  for (const file of ["core/token.json", "core/scope.json", "core/provider.json", "core/errors.json"]) {
    const defs = (load(file)["$defs"] ?? {}) as { [key: string]: Json };
    const bare = name.replace(/^Core/, "");
    if (defs[bare] !== undefined) return [file, defs[bare] as Schema];
  }
  return undefined;
}
