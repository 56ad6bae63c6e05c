import { memoize } from "@smithy/property-provider";
import { Secret, type Token, type TokenSource } from "@tokenmint/core";
import { TokenManager } from "@tokenmint/core/tokens";
import { fmt, measure, ratio } from "../harness.js";
import type { Row } from "../report.js";

const token = (): Token => ({ provider: "bench", value: new Secret("v"), tokenType: "Bearer", issuedAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000), scopes: [], raw: {} });

export async function tokenManagerSuite(): Promise<Row[]> {
  const map = new Map([["k", token()]]);
  const baseline = async (k: string) => map.get(k);
  const manager = new TokenManager();
  const source: TokenSource = { key: "bench:config:request", issue: async () => token() };
  await manager.getToken(source);
  const memo = memoize(async () => ({ ...token(), expiration: new Date(Date.now() + 3_600_000) }), (c) => c.expiration.getTime() < Date.now(), () => true);
  await memo();

  const [base, ours, peer] = await measure([
    { name: "baseline: awaited async Map hit", run: async (n) => { for (let i = 0; i < n; i++) await baseline("k"); } },
    { name: "tokenmint TokenManager.getToken (cached)", run: async (n) => { for (let i = 0; i < n; i++) await manager.getToken(source); } },
    { name: "@smithy/property-provider memoize (cached)", run: async (n) => { for (let i = 0; i < n; i++) await memo(); } },
  ]);

  // Single flight: 10,000 concurrent callers on a cold cache.
  let upstream = 0;
  const cold = new TokenManager();
  const coldSource: TokenSource = { key: "cold", issue: async () => { upstream++; await new Promise((r) => setTimeout(r, 5)); return token(); } };
  await Promise.all(Array.from({ length: 10_000 }, () => cold.getToken(coldSource)));
  let peerUpstream = 0;
  const coldMemo = memoize(async () => { peerUpstream++; await new Promise((r) => setTimeout(r, 5)); return token(); });
  await Promise.all(Array.from({ length: 10_000 }, () => coldMemo()));

  const vsBase = ratio(ours!, base!);
  const vsPeer = ratio(ours!, peer!);
  return [
    { figure: "cached getToken() / awaited Map hit", value: vsBase.median, spread: [vsBase.min, vsBase.max], goal: ">= 0.9", context: `${fmt(ours!.median)}/s vs ${fmt(base!.median)}/s` },
    { figure: "cached getToken() / smithy memoize", value: vsPeer.median, spread: [vsPeer.min, vsPeer.max], goal: ">= 1.0", context: `${fmt(ours!.median)}/s vs ${fmt(peer!.median)}/s` },
    { figure: "cached getToken() calls per second", value: ours!.median, goal: ">= 5,000,000 (context only: absolute figures vary with the machine)", context: `rounds: ${ours!.perRound.map(fmt).join(", ")}` },
    { figure: "upstream calls for 10,000 concurrent cold getToken()", value: upstream, goal: "1", context: `smithy memoize: ${peerUpstream}` },
  ];
}
