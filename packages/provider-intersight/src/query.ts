// Turns the caller's query into checked OData query options. Everything is validated here, before
// any request, so a typo fails with a clear `invalid_request` naming the option.
import { TokenmintError } from "@tokenmint/core";
import { buildFilter, checkRawFilter, type Filter } from "./filter.js";
import type { StableOrder, StableOrderKey } from "./paginate.js";
import { type FilterPath, isOAuthTokenProperty, type OAuthTokenProperty, resolvePath } from "./properties.js";

/** A filter: typed (built and escaped for you) or a raw OData `$filter` string (sent as is). */
export type FilterInput = Filter | string;

/** One `$orderby` key. */
export interface OrderByKey {
  readonly property: FilterPath;
  readonly descending?: boolean;
}

/** A query over all pages (`list`, `pages`, `listAll`, `revokeMatching`). */
export interface ListQuery {
  readonly filter?: FilterInput | undefined;
  /** Properties to return (`$select`); Moid (and CreateTime when ordering by it) are always added. */
  readonly select?: readonly OAuthTokenProperty[] | undefined;
  /**
   * The order of the listing. Pagination needs a stable, unique order, so only `Moid` (default) and
   * `CreateTime` (then Moid) are offered; both never change during a record's life.
   */
  readonly orderBy?: StableOrderKey | StableOrder | undefined;
  /** Stop after this many records (OData `$top` over the whole listing). */
  readonly top?: number | undefined;
  /** `$top` of each request. Default: the client's pageSize (100). */
  readonly pageSize?: number | undefined;
  /** "offset" (default, `$top`/`$skip` with shift detection) or "keyset" (`$filter` on the last key). */
  readonly strategy?: "offset" | "keyset" | undefined;
}

/** One request, as the service sees it (`listPage`). */
export interface PageQuery {
  readonly filter?: FilterInput | undefined;
  readonly select?: readonly OAuthTokenProperty[] | undefined;
  /** `$orderby`: keys, or the raw text (`"CreateTime desc,Moid"`), which is checked. */
  readonly orderBy?: string | readonly OrderByKey[] | undefined;
  readonly top?: number | undefined;
  readonly skip?: number | undefined;
  /** Ask for `$inlinecount=allpages` (the total matching count comes back as `count`). */
  readonly inlineCount?: boolean | undefined;
}

function invalid(message: string): TokenmintError {
  return new TokenmintError("invalid_request", message, { provider: "intersight" });
}

/** The `$filter` text of a filter input, or undefined for none. */
export function filterText(filter: FilterInput | undefined): string | undefined {
  if (filter === undefined) return undefined;
  return typeof filter === "string" ? checkRawFilter(filter) : buildFilter(filter);
}

/** Checks `$select` names against the iam.OAuthToken properties. */
export function selectList(select: readonly string[] | undefined): string[] | undefined {
  if (select === undefined) return undefined;
  if (!Array.isArray(select) || select.length === 0) throw invalid("select: give a non-empty list of property names");
  for (const name of select) {
    if (typeof name !== "string" || !isOAuthTokenProperty(name)) throw invalid(`select: unknown property ${JSON.stringify(name)} (names are PascalCase iam.OAuthToken properties)`);
  }
  return [...new Set(select)];
}

/** Checks and writes `$orderby`. */
export function orderByText(orderBy: PageQuery["orderBy"]): string | undefined {
  if (orderBy === undefined) return undefined;
  const keys: OrderByKey[] = [];
  if (typeof orderBy === "string") {
    for (const part of orderBy.split(",")) {
      const [name, direction, extra] = part.trim().split(/\s+/);
      if (!name || extra !== undefined || (direction !== undefined && direction !== "asc" && direction !== "desc")) throw invalid(`orderBy: ${JSON.stringify(part.trim())} is not "Property [asc|desc]"`);
      keys.push({ property: name as FilterPath, descending: direction === "desc" });
    }
  } else {
    keys.push(...orderBy);
  }
  if (keys.length === 0) throw invalid("orderBy: give at least one property");
  return keys
    .map((k) => {
      const resolved = typeof k.property === "string" ? resolvePath(k.property) : undefined;
      if (resolved === undefined) throw invalid(`orderBy: unknown or non-sortable property ${JSON.stringify(k.property)}`);
      return `${resolved.segments.join(".")}${k.descending ? " desc" : ""}`;
    })
    .join(",");
}

/** Checks a non-negative integer option. */
export function wholeNumber(value: number | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

/** The stable order of a full listing. */
export function stableOrder(orderBy: ListQuery["orderBy"]): StableOrder {
  if (orderBy === undefined) return { key: "Moid" };
  const order: StableOrder = typeof orderBy === "string" ? { key: orderBy } : orderBy;
  if (order.key !== "Moid" && order.key !== "CreateTime") throw invalid(`orderBy: a full listing orders by Moid or CreateTime (stable keys), not ${JSON.stringify(order.key)}; use listPage for other orders`);
  return { key: order.key, descending: order.descending === true };
}
