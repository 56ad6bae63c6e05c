// Bulk revoke: "every token of client X older than 30 days", dry run and real.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IntersightEmulator } from "../src/emulator/index.js";
import { ROUTES } from "../src/emulator/index.js";
import { clientFor, DAY, emulator } from "./helpers.js";

let emu: IntersightEmulator;

beforeAll(async () => {
  emu = await emulator();
});
afterAll(async () => {
  await emu.close();
});

let stale: string[];
let fresh: string[];
let others: string[];

beforeEach(() => {
  for (const moid of emu.store.moids()) emu.store.delete(moid);
  emu.server.faults.clear();
  const now = Date.now();
  stale = Array.from({ length: 130 }, (_, i) => emu.login({ clientName: "Intersight Terraform", clientId: "tf", at: new Date(now - (31 + (i % 50)) * DAY) }).Moid);
  fresh = Array.from({ length: 20 }, (_, i) => emu.login({ clientName: "Intersight Terraform", clientId: "tf", at: new Date(now - (i % 29) * DAY) }).Moid);
  others = Array.from({ length: 40 }, () => emu.login({ clientName: "Grafana", clientId: "grafana", at: new Date(now - 60 * DAY) }).Moid);
});

const olderThan30Days = () => ({ filter: { ClientName: "Intersight Terraform", CreateTime: { lt: new Date(Date.now() - 30 * DAY) } } });

describe("revokeMatching", () => {
  it("dry run lists what would be revoked and deletes nothing", async () => {
    const client = clientFor(emu, "ec");
    const deletes = emu.server.count(ROUTES.delete);
    const plan = await client.revokeMatching({ ...olderThan30Days(), pageSize: 50 }, { dryRun: true });
    expect(plan.dryRun).toBe(true);
    expect([...plan.ids].sort()).toEqual([...stale].sort());
    expect(plan.records.map((r) => r.id)).toEqual(plan.ids);
    expect(plan.records.every((r) => r.client === "Intersight Terraform" && r.createdAt!.getTime() < Date.now() - 30 * DAY)).toBe(true);
    expect(emu.server.count(ROUTES.delete)).toBe(deletes);
    expect(emu.store.size).toBe(190);
  });

  it("revokes exactly the matching records", async () => {
    const client = clientFor(emu);
    // One record disappears between listing (one page) and deletion (its user logged out): counted as already gone.
    const gone = stale[3]!;
    const query = emu.store.query.bind(emu.store);
    let listed = false;
    emu.store.query = (...args) => {
      const view = query(...args);
      if (listed || !view.some((r) => r.Moid === gone)) return view;
      listed = true;
      const answer = [...view];
      emu.store.delete(gone);
      return answer;
    };
    const result = await client.revokeMatching({ ...olderThan30Days(), pageSize: 200 }, { concurrency: 8 });
    emu.store.query = query;
    expect(result.dryRun).toBe(false);
    expect(result.failed).toEqual([]);
    expect(result.ids.length).toBe(130);
    expect(result.alreadyGone).toEqual([gone]);
    for (const id of stale) expect(emu.store.has(id)).toBe(false);
    for (const id of [...fresh, ...others]) expect(emu.store.has(id)).toBe(true);
  });

  it("records individual failures and stops on credential errors", async () => {
    const client = clientFor(emu, "rsa", { maxAttempts: 1 });
    emu.server.faults.inject({ route: ROUTES.delete, kind: "status", status: 500, times: 2, body: { code: "InternalServerError", message: "boom" } });
    const progress: [number, number][] = [];
    const result = await client.revokeMatching({ filter: { ClientName: "Grafana" } }, { concurrency: 1, onProgress: (done, total) => progress.push([done, total]) });
    expect(progress).toHaveLength(others.length);
    expect(progress.at(-1)).toEqual([others.length, others.length]);
    expect(result.failed.length).toBe(2);
    expect(result.failed[0]!.error.code).toBe("provider_unavailable");
    expect(result.ids.length).toBe(38);
    expect(emu.store.size).toBe(190 - 38);

    emu.server.faults.inject({ route: ROUTES.delete, kind: "status", status: 403, times: Number.POSITIVE_INFINITY, body: { code: "Forbidden", message: "no" } });
    await expect(client.revokeMatching({ filter: { ClientName: "Intersight Terraform" } })).rejects.toMatchObject({ code: "access_denied" });
    expect(emu.store.size).toBe(190 - 38);
  });

  it("refuses to revoke everything without all: true", async () => {
    const client = clientFor(emu);
    await expect(client.revokeMatching({})).rejects.toMatchObject({ code: "invalid_request" });
    const everything = await client.revokeMatching({ all: true }, { dryRun: true });
    expect(everything.ids.length).toBe(190);
  });
});
