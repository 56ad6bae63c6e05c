import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { keyFingerprint } from "@tokenmint/core";
import { parseSignatureHeader } from "@tokenmint/core/emulator";
import * as common from "oci-common";
import { afterEach, describe, expect, it } from "vitest";
import { createOciSigner, OCI_DOCUMENTED_COMPONENTS, OCI_TYPESCRIPT_SDK_COMPONENTS } from "../src/index.js";

const fixtures = join(import.meta.dirname, "fixtures");
const vectors = JSON.parse(readFileSync(join(fixtures, "oci-signature-vectors.json"), "utf8")) as {
  tenancy: string;
  user: string;
  fingerprint: string;
  date: string;
  get: { method: string; url: string; authorization: string };
  post: { method: string; url: string; body: string; contentSha256: string; authorization: string };
};
const testKeyPem = readFileSync(join(fixtures, "oci_test_key.pem"), "utf8");
const keyId = `${vectors.tenancy}/${vectors.user}/${vectors.fingerprint}`;
const vectorTime = Date.parse(vectors.date);

describe("published OCI signing vectors (oci-go-sdk http_signer_test.go, the Request Signatures page sample)", () => {
  it("the published fingerprint is a label: it is not the test key's MD5 (the vectors sign whatever keyId says)", () => {
    expect(keyFingerprint(createPrivateKey(testKeyPem))).not.toBe(vectors.fingerprint);
  });

  it("reproduces the GET vector byte for byte", () => {
    const signer = createOciSigner({ keyId, privateKey: testKeyPem, now: () => vectorTime });
    // 5 January 2014 was a Sunday: the vectors' "Thu" date is kept verbatim as a preset header.
    const headers: Record<string, string> = { date: vectors.date };
    const authorization = signer.sign({ method: "GET", url: vectors.get.url, headers });
    expect(authorization).toBe(vectors.get.authorization);
    expect(headers["date"]).toBe(vectors.date);
    expect(headers["authorization"]).toBe(vectors.get.authorization);
    expect(headers["x-content-sha256"]).toBeUndefined();
  });

  it("reproduces the POST vector byte for byte, including the body headers", () => {
    const signer = createOciSigner({ keyId, privateKey: testKeyPem, now: () => vectorTime });
    const headers: Record<string, string> = { date: vectors.date, "content-type": "application/json" };
    const authorization = signer.sign({ method: "POST", url: vectors.post.url, headers, body: vectors.post.body });
    expect(authorization).toBe(vectors.post.authorization);
    expect(headers["content-length"]).toBe("316");
    expect(headers["x-content-sha256"]).toBe(vectors.post.contentSha256);
  });

  it("signs the same from a parsed KeyObject and from a Uint8Array body", () => {
    const signer = createOciSigner({ keyId, privateKey: createPrivateKey(testKeyPem), now: () => vectorTime });
    const headers: Record<string, string> = { date: vectors.date };
    expect(signer.sign({ method: "post", url: new URL(vectors.post.url), headers, body: new TextEncoder().encode(vectors.post.body) })).toBe(vectors.post.authorization);
    // content-type defaults to application/json, as in oci-common.
    expect(headers["content-type"]).toBe("application/json");
  });

  it("sets date from its clock when the request has none, and keeps a preset one", () => {
    const t = Date.UTC(2026, 10, 23, 8, 0, 0);
    const signer = createOciSigner({ keyId, privateKey: testKeyPem, now: () => t });
    const fresh: Record<string, string> = {};
    signer.sign({ method: "GET", url: vectors.get.url, headers: fresh });
    expect(fresh["date"]).toBe("Mon, 23 Nov 2026 08:00:00 GMT");
    const xdate: Record<string, string> = {};
    createOciSigner({ keyId, privateKey: testKeyPem, components: OCI_TYPESCRIPT_SDK_COMPONENTS, now: () => t }).sign({ method: "GET", url: vectors.get.url, headers: xdate });
    expect(xdate).toMatchObject({ "x-date": "Mon, 23 Nov 2026 08:00:00 GMT" });
    expect(xdate["date"]).toBeUndefined();
  });

  it("refuses component sets OCI would not accept", () => {
    expect(() => createOciSigner({ keyId, privateKey: testKeyPem, components: { withoutBody: ["host"], withBody: ["date", "(request-target)"] } })).toThrow(/request-target/);
    expect(() => createOciSigner({ keyId, privateKey: testKeyPem, components: { withoutBody: ["(request-target)", "host"], withBody: ["date", "(request-target)"] } })).toThrow(/date or x-date/);
    expect(() => createOciSigner({ keyId, privateKey: testKeyPem, parameterOrder: "sdk" as "documented" })).toThrow(/parameterOrder must be "documented" or "typescript-sdk"/);
  });
});

