// Full pagination over an Intersight collection with `$top`/`$skip`, as the Terraform data source
// does it, made stable when records are added or deleted between pages.
//
// The problem: offsets move. If k records before the cursor are deleted between two requests, the
// next `$skip` jumps over k records that were never returned; if records are inserted before the
// cursor, the next page repeats records.
//
// The algorithm:
// 1. Every request orders by a stable, unique key: `Moid`, or `CreateTime` then `Moid` (neither
//    changes during a record's life; ModTime would). `lastKey` is the key of the last record seen.
// 2. Every page after the first starts one record early (`$skip = offset - 1`, `$top = pageSize + 1`):
//    the first record returned is the anchor. The collection is sorted, so when the anchor's key is
//    <= lastKey, every record with a key > lastKey sits at or after the anchor: none can have been
//    skipped, whatever was inserted or deleted before. Records with key <= lastKey in the page are
//    dropped: they were returned already (or were inserted behind the cursor after the listing began),
//    which also makes duplicates impossible (keys strictly increase across everything yielded).
// 3. If the anchor's key is > lastKey (or the page is empty), records before the cursor were deleted
//    and the offset overshot. If a full page holds only records seen already, so many were inserted
//    before the cursor (typical of a descending order while users log in) that the page brought
//    nothing. Either way, re-synchronise: ask the service how many matching records have a key
//    <= lastKey now (`$count=true` with `(filter) and (key le lastKey)`), use that as the new
//    offset and fetch the page again; its anchor is checked the same way. A bounded number of
//    re-synchronisations per page protects against a collection that changes faster than it can be
//    read: the listing then fails with `conflict` instead of returning a silently incomplete set.
// 4. A page shorter than asked ends the listing. Pages whose keys are not in order mean the service
//    ignored `$orderby`; that fails with `invalid_response` instead of guessing.
// The "keyset" strategy skips steps 2-3: every page asks for `(filter) and not (key le lastKey)`
// with `$skip=0`, which inserts and deletes cannot disturb.
// Invariant: after each page, every record that existed during the whole listing and has a key
// <= lastKey has been yielded exactly once. Records added or deleted while the listing runs may or
// may not appear, as with any live listing.
import { TokenmintError } from "@tokenmint/core";
import { andFilters } from "./filter.js";

/** The stable orders a full listing may use. */
export type StableOrderKey = "Moid" | "CreateTime";

export interface StableOrder {
  readonly key: StableOrderKey;
  readonly descending?: boolean;
}

/** One request of the pager. */
export interface PageRequest {
  readonly filter: string | undefined;
  readonly orderby: string;
  readonly top: number;
  readonly skip: number;
  readonly select: string | undefined;
  /** Ask for `$inlinecount=allpages` (the Terraform data source does on its first request). */
  readonly inlineCount: boolean;
}

/** What the pager needs from the client: one page, and a count. */
export interface PageSource {
  fetchPage(request: PageRequest): Promise<{ results: readonly Record<string, unknown>[]; count: number | undefined }>;
  count(filter: string | undefined): Promise<number>;
}

export interface PaginateOptions {
  /** The caller's `$filter`, already built and checked. */
  readonly filter: string | undefined;
  readonly order: StableOrder;
  readonly pageSize: number;
  /** The service's largest `$top`. */
  readonly maxPageSize: number;
  /** Stop after this many records. */
  readonly limit?: number | undefined;
  /** `$select` as the caller wants it; the order's key properties are added. */
  readonly select?: readonly string[] | undefined;
  /** Re-synchronisations allowed per page before giving up. Default 8. */
  readonly maxResyncs?: number | undefined;
  /**
   * "offset" (default): `$top`/`$skip` with the anchor check, as the Terraform data source pages.
   * "keyset": every page asks for the records after the last key (`$skip=0`), which no insert or
   * delete can disturb, at the price of a longer `$filter`.
   */
  readonly strategy?: "offset" | "keyset" | undefined;
}

/** One page as the iterator yields it: only records not yielded before. */
export interface Page {
  /** New records of this page, in order. */
  readonly results: readonly Record<string, unknown>[];
  /** 0-based number of the page. */
  readonly index: number;
  /** `Count` of the first answer (`$inlinecount=allpages`): the number of matching records when the listing began. */
  readonly totalAtStart: number | undefined;
  /** Re-synchronisations this page needed (deletions before the cursor were detected). */
  readonly resyncs: number;
}

type Key = readonly [time: number, moid: string];

function keyOf(record: Record<string, unknown>, order: StableOrder): Key {
  const moid = record["Moid"];
  if (typeof moid !== "string" || moid.length === 0) throw new TokenmintError("invalid_response", "a listed record has no Moid", { provider: "intersight" });
  if (order.key === "Moid") return [0, moid];
  const created = record["CreateTime"];
  const time = typeof created === "string" ? Date.parse(created) : Number.NaN;
  if (Number.isNaN(time)) throw new TokenmintError("invalid_response", `record ${moid} has no valid CreateTime to order by`, { provider: "intersight" });
  return [time, moid];
}

