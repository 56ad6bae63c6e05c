// Validates spec documents: the root of a core spec (JSON Schema with $defs and x-error-codes) and
// the structure of a provider spec (OpenAPI 3.1 with x-tokenmint), reading every named schema into
// the schema model and noting every $ref for refs.ts.
import { isJsonObject, type JsonObject, type JsonValue, pointerToken } from "./json.js";
import type { SpecDocument } from "./load.js";
import { checkSchemaName, type NamedSchema, readSchema, type SchemaContext } from "./schema.js";

export const JSON_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema";
const CORE_ROOT_KEYS = new Set(["$schema", "$id", "$comment", "title", "description", "$defs", "x-error-codes"]);
const OPENAPI_ROOT_KEYS = new Set(["openapi", "info", "servers", "paths", "components", "x-tokenmint", "tags", "externalDocs", "security", "jsonSchemaDialect"]);
const COMPONENT_KEYS = new Set(["schemas", "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links", "callbacks", "pathItems"]);
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const PATH_ITEM_KEYS = new Set<string>([...METHODS, "summary", "description", "servers", "parameters", "$ref"]);
const ERROR_CODE_KEYS = new Set(["description", "retryable", "httpStatuses"]);
const X_TOKENMINT_KEYS = new Set(["provider", "requestIdHeaders", "errors"]);
const ERROR_RULE_KEYS = new Set(["status", "providerCode", "code", "retryable", "hint"]);
export const PROVIDER_ID = /^[a-z][a-z0-9-]{0,39}$/;
const ERROR_CODE = /^[a-z][a-z0-9_]*$/;
const OPERATION_ID = /^[A-Za-z][A-Za-z0-9_]*$/;

export interface ErrorCodeEntry {
  readonly code: string;
  readonly description: string;
  readonly retryable: boolean;
  readonly httpStatuses: readonly number[];
}

export interface CoreSpec {
  readonly doc: SpecDocument;
  readonly schemas: readonly NamedSchema[];
  readonly errorCodes?: readonly ErrorCodeEntry[];
  readonly id?: string;
}

export interface ErrorRule {
  readonly pointer: string;
  readonly status?: number | string;
  readonly providerCode?: string;
  readonly code: string;
  readonly retryable?: boolean;
  readonly hint?: string;
}

export interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly retrySafe: boolean;
  readonly successStatuses: readonly number[];
  readonly summary?: string;
}

export interface ProviderSpec {
  readonly doc: SpecDocument;
  readonly id: string;
  readonly schemas: readonly NamedSchema[];
  readonly requestIdHeaders: readonly string[];
  readonly errors: readonly ErrorRule[];
  readonly operations: readonly Operation[];
}

function readNamedSchemas(container: JsonValue | undefined, doc: SpecDocument, at: string, ctx: SchemaContext): NamedSchema[] {
  if (container === undefined) return [];
  if (!isJsonObject(container)) {
    ctx.problems.add(doc.path, at, "must be an object of named schemas");
    return [];
  }
  const out: NamedSchema[] = [];
  for (const name of Object.keys(container)) {
    const pointer = `${at}/${pointerToken(name)}`;
    checkSchemaName(name, doc, pointer, ctx.problems);
    out.push({ name, doc, pointer, schema: readSchema(container[name]!, doc, pointer, ctx) });
  }
  return out;
}

export function validateCoreDoc(doc: SpecDocument, ctx: SchemaContext): CoreSpec {
  const problems = ctx.problems;
  const root = doc.json;
  if (!isJsonObject(root)) {
    problems.add(doc.path, "", "a core spec must be a JSON object");
    return { doc, schemas: [] };
  }
  for (const key of Object.keys(root)) {
    if (!CORE_ROOT_KEYS.has(key)) problems.add(doc.path, "", `unknown keyword ${JSON.stringify(key)} at the root of a core spec (named schemas go under "$defs")`);
  }
  if (Object.hasOwn(root, "$schema") && root["$schema"] !== JSON_SCHEMA_2020_12) problems.add(doc.path, "", `"$schema" must be ${JSON.stringify(JSON_SCHEMA_2020_12)}`);
  for (const k of ["$id", "$comment", "title", "description"]) {
    if (Object.hasOwn(root, k) && typeof root[k] !== "string") problems.add(doc.path, "", `${JSON.stringify(k)} must be a string`);
  }
  const schemas = readNamedSchemas(root["$defs"], doc, "/$defs", ctx);
  const errorCodes = Object.hasOwn(root, "x-error-codes") ? readErrorCodes(root["x-error-codes"]!, doc, ctx) : undefined;
  const id = typeof root["$id"] === "string" ? root["$id"] : undefined;
  return { doc, schemas, ...(errorCodes === undefined ? {} : { errorCodes }), ...(id === undefined ? {} : { id }) };
}