// ---- equality with oci-common@2.139.1 DefaultRequestSigner over generated requests ----

/** A small deterministic PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
const HOSTS = ["auth.us-ashburn-1.oraclecloud.com", "auth.us-gov-phoenix-1.oraclegovcloud.com", "iaas.eu-frankfurt-1.oraclecloud.com", "127.0.0.1:40123", "auth.eu-madrid-2.oraclecloud.eu"];
const METHODS = ["GET", "DELETE", "POST", "PUT", "PATCH"];
const TEXT_PIECES = ["a", "ü", "€", "日本", "😀", " ", "\n", '"', "\\", "ocid1.tenancy.oc1..aaaa", "-----BEGIN PUBLIC KEY-----"];

function randomRequest(rand: () => number): { method: string; url: string; body: string | undefined; date: string } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const word = (n: number) => {
    let out = "";
    for (let i = 0; i < n; i++) out += rand() < 0.1 ? `%${Math.floor(rand() * 256).toString(16).toUpperCase().padStart(2, "0")}` : pick([...UNRESERVED]);
    return out;
  };
  // "." and ".." segments are left out: WHATWG URL (what fetch sends, and what we sign) removes them,
  // while oci-common signs url.parse's raw path; neither is a path an OCI API uses.
  const segments = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => word(1 + Math.floor(rand() * 12))).filter((s) => s !== "." && s !== "..");
  const query = rand() < 0.5 ? "" : `?${Array.from({ length: 1 + Math.floor(rand() * 3) }, () => `${word(3)}=${word(Math.floor(rand() * 10))}`).join("&")}`;
  const method = pick(METHODS);
  let body: string | undefined;
  if (method === "POST" || method === "PUT" || method === "PATCH") {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < Math.floor(rand() * 5); i++) fields[word(4)] = rand() < 0.5 ? Math.floor(rand() * 1e6) : Array.from({ length: Math.floor(rand() * 20) }, () => pick(TEXT_PIECES)).join("");
    body = rand() < 0.1 ? "" : JSON.stringify(fields, null, rand() < 0.5 ? 0 : 2);
  }
  const date = new Date(Date.UTC(2000 + Math.floor(rand() * 40), 0, 1) + Math.floor(rand() * 365 * 86_400_000)).toUTCString();
  return { method, url: `https://${pick(HOSTS)}/${segments.join("/")}${query}`, body, date };
}

/** oci-common's layout of a documented-order header: version, keyId, algorithm, headers (Content-Type/Content-Length as spelled there), signature. */
function ociCommonLayout(authorization: string): string {
  const p = parseSignatureHeader(authorization);
  const spelled = p.headers.map((h) => (h === "content-type" ? "Content-Type" : h === "content-length" ? "Content-Length" : h)).join(" ");
  return `Signature version="1",keyId="${p.keyId}",algorithm="${p.algorithm}",headers="${spelled}",signature="${p.signature.toString("base64")}"`;
}

async function ociCommonSign(pem: string, fingerprint: string, request: { method: string; url: string; body: string | undefined }, presetHeaders: Record<string, string>): Promise<Headers> {
  const provider = new common.SimpleAuthenticationDetailsProvider(vectors.tenancy, vectors.user, fingerprint, pem, null, common.Region.US_ASHBURN_1);
  const signer = new common.DefaultRequestSigner(provider);
  const headers = new Headers(presetHeaders);
  await signer.signHttpRequest({ method: request.method as common.Method, uri: request.url, headers, body: request.body });
  return headers;
}

