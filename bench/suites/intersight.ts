// Intersight: records listed per second through the full pagination path (signing, transport,
// shift-detecting pagination, response validation, TokenRecord mapping) against the emulator, as a
// ratio to raw `fetch` of the same pages ($top/$skip, no signing, body read but not parsed) measured
// in the same rounds. The emulator does not check signatures here, so both sides pay the same
// server cost and the ratio isolates what the client adds. There is no official JavaScript SDK to
// compare with (Cisco ships Python, Go and PowerShell SDKs).
import { createIntersightClient } from "@tokenmint/provider-intersight";
import { startEmulator } from "@tokenmint/provider-intersight/emulator";
import { fmt, measure, ratio } from "../harness.js";
import type { Row } from "../report.js";

const RECORDS = 2_000;
const PAGE = 100;

export async function intersightSuite(): Promise<Row[]> {
  const emulator = await startEmulator({ requireSignature: false, seedRecords: 0 });
  try {
    emulator.seed(RECORDS, { seed: 1 });
    const make = (kind: "rsa" | "ec") => createIntersightClient({ endpoint: emulator.url, keyId: emulator.credentials[kind].keyId, privateKey: emulator.credentials[kind].privateKeyPem, pageSize: PAGE }, { env: {} });
    const rsa = make("rsa");
    const ec = make("ec");

    // The floor: the same number of pages, same order and page size, fetched and read as bytes.
    // A second baseline also JSON.parses each page: the least any client that reads the records pays.
    const raw = async (parse: boolean) => {
      for (let skip = 0; ; skip += PAGE) {
        const response = await fetch(`${emulator.url}/api/v1/iam/OAuthTokens?%24orderby=Moid&%24top=${PAGE}&%24skip=${skip}`);
        if (response.status !== 200) throw new Error(`raw fetch answered ${response.status}`);
        if (parse) {
          const body = (await response.json()) as { Results: unknown[] };
          if (body.Results.length < PAGE) break;
        } else {
          await response.arrayBuffer();
        }
        if (skip + PAGE >= RECORDS) break;
      }
    };
    const listed = async (client: typeof rsa) => {
      let n = 0;
      for await (const page of client.pages({ pageSize: PAGE })) n += page.records.length;
      if (n !== RECORDS) throw new Error(`listed ${n} of ${RECORDS}`);
    };
    await raw(false);
    await raw(true);
    await listed(rsa);
    await listed(ec);

    const [base, parsed, withRsa, withEc] = await measure(
      [
        { name: "baseline: raw fetch of the pages", run: async (n) => { for (let i = 0; i < n; i++) await raw(false); } },
        { name: "baseline: raw fetch + JSON.parse of the pages", run: async (n) => { for (let i = 0; i < n; i++) await raw(true); } },
        { name: "client.pages(), RSA v2 key", run: async (n) => { for (let i = 0; i < n; i++) await listed(rsa); } },
        { name: "client.pages(), EC v3 key", run: async (n) => { for (let i = 0; i < n; i++) await listed(ec); } },
      ],
      { rounds: 7, roundMs: 600 },
    );
    const perSecond = (ops: number) => ops * RECORDS;
    const vsRsa = ratio(withRsa!, base!);
    const vsEc = ratio(withEc!, base!);
    const vsParsed = ratio(withEc!, parsed!);
    return [
      {
        figure: "records listed per second, full pagination (RSA key) / raw fetch of the same pages",
        value: vsRsa.median,
        spread: [vsRsa.min, vsRsa.max],
        goal: "context: the floor does not even parse the JSON; one RSA-2048 signature per page",
        context: `${fmt(perSecond(withRsa!.median))}/s vs ${fmt(perSecond(base!.median))}/s; ${RECORDS} records, $top=${PAGE}`,
      },
      {
        figure: "records listed per second, full pagination (EC key) / raw fetch of the same pages",
        value: vsEc.median,
        spread: [vsEc.min, vsEc.max],
        goal: "context: the floor does not even parse the JSON",
        context: `${fmt(perSecond(withEc!.median))}/s vs ${fmt(perSecond(base!.median))}/s`,
      },
      {
        figure: "records listed per second, full pagination (EC key) / raw fetch + JSON.parse of the same pages",
        value: vsParsed.median,
        spread: [vsParsed.min, vsParsed.max],
        goal: ">= 0.5 (what signing, transport, validation and mapping add beyond reading the JSON)",
        context: `${fmt(perSecond(withEc!.median))}/s vs ${fmt(perSecond(parsed!.median))}/s`,
      },
      {
        figure: "records listed per second through the full pagination path (EC key)",
        value: perSecond(withEc!.median),
        goal: "context only: absolute figures vary with the machine",
        context: `rounds: ${withEc!.perRound.map((v) => fmt(perSecond(v))).join(", ")}`,
      },
    ];
  } finally {
    await emulator.close();
  }
}