function compareKeys(a: Key, b: Key, order: StableOrder): number {
  const c = a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1;
  return order.descending ? -c : c;
}

/** `$orderby` of a stable order. */
export function orderByClause(order: StableOrder): string {
  const dir = order.descending ? " desc" : "";
  return order.key === "Moid" ? `Moid${dir}` : `CreateTime${dir},Moid${dir}`;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** `$filter` of the records at or before a key in the given order (used to re-synchronise). */
function atOrBefore(record: Record<string, unknown>, order: StableOrder): string {
  const moid = quote(record["Moid"] as string);
  const [le, lt] = order.descending ? ["ge", "gt"] : ["le", "lt"];
  if (order.key === "Moid") return `Moid ${le} ${moid}`;
  // The raw CreateTime string keeps the service's own precision; it was validated as RFC 3339 by keyOf.
  const created = record["CreateTime"] as string;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(created)) throw new TokenmintError("invalid_response", "CreateTime is not an RFC 3339 date-time", { provider: "intersight" });
  return `(CreateTime ${lt} ${created}) or ((CreateTime eq ${created}) and (Moid ${le} ${moid}))`;
}

/** `$filter` of the records strictly after a key in the given order (keyset strategy). */
function after(record: Record<string, unknown>, order: StableOrder): string {
  return `not (${atOrBefore(record, order)})`;
}

/**
 * Iterates over every record matching `options.filter`, page by page, stable under concurrent
 * inserts and deletes (see the comment at the top of this file).
 */
export async function* paginate(source: PageSource, options: PaginateOptions): AsyncGenerator<Page, void, undefined> {
  const { order, filter } = options;
  const keyset = options.strategy === "keyset";
  const maxResyncs = options.maxResyncs ?? 8;
  const orderby = orderByClause(order);
  const select = options.select === undefined ? undefined : [...new Set([...options.select, "Moid", ...(order.key === "CreateTime" ? ["CreateTime"] : [])])].join(",");
  let offset = 0;
  let last: { key: Key; record: Record<string, unknown> } | undefined;
  let yielded = 0;
  let totalAtStart: number | undefined;
  for (let index = 0; ; index++) {
    if (options.limit !== undefined && yielded >= options.limit) return;
    let resyncs = 0;
    for (;;) {
      const first = index === 0 && resyncs === 0;
      const overlap = !keyset && last !== undefined && offset > 0 ? 1 : 0;
      const wanted = options.limit === undefined ? options.pageSize : Math.min(options.pageSize, options.limit - yielded);
      const top = Math.min(wanted + overlap, options.maxPageSize);
      const skip = keyset ? 0 : offset - overlap;
      const pageFilter = keyset && last !== undefined ? andFilters(filter, after(last.record, order)) : filter;
      const page = await source.fetchPage({ filter: pageFilter, orderby, top, skip, select, inlineCount: first });
      if (first) totalAtStart = page.count;
      const keys = page.results.map((r) => keyOf(r, order));
      for (let i = 1; i < keys.length; i++) {
        if (compareKeys(keys[i - 1]!, keys[i]!, order) >= 0) throw new TokenmintError("invalid_response", `the service did not return records in the requested order (${orderby})`, { provider: "intersight" });
      }
      let fresh = 0;
      while (fresh < keys.length && last !== undefined && compareKeys(keys[fresh]!, last.key, order) <= 0) fresh++;
      const stale = fresh;
      if (!keyset && last !== undefined && offset > 0) {
        // Anchor missing: records before the cursor were deleted. A full page of records seen
        // already: so many were inserted before the cursor that this page brought nothing new.
        // Either way, find where lastKey is now and fetch again.
        const anchorMissing = keys.length === 0 || stale === 0;
        const starved = keys.length === top && stale === keys.length;
        if (anchorMissing || starved) {
          if (++resyncs > maxResyncs) {
            throw new TokenmintError("conflict", `the collection changed faster than it could be listed (${maxResyncs} re-synchronisations on page ${index}); retry the listing`, { provider: "intersight", retryable: true });
          }
          offset = await source.count(andFilters(filter, atOrBefore(last.record, order)));
          continue;
        }
      }
      if (keyset && stale > 0) throw new TokenmintError("invalid_response", "the service returned records outside the requested key range", { provider: "intersight" });
      const room = options.limit === undefined ? keys.length - stale : Math.min(keys.length - stale, options.limit - yielded);
      const results = page.results.slice(stale, stale + room);
      const tail = keys.length - 1;
      if (tail >= stale) last = { key: keys[tail]!, record: page.results[tail]! };
      offset = skip + page.results.length;
      yielded += results.length;
      if (results.length > 0 || index === 0) yield { results, index, totalAtStart, resyncs };
      if (page.results.length < top) return;
      break;
    }
  }
}