function readErrorCodes(json: JsonValue, doc: SpecDocument, ctx: SchemaContext): ErrorCodeEntry[] {
  const problems = ctx.problems;
  const at = "/x-error-codes";
  if (!isJsonObject(json)) {
    problems.add(doc.path, at, "must be an object of error codes");
    return [];
  }
  const out: ErrorCodeEntry[] = [];
  for (const code of Object.keys(json)) {
    const pointer = `${at}/${pointerToken(code)}`;
    if (!ERROR_CODE.test(code)) problems.add(doc.path, pointer, `error code ${JSON.stringify(code)} must be snake_case (a-z, 0-9, _)`);
    const entry = json[code]!;
    if (!isJsonObject(entry)) {
      problems.add(doc.path, pointer, "must be an object with description, retryable and httpStatuses");
      continue;
    }
    for (const k of Object.keys(entry)) if (!ERROR_CODE_KEYS.has(k)) problems.add(doc.path, pointer, `unknown field ${JSON.stringify(k)}`);
    const { description, retryable, httpStatuses } = entry;
    if (typeof description !== "string") problems.add(doc.path, `${pointer}/description`, "must be a string");
    if (typeof retryable !== "boolean") problems.add(doc.path, `${pointer}/retryable`, "must be a boolean");
    const statuses: number[] = [];
    if (!Array.isArray(httpStatuses)) problems.add(doc.path, `${pointer}/httpStatuses`, "must be an array of HTTP status codes");
    else {
      httpStatuses.forEach((s, i) => {
        if (typeof s !== "number" || !Number.isInteger(s) || s < 100 || s > 599) problems.add(doc.path, `${pointer}/httpStatuses/${i}`, "must be an HTTP status code (100 to 599)");
        else if (statuses.includes(s)) problems.add(doc.path, `${pointer}/httpStatuses/${i}`, `status ${s} is listed twice`);
        else statuses.push(s);
      });
    }
    out.push({ code, description: typeof description === "string" ? description : "", retryable: retryable === true, httpStatuses: statuses });
  }
  return out;
}

function stringField(obj: JsonObject, key: string, doc: SpecDocument, at: string, ctx: SchemaContext, required: boolean): string | undefined {
  const v = obj[key];
  if (v === undefined) {
    if (required) ctx.problems.add(doc.path, at, `missing ${JSON.stringify(key)}`);
    return undefined;
  }
  if (typeof v !== "string") {
    ctx.problems.add(doc.path, `${at}/${pointerToken(key)}`, "must be a string");
    return undefined;
  }
  return v;
}

/** Notes every `$ref` outside schema positions (paths, responses, parameters, ...): each must resolve. */
function collectRefs(json: JsonValue, doc: SpecDocument, pointer: string, ctx: SchemaContext): void {
  if (Array.isArray(json)) {
    json.forEach((v, i) => {
      collectRefs(v, doc, `${pointer}/${i}`, ctx);
    });
    return;
  }
  if (!isJsonObject(json)) return;
  const ref = json["$ref"];
  if (ref !== undefined) {
    if (typeof ref === "string") ctx.refs.push({ doc, pointer, text: ref });
    else ctx.problems.add(doc.path, pointer, `"$ref" must be a string`);
  }
  for (const key of Object.keys(json)) {
    // Values, not structure: a "$ref" key inside them is data.
    if (key === "example" || key === "default" || key === "const" || key === "enum" || key.startsWith("x-")) continue;
    const v = json[key]!;
    if (key === "examples" && Array.isArray(v)) continue;
    collectRefs(v, doc, `${pointer}/${pointerToken(key)}`, ctx);
  }
}

