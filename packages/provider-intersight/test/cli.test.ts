// The provider's CLI declaration: flags -> queries, list/revoke runs, and the demo on a default emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IntersightEmulator } from "../src/emulator/index.js";
import { filterFromCli, intersightCli, optionsFromCli, queryFromCli } from "../src/cli/index.js";
import { createIntersightClient } from "../src/index.js";
import { emulator } from "./helpers.js";

let emu: IntersightEmulator;

beforeAll(async () => {
  emu = await emulator({ seedRecords: 200 });
});
afterAll(async () => {
  await emu.close();
});

describe("CLI", () => {
  it("turns flags into options and filters", () => {
    expect(optionsFromCli({ endpoint: "https://x", "key-id": "a/b/c", "key-file": "k.pem", "page-size": 500 })).toMatchObject({ endpoint: "https://x", keyId: "a/b/c", privateKeyFile: "k.pem", pageSize: 500 });
    const now = Date.parse("2025-01-31T00:00:00Z");
    expect(filterFromCli({ "client-name": "ci's", "older-than-days": 30 }, now)).toBe("(ClientName eq 'ci''s') and (CreateTime lt 2025-01-01T00:00:00.000Z)");
    expect(filterFromCli({ filter: "startswith(ClientName,'a')", user: "u1" }, now)).toBe("(startswith(ClientName,'a')) and (User.Moid eq 'u1')");
    expect(filterFromCli({})).toBeUndefined();
    expect(queryFromCli({ "order-by": "CreateTime:desc", top: 5 })).toMatchObject({ orderBy: { key: "CreateTime", descending: true }, top: 5 });
    expect(() => queryFromCli({ "order-by": "ClientName" })).toThrowError(expect.objectContaining({ code: "configuration" }));
    expect(() => filterFromCli({ filter: "ClientName eq 'x" })).toThrowError(expect.objectContaining({ code: "invalid_request" }));
  });

  it("list and revoke run through the client", async () => {
    const client = createIntersightClient({ ...optionsFromCli({ endpoint: emu.url, "key-id": emu.credentials.ec.keyId }), privateKey: emu.credentials.ec.privateKeyPem }, { env: {} });
    const listed = [];
    for await (const r of intersightCli.list!.run(client, { "client-id": "powershell-sdk" }, {})) listed.push(r);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((r) => r.extras["ClientId"] === "powershell-sdk")).toBe(true);
    const one = listed[0]!.id;
    expect(await intersightCli.revoke!.run(client, one, {}, { dryRun: true })).toMatchObject({ dryRun: true, ids: [one] });
    expect(emu.store.has(one)).toBe(true);
    await intersightCli.revoke!.run(client, one, {}, { dryRun: false });
    expect(emu.store.has(one)).toBe(false);
    const bulk = await intersightCli.revoke!.run(client, undefined, { "client-id": "powershell-sdk" }, { dryRun: false });
    expect(bulk.ids.length).toBe(listed.length - 1);
    await expect(intersightCli.revoke!.run(client, undefined, {}, { dryRun: true })).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("the demo runs against a default emulator", async () => {
    const fresh = await emulator({ seedRecords: 200 });
    const lines: string[] = [];
    await intersightCli.demo!({ url: fresh.url, credentials: fresh.credentials }, (l) => lines.push(l), { workDir: "/nonexistent" });
    await fresh.close();
    expect(lines.length).toBe(5);
    expect(lines[1]).toMatch(/listed 200 records in 4 pages/);
  });
});
