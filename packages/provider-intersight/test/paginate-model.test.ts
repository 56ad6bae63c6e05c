// The pagination algorithm against the emulator's store and OData evaluator, without HTTP, so that
// thousands of random interleavings of pages, inserts and deletes run in a few seconds. The HTTP
// path is covered by pagination.test.ts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFilter, parseOrderBy } from "../src/emulator/odata.js";
import { OAuthTokenStore } from "../src/emulator/store.js";
import { type PageSource, paginate, type StableOrder } from "../src/paginate.js";

function source(store: OAuthTokenStore, between: () => void): PageSource {
  return {
    async fetchPage(r) {
      between();
      const all = store.query(r.filter ? parseFilter(r.filter) : undefined, parseOrderBy(r.orderby), r.orderby);
      return { results: all.slice(r.skip, r.skip + r.top), count: r.inlineCount ? all.length : undefined };
    },
    async count(filter) {
      between();
      return store.query(filter ? parseFilter(filter) : undefined, [], "").length;
    },
  };
}

const ORDERS: StableOrder[] = [{ key: "Moid" }, { key: "CreateTime" }, { key: "CreateTime", descending: true }, { key: "Moid", descending: true }];

describe("pagination model", () => {
  for (const order of ORDERS) {
    for (const strategy of ["offset", "keyset"] as const) {
      it(`property: nothing skipped, nothing duplicated (${strategy}, ${order.key}${order.descending ? " desc" : ""})`, async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 0, max: 300 }),
            fc.integer({ min: 1, max: 40 }),
            fc.integer({ min: 0, max: 1000 }),
            fc.integer({ min: 0, max: 4 }),
            fc.integer({ min: 0, max: 4 }),
            fc.boolean(),
            async (n, pageSize, seed, deletes, inserts, backdated) => {
              const store = new OAuthTokenStore();
              store.seed(n, { seed });
              const initial = store.moids();
              const deleted = new Set<string>();
              let state = seed + 1;
              const next = () => {
                state = (state * 1103515245 + 12345) & 0x7fffffff;
                return state;
              };
              // Churn during the first 40 requests: a collection that grows faster than it is read forever
              // never ends, with any paginator.
              let calls = 0;
              const between = () => {
                if (++calls > 40) return;
                const ids = store.moids();
                for (let i = 0; i < deletes && ids.length > 0; i++) {
                  const id = ids[next() % ids.length]!;
                  if (store.delete(id)) deleted.add(id);
                }
                // New logins: now (the realistic case), or back-dated so they land anywhere in the order.
                for (let i = 0; i < inserts; i++) store.login({ at: backdated ? new Date(Date.now() - (next() % 5_000_000_000)) : new Date() });
              };
              const seen: string[] = [];
              try {
                for await (const page of paginate(source(store, between), { filter: undefined, order, pageSize, maxPageSize: 1000, strategy, maxResyncs: 50 })) {
                  for (const r of page.results) seen.push(r["Moid"] as string);
                  if (seen.length > 100_000) throw new Error("runaway listing");
                }
              } catch (error) {
                // Giving up openly is allowed when the churn outpaces the reader; skipping silently is not.
                expect((error as { code?: string }).code).toBe("conflict");
                expect(inserts + deletes).toBeGreaterThanOrEqual(pageSize);
                return;
              }
              expect(new Set(seen).size).toBe(seen.length);
              const missing = initial.filter((id) => !deleted.has(id) && !seen.includes(id));
              expect(missing).toEqual([]);
            },
          ),
          { numRuns: 40 },
        );
      });
    }
  }

  it("filters and limits are honoured across pages", async () => {
    const store = new OAuthTokenStore();
    store.seed(500, { seed: 7 });
    const filter = "ClientId eq 'ansible-automation-app'";
    const expected = store.query(parseFilter(filter), parseOrderBy("Moid"), "Moid").map((r) => r.Moid);
    const seen: string[] = [];
    for await (const page of paginate(source(store, () => {}), { filter, order: { key: "Moid" }, pageSize: 7, maxPageSize: 1000 })) seen.push(...page.results.map((r) => r["Moid"] as string));
    expect(seen).toEqual(expected);
    const limited: string[] = [];
    for await (const page of paginate(source(store, () => {}), { filter, order: { key: "Moid" }, pageSize: 7, maxPageSize: 1000, limit: 10 })) limited.push(...page.results.map((r) => r["Moid"] as string));
    expect(limited).toEqual(expected.slice(0, 10));
  });

  it("a service that ignores $orderby is detected", async () => {
    const store = new OAuthTokenStore();
    store.seed(50, { seed: 3 });
    const unordered: PageSource = {
      async fetchPage(r) {
        const all = store.query(undefined, [], "");
        return { results: [...all].reverse().slice(r.skip, r.skip + r.top), count: undefined };
      },
      async count() {
        return 0;
      },
    };
    await expect(async () => {
      for await (const _ of paginate(unordered, { filter: undefined, order: { key: "Moid" }, pageSize: 10, maxPageSize: 1000 })) {
        // consume
      }
    }).rejects.toMatchObject({ code: "invalid_response" });
  });
});