export function validateProviderDoc(doc: SpecDocument, ctx: SchemaContext): ProviderSpec {
  const problems = ctx.problems;
  const id = doc.name;
  const empty: ProviderSpec = { doc, id, schemas: [], requestIdHeaders: [], errors: [], operations: [] };
  if (!PROVIDER_ID.test(id)) problems.addFile(doc.path, `the file name must be a provider id (${PROVIDER_ID.source})`);
  const root = doc.json;
  if (!isJsonObject(root)) {
    problems.add(doc.path, "", "a provider spec must be an OpenAPI 3.1 JSON object");
    return empty;
  }
  for (const key of Object.keys(root)) {
    if (!OPENAPI_ROOT_KEYS.has(key)) problems.add(doc.path, "", `unknown field ${JSON.stringify(key)} at the root of an OpenAPI document`);
  }
  const openapi = stringField(root, "openapi", doc, "", ctx, true);
  if (openapi !== undefined && !/^3\.1\.\d+$/.test(openapi)) problems.add(doc.path, "/openapi", `must be an OpenAPI 3.1 version ("3.1.x")`);
  if (Object.hasOwn(root, "jsonSchemaDialect") && root["jsonSchemaDialect"] !== JSON_SCHEMA_2020_12) problems.add(doc.path, "/jsonSchemaDialect", `must be ${JSON.stringify(JSON_SCHEMA_2020_12)}`);
  const info = root["info"];
  if (!isJsonObject(info)) problems.add(doc.path, info === undefined ? "" : "/info", info === undefined ? `missing "info"` : "must be an object");
  else {
    stringField(info, "title", doc, "/info", ctx, true);
    stringField(info, "version", doc, "/info", ctx, true);
  }
  for (const k of ["servers", "tags", "security"]) {
    if (Object.hasOwn(root, k) && !Array.isArray(root[k])) problems.add(doc.path, `/${k}`, "must be an array");
  }
  if (Object.hasOwn(root, "externalDocs") && !isJsonObject(root["externalDocs"])) problems.add(doc.path, "/externalDocs", "must be an object");

  // Components: schemas are validated as schemas; the rest only has its $refs checked.
  let schemas: NamedSchema[] = [];
  const components = root["components"];
  if (components !== undefined) {
    if (!isJsonObject(components)) problems.add(doc.path, "/components", "must be an object");
    else {
      for (const key of Object.keys(components)) {
        const at = `/components/${pointerToken(key)}`;
        if (!COMPONENT_KEYS.has(key) && !key.startsWith("x-")) problems.add(doc.path, "/components", `unknown field ${JSON.stringify(key)}`);
        else if (key === "schemas") schemas = readNamedSchemas(components[key], doc, at, ctx);
        else collectRefs(components[key]!, doc, at, ctx);
      }
    }
  }

  const operations = readPaths(root["paths"], doc, ctx);
  const xt = readXTokenmint(root["x-tokenmint"], doc, ctx);
  return { doc, id, schemas, operations, requestIdHeaders: xt.requestIdHeaders, errors: xt.errors };
}

function readPaths(paths: JsonValue | undefined, doc: SpecDocument, ctx: SchemaContext): Operation[] {
  const problems = ctx.problems;
  const operations: Operation[] = [];
  if (paths === undefined) return operations;
  if (!isJsonObject(paths)) {
    problems.add(doc.path, "/paths", "must be an object");
    return operations;
  }
  const seen = new Map<string, string>();
  for (const path of Object.keys(paths)) {
    const at = `/paths/${pointerToken(path)}`;
    if (!path.startsWith("/")) problems.add(doc.path, at, "a path must start with /");
    const item = paths[path]!;
    if (!isJsonObject(item)) {
      problems.add(doc.path, at, "must be a path item object");
      continue;
    }
    for (const key of Object.keys(item)) {
      if (!PATH_ITEM_KEYS.has(key) && !key.startsWith("x-")) problems.add(doc.path, at, `unknown path item field ${JSON.stringify(key)}`);
    }
    if (Object.hasOwn(item, "$ref")) problems.add(doc.path, at, `a path item "$ref" is not supported: write the operations inline`);
    for (const key of Object.keys(item)) {
      if (!(METHODS as readonly string[]).includes(key)) {
        if (key !== "$ref") collectRefs(item[key]!, doc, `${at}/${pointerToken(key)}`, ctx);
        continue;
      }
      const opAt = `${at}/${key}`;
      const op = item[key]!;
      if (!isJsonObject(op)) {
        problems.add(doc.path, opAt, "must be an operation object");
        continue;
      }
      collectRefs(op, doc, opAt, ctx);
      const operationId = op["operationId"];
      if (typeof operationId !== "string") {
        problems.add(doc.path, opAt, operationId === undefined ? `missing "operationId"` : `"operationId" must be a string`);
        continue;
      }
      if (!OPERATION_ID.test(operationId)) problems.add(doc.path, `${opAt}/operationId`, `${JSON.stringify(operationId)} must be an identifier (${OPERATION_ID.source})`);
      const first = seen.get(operationId);
      if (first !== undefined) problems.add(doc.path, `${opAt}/operationId`, `operationId ${JSON.stringify(operationId)} is also used by ${first}`);
      seen.set(operationId, opAt);
      const retry = op["x-tokenmint-retry-safe"];
      if (retry !== undefined && typeof retry !== "boolean") problems.add(doc.path, `${opAt}/x-tokenmint-retry-safe`, "must be a boolean");
      const successStatuses: number[] = [];
      const responses = op["responses"];
      if (responses !== undefined && !isJsonObject(responses)) problems.add(doc.path, `${opAt}/responses`, "must be an object");
      else if (responses !== undefined) {
        for (const status of Object.keys(responses)) {
          if (/^[1-5]\d\d$/.test(status)) {
            const n = Number(status);
            if (n >= 200 && n < 300) successStatuses.push(n);
          } else if (status === "2XX") problems.add(doc.path, `${opAt}/responses/2XX`, `"2XX" is not supported: list each success status`);
          else if (!/^[1345]XX$/.test(status) && status !== "default" && !status.startsWith("x-")) problems.add(doc.path, `${opAt}/responses/${pointerToken(status)}`, `unknown response status ${JSON.stringify(status)}`);
        }
      }
      successStatuses.sort((a, b) => a - b);
      const summary = op["summary"];
      operations.push({
        operationId,
        method: key.toUpperCase(),
        path,
        retrySafe: retry === true,
        successStatuses,
        ...(typeof summary === "string" ? { summary } : {}),
      });
    }
  }
  return operations;
}

