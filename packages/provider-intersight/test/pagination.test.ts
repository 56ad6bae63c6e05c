// Full pagination over HTTP: 10,000 seeded records, with deletes and inserts between pages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IntersightEmulator } from "../src/emulator/index.js";
import { ROUTES } from "../src/emulator/index.js";
import type { IntersightClient } from "../src/index.js";
import { clientFor, emulator } from "./helpers.js";

let emu: IntersightEmulator;
let client: IntersightClient;

beforeAll(async () => {
  emu = await emulator();
  client = clientFor(emu, "ec");
});
afterAll(async () => {
  await emu.close();
});

/** A deterministic pseudo-random source, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

function reseed(count: number, seed: number): Set<string> {
  for (const moid of emu.store.moids()) emu.store.delete(moid);
  return new Set(emu.seed(count, { seed }).map((r) => r.Moid));
}

describe("pagination across 10,000 records", () => {
  for (const [name, query] of [
    ["offset, Moid", { pageSize: 100 }],
    ["offset, CreateTime desc", { pageSize: 250, orderBy: { key: "CreateTime", descending: true } }],
    ["keyset, CreateTime", { pageSize: 500, orderBy: "CreateTime", strategy: "keyset" }],
  ] as const) {
    it(`returns every record exactly once under concurrent deletes and inserts (${name})`, async () => {
      const initial = reseed(10_000, 42);
      const random = lcg(7);
      const deleted = new Set<string>();
      const seen = new Set<string>();
      let duplicates = 0;
      let resyncs = 0;
      let pages = 0;
      const requestsBefore = emu.server.count(ROUTES.list);
      for await (const page of client.pages(query)) {
        pages++;
        resyncs += page.resyncs;
        if (page.index === 0) expect(page.totalAtStart).toBe(10_000);
        for (const record of page.records) {
          if (seen.has(record.id)) duplicates++;
          seen.add(record.id);
        }
        // Between pages: users log out (records anywhere in the order vanish) and log in (new records).
        const ids = emu.store.moids();
        for (let i = 0; i < 15; i++) {
          const id = ids[Math.floor(random() * ids.length)]!;
          if (emu.store.delete(id)) deleted.add(id);
        }
        for (let i = 0; i < 5; i++) emu.login();
      }
      expect(duplicates).toBe(0);
      const missing = [...initial].filter((id) => !deleted.has(id) && !seen.has(id));
      expect(missing).toEqual([]);
      // Deletions before the cursor happened, were detected and repaired.
      if (query.strategy !== "keyset") expect(resyncs).toBeGreaterThan(0);
      expect(pages).toBeGreaterThan(10_000 / query.pageSize / 2);
      // One request per page, plus a count and a re-read per re-synchronisation.
      expect(emu.server.count(ROUTES.list) - requestsBefore).toBeLessThanOrEqual(pages + 2 * resyncs + 1);
    });
  }

  it("a naive $skip walk over the same churn skips records (why the shift detection exists)", async () => {
    const initial = reseed(2_000, 5);
    const random = lcg(9);
    const deleted = new Set<string>();
    const seen = new Set<string>();
    for (let skip = 0; ; skip += 100) {
      const page = await client.listPage({ orderBy: "Moid", top: 100, skip });
      for (const r of page.records) seen.add(r.id);
      if (page.records.length < 100) break;
      const ids = emu.store.moids();
      for (let i = 0; i < 15; i++) {
        const id = ids[Math.floor(random() * ids.length)]!;
        if (emu.store.delete(id)) deleted.add(id);
      }
    }
    expect([...initial].filter((id) => !deleted.has(id) && !seen.has(id)).length).toBeGreaterThan(0);
  });

  it("filters, limits and the collecting helper", async () => {
    reseed(3_000, 11);
    const expected = emu.store.query(undefined, [], "").filter((r) => r["ClientId"] === "powershell-sdk").length;
    const all = await client.listAll({ filter: { ClientId: "powershell-sdk" }, pageSize: 97 });
    expect(all.length).toBe(expected);
    expect(all.every((r) => r.extras["ClientId"] === "powershell-sdk")).toBe(true);
    const ids = all.map((r) => r.id);
    expect([...ids].sort()).toEqual(ids);
    expect((await client.listAll({ top: 250, pageSize: 100 })).length).toBe(250);
    let n = 0;
    for await (const _ of client.list({ pageSize: 1000 })) n++;
    expect(n).toBe(3_000);
  });
});
