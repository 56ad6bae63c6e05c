// Canonicalisation and signing, sign -> verify with each emulator's own verifier: random requests (methods,
// unicode paths, queries, extra headers, bodies) signed by the providers' signers are accepted, and the
// same request with any one part tampered with is refused. 10,000 runs each: Huawei SDK-HMAC-SHA256 and
// Intersight hs2019 with an EC P-256 key here; the RSA-2048 signers in fuzz-signing-rsa.test.ts.
import { generateKeyPairSync } from "node:crypto";
import { createSigningKey, formatSdkDate, signRequest } from "@tokenmint/provider-huaweicloud";
import { AccessKeys, verifyRequest as verifyHuawei } from "@tokenmint/provider-huaweicloud/emulator";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fakeEmulatorRequest, type WireRequest } from "../src/fake-request.js";
import { fuzzSeed, RUNS } from "../src/fuzz.js";
import { body, encodePath, extraHeaders, intersightProperty, NOW, now, query, queryPairs, segments, TAMPERS, tamper } from "../src/signing-cases.js";

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

describe("Intersight HTTP signatures", () => {
  it(`hs2019 (EC P-256): signed requests verify; any tampered one is refused (${RUNS} runs)`, () => {
    intersightProperty([generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey], "hs2019", fuzzSeed(21));
  });
});