function readXTokenmint(xt: JsonValue | undefined, doc: SpecDocument, ctx: SchemaContext): { requestIdHeaders: string[]; errors: ErrorRule[] } {
  const problems = ctx.problems;
  const out = { requestIdHeaders: [] as string[], errors: [] as ErrorRule[] };
  const at = "/x-tokenmint";
  if (xt === undefined) {
    problems.add(doc.path, "", `missing "x-tokenmint" (provider id, request id headers, error table)`);
    return out;
  }
  if (!isJsonObject(xt)) {
    problems.add(doc.path, at, "must be an object");
    return out;
  }
  for (const k of Object.keys(xt)) if (!X_TOKENMINT_KEYS.has(k)) problems.add(doc.path, at, `unknown field ${JSON.stringify(k)}`);
  const provider = stringField(xt, "provider", doc, at, ctx, true);
  if (provider !== undefined && provider !== doc.name) problems.add(doc.path, `${at}/provider`, `must be the file's provider id ${JSON.stringify(doc.name)}`);
  const headers = xt["requestIdHeaders"];
  if (headers !== undefined) {
    if (!Array.isArray(headers)) problems.add(doc.path, `${at}/requestIdHeaders`, "must be an array of header names");
    else {
      headers.forEach((h, i) => {
        if (typeof h !== "string" || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h)) problems.add(doc.path, `${at}/requestIdHeaders/${i}`, "must be an HTTP header name");
        else out.requestIdHeaders.push(h);
      });
    }
  }
  const errors = xt["errors"];
  if (errors !== undefined) {
    if (!Array.isArray(errors)) problems.add(doc.path, `${at}/errors`, "must be an array of error rules");
    else {
      errors.forEach((rule, i) => {
        const ra = `${at}/errors/${i}`;
        if (!isJsonObject(rule)) {
          problems.add(doc.path, ra, "must be an object");
          return;
        }
        for (const k of Object.keys(rule)) if (!ERROR_RULE_KEYS.has(k)) problems.add(doc.path, ra, `unknown field ${JSON.stringify(k)}`);
        const { status, providerCode, code, retryable, hint } = rule;
        let ok = true;
        if (status !== undefined && !((typeof status === "number" && Number.isInteger(status) && status >= 100 && status <= 599) || (typeof status === "string" && /^[1-5]XX$/.test(status)))) {
          problems.add(doc.path, `${ra}/status`, `must be an HTTP status (100 to 599) or a class such as "5XX"`);
          ok = false;
        }
        if (providerCode !== undefined && (typeof providerCode !== "string" || providerCode === "")) {
          problems.add(doc.path, `${ra}/providerCode`, "must be a non-empty string");
          ok = false;
        }
        if (typeof code !== "string") {
          problems.add(doc.path, code === undefined ? ra : `${ra}/code`, code === undefined ? `missing "code"` : "must be a string");
          ok = false;
        }
        if (retryable !== undefined && typeof retryable !== "boolean") {
          problems.add(doc.path, `${ra}/retryable`, "must be a boolean");
          ok = false;
        }
        if (hint !== undefined && typeof hint !== "string") {
          problems.add(doc.path, `${ra}/hint`, "must be a string");
          ok = false;
        }
        if (!ok) return;
        out.errors.push({
          pointer: ra,
          ...(status === undefined ? {} : { status: status as number | string }),
          ...(providerCode === undefined ? {} : { providerCode: providerCode as string }),
          code: code as string,
          ...(retryable === undefined ? {} : { retryable: retryable as boolean }),
          ...(hint === undefined ? {} : { hint: hint as string }),
        });
      });
    }
  }
  return out;
}
