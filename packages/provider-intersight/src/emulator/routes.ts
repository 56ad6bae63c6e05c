// The emulator's HTTP surface: /api/v1/iam/OAuthTokens (list with the OData subset),
// /api/v1/iam/OAuthTokens/{Moid} (get, delete), Intersight's error bodies and trace ids.
import { randomBytes } from "node:crypto";
import { type EmulatorRequest, type EmulatorResponse, json, type Route } from "@tokenmint/core/emulator";
import { type ApiKeyEntry, verifyRequest } from "./auth.js";
import { type Expression, ODataError, type OrderKey, parseFilter, parseOrderBy, parseSelect } from "./odata.js";
import type { OAuthTokenStore } from "./store.js";

/** Route names, for fault targeting (`server.faults.inject({ route: ROUTES.list, ... })`). */
export const ROUTES = { list: "GetIamOAuthTokenList", get: "GetIamOAuthTokenByMoid", delete: "DeleteIamOAuthToken" } as const;
export const COLLECTION_PATH = "/api/v1/iam/OAuthTokens";

export interface RouteContext {
  readonly store: OAuthTokenStore;
  readonly keys: ReadonlyMap<string, ApiKeyEntry>;
  readonly maxSkewSec: number;
  /** `$top` when none is given (the service's default, 100). */
  readonly defaultTop: number;
  /** Largest accepted `$top`. */
  readonly maxTop: number;
  /** Whether requests must be signed (tests of the query language may turn it off). */
  readonly requireSignature: boolean;
  /** Signatures rejected so far, with the reason, for assertions. */
  readonly rejected: { reason: string; keyId?: string }[];
}

/** Intersight's trace ids look like `NB` + 32 hex digits (as quoted in public issues). */
function traceId(): string {
  return `NB${randomBytes(16).toString("hex")}`;
}

/**
 * An Intersight error body: `{code, message, messageId, messageParams, traceId}`, with the trace id
 * in `x-starship-traceid` too. The 400 and 404 codes and message ids follow bodies quoted in public
 * issues (InvalidRequest / barcelona_request_*, NotFound / barcelona_request_object_does_not_exist);
 * the 401 and 403 ones are UNVERIFIED guesses in the same style.
 */
export function intersightError(status: number, code: string, message: string, messageId: string, messageParams: Record<string, string> = {}): EmulatorResponse {
  const id = traceId();
  return json(status, { code, message, messageId, messageParams, traceId: id }, { "x-starship-traceid": id });
}

function ok(body: unknown): EmulatorResponse {
  return json(200, body, { "x-starship-traceid": traceId() });
}

function authenticate(request: EmulatorRequest, context: RouteContext): EmulatorResponse | undefined {
  if (!context.requireSignature) return undefined;
  const result = verifyRequest(request, context.keys, context.maxSkewSec);
  if (result.ok) return undefined;
  context.rejected.push({ reason: result.reason });
  return intersightError(401, "Unauthorized", `Authentication failed: ${result.reason}.`, "barcelona_request_unauthenticated", { "1": result.reason });
}

function badQuery(option: string, detail: string): EmulatorResponse {
  return intersightError(400, "InvalidRequest", `Invalid value for the query parameter '${option}': ${detail}`, "barcelona_request_invalid_query_parameter", { "1": option, "2": detail });
}

const SUPPORTED = new Set(["$filter", "$select", "$orderby", "$top", "$skip", "$count", "$inlinecount"]);
const KNOWN_UNSUPPORTED = new Set(["$expand", "$apply", "at", "tags"]);

interface ListQuery {
  filter: Expression | undefined;
  select: string[] | undefined;
  order: OrderKey[];
  orderText: string;
  top: number;
  skip: number;
  count: boolean;
  inlineCount: boolean;
}

function integerOption(value: string, name: string, max?: number): number {
  if (!/^\d{1,9}$/.test(value)) throw new ODataError(`'${value}' is not a non-negative integer`, name);
  const n = Number(value);
  if (max !== undefined && n > max) throw new ODataError(`the maximum is ${max}`, name);
  return n;
}

