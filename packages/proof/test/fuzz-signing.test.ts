// Canonicalisation and signing, sign -> verify with each emulator's own verifier: random requests (methods,
// unicode paths, queries, extra headers, bodies) signed by the providers' signers are accepted, and the
// same request with any one part tampered with is refused. Runs: Huawei SDK-HMAC-SHA256 10,000;
// Intersight hs2019 with an EC P-256 key 10,000; Intersight rsa-sha256 and OCI rsa-sha256 (RSA-2048,
// ~1 ms a signature here) 1,000 each, with keys generated once.
import { generateKeyPairSync } from "node:crypto";
import { createSigningKey, formatSdkDate, signRequest } from "@tokenmint/provider-huaweicloud";
import { AccessKeys, verifyRequest as verifyHuawei } from "@tokenmint/provider-huaweicloud/emulator";
import { createIntersightSigner, DEFAULT_SIGNED_HEADERS } from "@tokenmint/provider-intersight";
import { apiKeyEntry, verifyRequest as verifyIntersight } from "@tokenmint/provider-intersight/emulator";
import { createOciSigner } from "@tokenmint/provider-oci";
import { authenticate, EmulatorIdentity } from "@tokenmint/provider-oci/emulator";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fakeEmulatorRequest, type WireRequest } from "../src/fake-request.js";
import { fuzzSeed, RUNS } from "../src/fuzz.js";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const now = () => NOW;

/** Path segments with any unicode, encoded as a client sends them. */
const segments = fc.array(fc.string({ unit: "binary", minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 });
const queryPairs = fc.array(fc.tuple(fc.string({ unit: "binary", minLength: 1, maxLength: 6 }), fc.string({ unit: "binary", maxLength: 8 })), { maxLength: 3 });
/** Header values as HTTP allows them: visible ASCII, inner spaces. */
const headerValue = fc.stringMatching(/^[\x21-\x7e](?:[\x20-\x7e]{0,16}[\x21-\x7e])?$/);
const extraHeaders = fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,10}$/), headerValue, { maxKeys: 3 });
const body = fc.string({ unit: "binary", maxLength: 64 });

function encodePath(parts: readonly string[]): string {
  return `/${parts.map((p) => encodeURIComponent(p)).join("/")}`;
}

function query(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

type Tamper = "body" | "path" | "query" | "header" | "host" | "date" | "method" | "signature";
const TAMPERS: readonly Tamper[] = ["body", "path", "query", "header", "host", "date", "method", "signature"];

/** The same wire request with one part changed in a way that changes its meaning. */
function tamper(wire: WireRequest, kind: Tamper, dateHeader: string, shiftDate: (value: string) => string): WireRequest {
  const url = new URL(wire.url);
  const headers = { ...wire.headers };
  switch (kind) {
    case "body":
      return { ...wire, body: `${typeof wire.body === "string" ? wire.body : ""}!` };
    case "path":
      url.pathname = `${url.pathname}/x`;
      return { ...wire, url: url.href };
    case "query":
      url.search = url.search === "" ? "?tampered=1" : `${url.search}&tampered=1`;
      return { ...wire, url: url.href };
    case "header": {
      const name = Object.keys(headers).find((h) => h.startsWith("x-") && h !== dateHeader && !h.startsWith("x-content")) ?? "host";
      headers[name] = `${headers[name] ?? ""}tampered`;
      return { ...wire, headers };
    }
    case "host":
      return { ...wire, headers: { ...headers, host: "evil.example" } };
    case "date":
      headers[dateHeader] = shiftDate(headers[dateHeader]!);
      return { ...wire, headers };
    case "method":
      return { ...wire, method: wire.method === "GET" ? "DELETE" : "GET" };
    case "signature": {
      const auth = headers["authorization"]!;
      // Change one character of the signature value (hex or base64): it must no longer verify.
      const at = auth.search(/signature="?/i) + auth.slice(auth.search(/signature="?/i)).indexOf("=") + 2;
      const ch = auth[at]!;
      headers["authorization"] = `${auth.slice(0, at)}${ch === "A" || ch === "a" || ch === "0" ? "1" : "A"}${auth.slice(at + 1)}`;
      return { ...wire, headers };
    }
  }
}

