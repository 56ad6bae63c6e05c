// Huawei Cloud SDK-HMAC-SHA256 signing: ours vs the physical floor (one SHA-256 hex of the canonical
// request + one HMAC-SHA256 hex) and vs the official @huaweicloud/huaweicloud-sdk-core@3.1.211
// AKSKSigner, in alternating rounds of one run; plus cold import time vs the official SDK core
// (shared/reference/benchmarks.md). The request is the provider's real create: POST, no query, no body.
import { createHash, createHmac, createSecretKey } from "node:crypto";
import { createRequire } from "node:module";
import { type PreparedRequest, Secret } from "@tokenmint/core";
import { createRequestSigner, createSigningKey, formatSdkDate, signRequest } from "@tokenmint/provider-huaweicloud";
import { COLD_IMPORT_ROUNDS, compareColdImports, fmt, measure, median, ratio } from "../harness.js";
import type { Row } from "../report.js";

interface OfficialSigner {
  sign(request: { method: string; endpoint: string; headers: Record<string, string>; queryParams: Record<string, string> }, credential: object): Record<string, string>;
}

const require = createRequire(import.meta.url);

const AK = "HPUAEXAMPLEAK0000000";
const SK = "exampleSecretKeyExampleSecretKey00000000";
const HOST = "identitystore.cn-north-4.myhuaweicloud.com";
const PATH = "/v1/identity-stores/d-1234567890/tenant/5f2c1e0a-0b7e-4c35-9d1e-2f4b0c9a7e11/bearer-token";
const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export async function huaweicloudSuite(): Promise<Row[]> {
  const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner") as { AKSKSigner: OfficialSigner };
  const { BasicCredentials } = require("@huaweicloud/huaweicloud-sdk-core") as { BasicCredentials: new () => { withAk(ak: string): { withSk(sk: string): object } } };
  const credential = new BasicCredentials().withAk(AK).withSk(SK);
  const key = createSigningKey(AK, SK);
  const hmacKey = createSecretKey(Buffer.from(SK));
  const date = formatSdkDate(new Date());
  const canonical = `POST\n${PATH}/\n\nhost:${HOST}\nx-sdk-date:${date}\n\nhost;x-sdk-date\n${EMPTY}`;

  // Same Authorization from all three, or the comparison means nothing.
  const floorSignature = createHmac("sha256", hmacKey).update(`SDK-HMAC-SHA256\n${date}\n${createHash("sha256").update(canonical).digest("hex")}`).digest("hex");
  const ours = signRequest({ method: "POST", path: PATH, headers: { host: HOST, "x-sdk-date": date } }, key).authorization;
  const theirs = AKSKSigner.sign({ method: "POST", endpoint: `https://${HOST}${PATH}`, headers: { "X-Sdk-Date": date }, queryParams: {} }, credential)["Authorization"];
  if (ours !== theirs || !ours.endsWith(`Signature=${floorSignature}`)) throw new Error("huaweicloud bench: the signers disagree");

  const hook = createRequestSigner({ accessKey: AK, secretKey: new Secret(SK) });
  const url = new URL(`https://${HOST}${PATH}`);
  let sink = 0;
  const [floor, mine, viaHook, official] = await measure([
    {
      name: "floor: sha256 hex (canonical request) + hmac-sha256 hex",
      run: (n) => {
        for (let i = 0; i < n; i++) {
          const h = createHash("sha256").update(canonical).digest("hex");
          sink += createHmac("sha256", hmacKey).update(`SDK-HMAC-SHA256\n${date}\n${h}`).digest("hex").length;
        }
      },
    },
    {
      // The same inputs as AKSKSigner below: the X-Sdk-Date value is given.
      name: "tokenmint signRequest",
      run: (n) => {
        for (let i = 0; i < n; i++) sink += signRequest({ method: "POST", path: PATH, headers: { host: HOST, "x-sdk-date": date } }, key).authorization.length;
      },
    },
    {
      // What the client runs per attempt: reads the URL, dates the request, sets three headers.
      name: "tokenmint transport sign hook (PreparedRequest with URL)",
      run: (n) => {
        for (let i = 0; i < n; i++) {
          const prepared: PreparedRequest = { method: "POST", url, headers: { accept: "application/json", "user-agent": "tokenmint" }, body: undefined };
          hook(prepared, { attempt: 1 });
          sink += prepared.headers["authorization"]!.length;
        }
      },
    },
    {
      name: "@huaweicloud/huaweicloud-sdk-core AKSKSigner.sign",
      run: (n) => {
        for (let i = 0; i < n; i++) sink += AKSKSigner.sign({ method: "POST", endpoint: `https://${HOST}${PATH}`, headers: { "X-Sdk-Date": date }, queryParams: {} }, credential)["Authorization"]!.length;
      },
    },
  ]);
  if (sink === 0) throw new Error("unreachable");

  const cold = compareColdImports(["@tokenmint/provider-huaweicloud"], ["@huaweicloud/huaweicloud-sdk-core"]);
  const ourImport = median(cold.ours);
  const theirImport = median(cold.theirs);

  const vsFloor = ratio(mine!, floor!);
  const hookVsFloor = ratio(viaHook!, floor!);
  const vsOfficial = ratio(mine!, official!);
  const hookVsOfficial = ratio(viaHook!, official!);
  return [
    { figure: "SDK-HMAC-SHA256 signatures per second / floor (sha256 + hmac hex)", value: vsFloor.median, spread: [vsFloor.min, vsFloor.max], goal: ">= 0.7", context: `${fmt(mine!.median)}/s vs ${fmt(floor!.median)}/s (POST create, no query, no body)` },
    { figure: "SDK-HMAC-SHA256 signatures per second / official AKSKSigner", value: vsOfficial.median, spread: [vsOfficial.min, vsOfficial.max], goal: ">= 3", context: `official: ${fmt(official!.median)}/s` },
    { figure: "transport sign hook per second / floor", value: hookVsFloor.median, spread: [hookVsFloor.min, hookVsFloor.max], goal: "context only", context: `${fmt(viaHook!.median)}/s (headers set on a PreparedRequest, URL object)` },
    { figure: "transport sign hook per second / official AKSKSigner", value: hookVsOfficial.median, spread: [hookVsOfficial.min, hookVsOfficial.max], goal: ">= 3", context: "" },
    { figure: "cold import of @tokenmint/provider-huaweicloud (ms)", value: ourImport, goal: "< @huaweicloud/huaweicloud-sdk-core", context: `@huaweicloud/huaweicloud-sdk-core: ${theirImport.toFixed(1)} ms; timed inside fresh processes from an ESM / CommonJS entry file, ${COLD_IMPORT_ROUNDS} alternating rounds, medians` },
    { figure: "cold import: ours / official SDK core", value: median(cold.ratios), spread: [Math.min(...cold.ratios), Math.max(...cold.ratios)], goal: "< 1", context: "" },
  ];
}
