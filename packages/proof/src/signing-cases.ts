// The requests the signing fuzzers sign, and how they tamper with them: random methods, unicode paths,
// queries, extra headers and bodies, and one part changed in a way that changes the request's meaning.
import type { KeyObject } from "node:crypto";
import { createIntersightSigner, DEFAULT_SIGNED_HEADERS } from "@tokenmint/provider-intersight";
import { apiKeyEntry, verifyRequest as verifyIntersight } from "@tokenmint/provider-intersight/emulator";
import fc from "fast-check";
import { expect } from "vitest";
import { fakeEmulatorRequest, type WireRequest } from "./fake-request.js";
import { RUNS } from "./fuzz.js";

export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
export const now = () => NOW;

/** Path segments with any unicode, encoded as a client sends them. */
export const segments = fc.array(fc.string({ unit: "binary", minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 });
export const queryPairs = fc.array(fc.tuple(fc.string({ unit: "binary", minLength: 1, maxLength: 6 }), fc.string({ unit: "binary", maxLength: 8 })), { maxLength: 3 });
/** Header values as HTTP allows them: visible ASCII, inner spaces. */
export const headerValue = fc.stringMatching(/^[\x21-\x7e](?:[\x20-\x7e]{0,16}[\x21-\x7e])?$/);
export const extraHeaders = fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,10}$/), headerValue, { maxKeys: 3 });
export const body = fc.string({ unit: "binary", maxLength: 64 });

export function encodePath(parts: readonly string[]): string {
  return `/${parts.map((p) => encodeURIComponent(p)).join("/")}`;
}

export function query(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

export type Tamper = "body" | "path" | "query" | "header" | "host" | "date" | "method" | "signature";
export const TAMPERS: readonly Tamper[] = ["body", "path", "query", "header", "host", "date", "method", "signature"];

/** The same wire request with one part changed in a way that changes its meaning. */
export function tamper(wire: WireRequest, kind: Tamper, dateHeader: string, shiftDate: (value: string) => string): WireRequest {
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

/** A request signed with one registered key presented under another registered key's id: refused too. */
export function swapKeyId(wire: WireRequest, from: string, to: string): WireRequest {
  const auth = wire.headers["authorization"]!;
  if (!auth.includes(from)) throw new Error("the Authorization header does not name the signing key");
  return { ...wire, headers: { ...wire.headers, authorization: auth.replace(from, to) } };
}

/**
 * Intersight: requests signed with one of `keys` (each registered under its own key id) verify; any tampered
 * one is refused, and so is one presented under another registered key's id.
 */
export function intersightProperty(keys: readonly KeyObject[], algorithm: "hs2019" | "rsa-sha256", seed: number | undefined): void {
  const ids = keys.map((_, i) => `5b1f0a0b6176752d3000000${i}/5b1f0a0b6176752d30000002/5b1f0a0b6176752d30000003`);
  const registered = new Map(keys.map((key, i) => [ids[i]!, apiKeyEntry(ids[i]!, key)]));
  const signers = keys.map((key, i) => createIntersightSigner({ keyId: ids[i]!, key, algorithm, signedHeaders: DEFAULT_SIGNED_HEADERS, validitySeconds: 300, now }).sign);
  const tampers = keys.length > 1 ? [...TAMPERS, "key" as const] : TAMPERS;
  fc.assert(
    fc.property(fc.nat({ max: keys.length - 1 }), fc.constantFrom("GET", "DELETE", "POST"), segments, queryPairs, body, fc.constantFrom(...tampers), (k, method, path, pairs, payload, kind) => {
      const url = new URL(`https://intersight.com/api/v1${encodePath(path)}`);
      url.search = query(pairs);
      const bytes = method === "POST" ? Buffer.from(payload) : undefined;
      const headers: Record<string, string> = { host: url.host, "user-agent": "tokenmint-fuzz" };
      signers[k]!({ method, url, headers, body: bytes }, { attempt: 1 });
      const wire: WireRequest = { method, url: url.href, headers, body: bytes === undefined ? undefined : payload, now };
      const good = verifyIntersight(fakeEmulatorRequest(wire), registered, 300);
      expect(good, JSON.stringify(good)).toMatchObject({ ok: true });
      const bad = kind === "key" ? swapKeyId(wire, ids[k]!, ids[(k + 1) % ids.length]!) : tamper(wire, kind, "date", (v) => new Date(Date.parse(v) + 1000).toUTCString());
      expect(verifyIntersight(fakeEmulatorRequest(bad), registered, 300).ok, `tampered ${kind}`).toBe(false);
    }),
    { numRuns: RUNS, seed },
  );
}