describe("Huawei SDK-HMAC-SHA256", () => {
  it(`signed requests verify; any tampered one is refused (${RUNS} runs)`, () => {
    const keys = new AccessKeys();
    const account = { accountId: "a".repeat(32), name: "fuzz", role: "management" as const };
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z0-9]{20}$/),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.constantFrom("GET", "POST", "PUT", "DELETE"),
        segments,
        queryPairs,
        extraHeaders,
        body,
        fc.constantFrom(...TAMPERS),
        (ak, sk, method, path, pairs, extra, payload, kind) => {
          keys.add({ accessKey: ak, secretKey: sk, account });
          const host = "identitystore.cn-north-4.myhuaweicloud.com";
          const headers: Record<string, string> = { host, "x-sdk-date": formatSdkDate(new Date(NOW)), ...extra };
          const q = query(pairs);
          const { authorization } = signRequest({ method, path: encodePath(path), query: q, headers, body: payload }, createSigningKey(ak, sk));
          const wire: WireRequest = { method, url: `https://${host}${encodePath(path)}${q ? `?${q}` : ""}`, headers: { ...headers, authorization }, body: payload, now };
          expect(verifyHuawei(fakeEmulatorRequest(wire), keys, NOW)).toMatchObject({ ok: true });
          const shift = (v: string) => formatSdkDate(new Date(Date.UTC(+v.slice(0, 4), +v.slice(4, 6) - 1, +v.slice(6, 8), +v.slice(9, 11), +v.slice(11, 13), +v.slice(13, 15)) + 1000));
          const bad = tamper(wire, kind, "x-sdk-date", shift);
          expect(verifyHuawei(fakeEmulatorRequest(bad), keys, NOW).ok, `tampered ${kind}`).toBe(false);
          keys.delete(ak);
        },
      ),
      { numRuns: RUNS, seed: fuzzSeed(20) },
    );
  });
});

function intersightProperty(key: ReturnType<typeof generateKeyPairSync>["privateKey"], algorithm: "hs2019" | "rsa-sha256", runs: number, seed: number) {
  const keyId = "5b1f0a0b6176752d30000001/5b1f0a0b6176752d30000002/5b1f0a0b6176752d30000003";
  const keys = new Map([[keyId, apiKeyEntry(keyId, key)]]);
  const { sign } = createIntersightSigner({ keyId, key, algorithm, signedHeaders: DEFAULT_SIGNED_HEADERS, validitySeconds: 300, now });
  fc.assert(
    fc.property(fc.constantFrom("GET", "DELETE", "POST"), segments, queryPairs, body, fc.constantFrom(...TAMPERS), (method, path, pairs, payload, kind) => {
      const url = new URL(`https://intersight.com/api/v1${encodePath(path)}`);
      url.search = query(pairs);
      const bytes = method === "POST" ? Buffer.from(payload) : undefined;
      const headers: Record<string, string> = { host: url.host, "user-agent": "tokenmint-fuzz" };
      sign({ method, url, headers, body: bytes }, { attempt: 1 });
      const wire: WireRequest = { method, url: url.href, headers, body: bytes === undefined ? undefined : payload, now };
      const good = verifyIntersight(fakeEmulatorRequest(wire), keys, 300);
      expect(good, JSON.stringify(good)).toMatchObject({ ok: true });
      const bad = tamper(wire, kind, "date", (v) => new Date(Date.parse(v) + 1000).toUTCString());
      expect(verifyIntersight(fakeEmulatorRequest(bad), keys, 300).ok, `tampered ${kind}`).toBe(false);
    }),
    { numRuns: runs, seed: fuzzSeed(seed) },
  );
}

describe("Intersight HTTP signatures", () => {
  it(`hs2019 (EC P-256): signed requests verify; any tampered one is refused (${RUNS} runs)`, () => {
    intersightProperty(generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey, "hs2019", RUNS, 21);
  });
  it("rsa-sha256 (RSA-2048): the same (1,000 runs: an RSA signature costs ~1 ms here)", () => {
    intersightProperty(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey, "rsa-sha256", 1000, 22);
  });
});

describe("OCI HTTP signature v1", () => {
  it("signed requests verify against the emulator's identity; any tampered one is refused (1,000 runs: RSA-2048)", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const identity = new EmulatorIdentity();
    const tenancy = identity.addTenancy("fuzz");
    const user = "ocid1.user.oc1..aaaafuzz";
    const entry = identity.addApiKey(tenancy.ocid, user, publicKey);
    const signer = createOciSigner({ keyId: `${tenancy.ocid}/${user}/${entry.fingerprint}`, privateKey, now });
    fc.assert(
      fc.property(fc.constantFrom("GET", "DELETE", "POST", "PUT"), segments, queryPairs, extraHeaders, body, fc.constantFrom(...TAMPERS), (method, path, pairs, extra, payload, kind) => {
        const q = query(pairs);
        const url = `https://auth.us-ashburn-1.oraclecloud.com/v1${encodePath(path)}${q ? `?${q}` : ""}`;
        const headers: Record<string, string> = { ...extra, "content-type": "application/json" };
        const withBody = method === "POST" || method === "PUT";
        signer.sign({ method, url, headers, body: withBody ? payload : undefined });
        const wire: WireRequest = { method, url, headers, body: withBody ? payload : undefined, now };
        const good = authenticate(fakeEmulatorRequest(wire), identity, 300);
        expect(good, JSON.stringify(good)).toMatchObject({ ok: true });
        // Extra x- headers are not in OCI's documented signed set, and a GET's body is not signed: tamper a signed part instead.
        const effective = kind === "header" ? "host" : kind === "body" && !withBody ? "path" : kind;
        const bad = tamper(wire, effective, "date", (v) => new Date(Date.parse(v) + 1000).toUTCString());
        expect(authenticate(fakeEmulatorRequest(bad), identity, 300).ok, `tampered ${effective}`).toBe(false);
      }),
      { numRuns: 1000, seed: fuzzSeed(23) },
    );
  });
});