// headersToSign is a private static of DefaultRequestSigner; the comparison of the documented set overrides it.
const signerStatics = common.DefaultRequestSigner as unknown as { headersToSign: string[] };

describe("equality with oci-common@2.139.1 DefaultRequestSigner", () => {
  const original = [...signerStatics.headersToSign];
  afterEach(() => {
    signerStatics.headersToSign = [...original];
  });

  const generated: KeyObject = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const keys = [
    { name: "the published 1024-bit PKCS#1 test key", pem: testKeyPem },
    { name: "a 2048-bit PKCS#8 key", pem: generated.export({ type: "pkcs8", format: "pem" }).toString() },
  ];

  for (const key of keys) {
    it(`same Authorization and signed headers as oci-common over 200 generated requests (${key.name}, TypeScript SDK header set)`, async () => {
      const fingerprint = keyFingerprint(createPrivateKey(key.pem));
      const rand = prng(key.pem.length);
      for (let i = 0; i < 200; i++) {
        const request = randomRequest(rand);
        const theirs = await ociCommonSign(key.pem, fingerprint, request, { "x-date": request.date });
        const signer = createOciSigner({ keyId: `${vectors.tenancy}/${vectors.user}/${fingerprint}`, privateKey: key.pem, components: OCI_TYPESCRIPT_SDK_COMPONENTS, parameterOrder: "typescript-sdk", now: () => Date.parse(request.date) });
        const ours: Record<string, string> = {};
        const authorization = signer.sign({ method: request.method, url: request.url, headers: ours, body: request.body });
        const context = `request ${i}: ${request.method} ${request.url}`;
        expect(ours["x-date"], context).toBe(theirs.get("x-date"));
        for (const name of ["content-type", "content-length", "x-content-sha256"]) expect(ours[name], `${context} ${name}`).toBe(theirs.get(name) ?? undefined);
        // Byte for byte: the same header oci-common's DefaultRequestSigner writes.
        expect(authorization, context).toBe(theirs.get("authorization"));
        expect(ours["authorization"], context).toBe(theirs.get("authorization"));
        // The default (documented) order carries the same parameters and signature.
        const documented = createOciSigner({ keyId: `${vectors.tenancy}/${vectors.user}/${fingerprint}`, privateKey: key.pem, components: OCI_TYPESCRIPT_SDK_COMPONENTS, now: () => Date.parse(request.date) });
        const other = documented.sign({ method: request.method, url: request.url, headers: {}, body: request.body });
        expect(ociCommonLayout(other), context).toBe(theirs.get("authorization"));
      }
    });
  }

  it("same signature as oci-common for GET/DELETE with the documented header set (date (request-target) host)", async () => {
    signerStatics.headersToSign = ["date", "(request-target)", "host"];
    const rand = prng(7);
    let compared = 0;
    while (compared < 50) {
      const request = randomRequest(rand);
      if (request.method !== "GET" && request.method !== "DELETE") continue;
      compared++;
      const theirs = await ociCommonSign(testKeyPem, vectors.fingerprint, request, { date: request.date });
      const signer = createOciSigner({ keyId, privateKey: testKeyPem, components: OCI_DOCUMENTED_COMPONENTS, parameterOrder: "typescript-sdk", now: () => Date.parse(request.date) });
      const authorization = signer.sign({ method: request.method, url: request.url, headers: {} });
      expect(authorization).toBe(theirs.get("authorization"));
    }
  });

  it("oci-common with the documented header set reproduces the published GET vector too (sanity check of the comparison)", async () => {
    signerStatics.headersToSign = ["date", "(request-target)", "host"];
    const theirs = await ociCommonSign(testKeyPem, vectors.fingerprint, { method: "GET", url: vectors.get.url, body: undefined }, { date: vectors.date });
    expect(parseSignatureHeader(theirs.get("authorization")!).signature.toString("base64")).toBe(parseSignatureHeader(vectors.get.authorization).signature.toString("base64"));
  });
});