function parseListQuery(params: URLSearchParams, context: RouteContext): ListQuery {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) throw new ODataError("given more than once", name);
    seen.add(name);
    if (KNOWN_UNSUPPORTED.has(name)) throw new ODataError("not supported by the emulator", name);
    if (name.startsWith("$") && !SUPPORTED.has(name)) throw new ODataError("unknown query option", name);
  }
  const filterText = params.get("$filter");
  const selectText = params.get("$select");
  const orderText = params.get("$orderby") ?? "";
  const count = params.get("$count");
  const inline = params.get("$inlinecount");
  if (count !== null && count !== "true" && count !== "false") throw new ODataError("expected true or false", "$count");
  if (inline !== null && inline !== "allpages" && inline !== "none") throw new ODataError("expected allpages or none", "$inlinecount");
  return {
    filter: filterText === null || filterText.trim() === "" ? undefined : parseFilter(filterText),
    select: selectText === null || selectText.trim() === "" ? undefined : parseSelect(selectText),
    order: orderText.trim() === "" ? [] : parseOrderBy(orderText),
    orderText: orderText.replace(/\s+/g, " ").trim(),
    top: params.has("$top") ? integerOption(params.get("$top")!, "$top", context.maxTop) : context.defaultTop,
    skip: params.has("$skip") ? integerOption(params.get("$skip")!, "$skip") : 0,
    count: count === "true",
    inlineCount: inline === "allpages",
  };
}

const IDENTITY = ["ClassId", "Moid", "ObjectType"];

function project(record: Record<string, unknown>, select: readonly string[] | undefined): Record<string, unknown> {
  if (select === undefined) return record;
  const out: Record<string, unknown> = {};
  for (const name of [...IDENTITY, ...select]) if (name in record) out[name] = record[name];
  return out;
}

function list(request: EmulatorRequest, context: RouteContext): EmulatorResponse {
  const denied = authenticate(request, context);
  if (denied) return denied;
  let query: ListQuery;
  try {
    query = parseListQuery(request.query, context);
  } catch (error) {
    if (error instanceof ODataError) return badQuery(error.option, error.message);
    throw error;
  }
  const matching = context.store.query(query.filter, query.order, query.orderText);
  if (query.count) return ok({ ObjectType: "mo.DocumentCount", Count: matching.length });
  const page = matching.slice(query.skip, query.skip + query.top).map((r) => project(r, query.select));
  return ok(query.inlineCount ? { ObjectType: "iam.OAuthToken.List", Count: matching.length, Results: page } : { ObjectType: "iam.OAuthToken.List", Results: page });
}

function notFound(moid: string): EmulatorResponse {
  return intersightError(404, "NotFound", `Cannot execute the request. The request object '${moid}' does not exist.`, "barcelona_request_object_does_not_exist", { "1": moid });
}

function get(request: EmulatorRequest, context: RouteContext): EmulatorResponse {
  const denied = authenticate(request, context);
  if (denied) return denied;
  const moid = request.params["moid"] ?? "";
  const record = context.store.get(moid);
  return record === undefined ? notFound(moid) : ok(record);
}

function remove(request: EmulatorRequest, context: RouteContext): EmulatorResponse {
  const denied = authenticate(request, context);
  if (denied) return denied;
  const moid = request.params["moid"] ?? "";
  context.store.purgeExpired();
  if (!context.store.delete(moid)) return notFound(moid);
  return { status: 200, headers: { "x-starship-traceid": traceId() } };
}

export function createRoutes(context: RouteContext): Route[] {
  return [
    { name: ROUTES.list, method: "GET", path: COLLECTION_PATH, handler: (r) => list(r, context) },
    { name: ROUTES.get, method: "GET", path: `${COLLECTION_PATH}/:moid`, handler: (r) => get(r, context) },
    { name: ROUTES.delete, method: "DELETE", path: `${COLLECTION_PATH}/:moid`, handler: (r) => remove(r, context) },
  ];
}

/** What the service answers for a URL it has no API for. */
export function unknownUrl(request: EmulatorRequest): EmulatorResponse {
  return intersightError(404, "NotFound", `Cannot find API for URL ${request.path}.`, "barcelona_invalid_url", { "1": request.path });
}
