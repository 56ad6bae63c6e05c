import { constants, createPublicKey, generateKeyPairSync, type KeyObject, sign as cryptoSign, verify as cryptoVerify } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isTokenmintError, Secret } from "../src/index.js";
import {
  buildSigningString,
  createHttpSigner,
  keyFingerprint,
  loadPrivateKey,
  OCI_DOCUMENTED_PARAMETER_ORDER,
  OCI_TYPESCRIPT_SDK_PARAMETER_ORDER,
  type OciSignatureParameter,
  type SignableRequest,
  sha256Base64,
} from "../src/http-signature/index.js";
import { parseSignatureHeader, verifyHttpSignature } from "../src/emulator/index.js";

// The published OCI vectors, copied into the package so the tests run from a clean clone.
interface VectorCase {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  components: string[];
  signingString: string;
  authorization: string;
}
interface Vectors {
  keyFile: string;
  tenancy: string;
  user: string;
  fingerprint: string;
  cases: VectorCase[];
}
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const vectors = JSON.parse(readFileSync(fixture("oci-signing-vectors.json"), "utf8")) as Vectors;
const ociPem = readFileSync(fixture(vectors.keyFile), "utf8");

const CANARY = "CANARY-5d1e-never-in-messages";
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });

const NOW = Date.parse("2026-11-22T10:00:00Z");
const DATE = new Date(NOW).toUTCString();
const INTERSIGHT_COMPONENTS = ["(request-target)", "(created)", "(expires)", "host", "date", "digest", "content-type", "user-agent"];

function intersightRequest(body = '{"Name":"x"}'): SignableRequest {
  return {
    method: "POST",
    url: "https://intersight.com/api/v1/iam/OAuthTokens?$top=100&$filter=ClientName%20eq%20%27x%27",
    headers: { Date: DATE, Digest: `SHA-256=${sha256Base64(body)}`, "Content-Type": "application/json", "User-Agent": "tokenmint" },
  };
}

function expectReason(result: ReturnType<typeof verifyHttpSignature>, pattern: RegExp): void {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.reason).toMatch(pattern);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("OCI published vectors", () => {
  const keyId = `${vectors.tenancy}/${vectors.user}/${vectors.fingerprint}`;

  it("fingerprints keys as `openssl rsa -pubout -outform DER | openssl md5 -c` does", () => {
    // The vector's fingerprint is only a label inside keyId: it is not the sample key's own
    // fingerprint (OpenSSL gives the value below for this key), and the signatures do not depend on it.
    const key = loadPrivateKey(ociPem);
    expect(keyFingerprint(createPublicKey(key))).toBe("73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7");
    expect(keyFingerprint(key)).toBe("73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7");
    expect(keyFingerprint(ec.publicKey)).toMatch(/^[0-9a-f]{2}(?::[0-9a-f]{2}){15}$/);
  });

  for (const vector of vectors.cases) {
    it(`${vector.name}: signing string and Authorization byte for byte`, () => {
      const request = { method: vector.method, url: vector.url, headers: vector.headers };
      expect(buildSigningString(request, vector.components)).toBe(vector.signingString);
      const signer = createHttpSigner({ keyId, privateKey: ociPem, components: vector.components, style: "oci" });
      expect(signer.algorithm).toBe("rsa-sha256");
      expect(signer.sign(request)).toBe(vector.authorization);
      // Same result from a Secret-wrapped key and from a URL object.
      const fromSecret = createHttpSigner({ keyId, privateKey: new Secret(ociPem), components: vector.components, style: "oci" });
      expect(fromSecret.sign({ ...request, url: new URL(vector.url) })).toBe(vector.authorization);
    });

    it(`${vector.name}: the published header parses (headers= before keyId=) and verifies`, () => {
      const parsed = parseSignatureHeader(vector.authorization);
      expect(parsed).toMatchObject({ keyId, algorithm: "rsa-sha256", version: "1", headers: vector.components });
      const publicKey = createPublicKey(loadPrivateKey(ociPem));
      const now = () => Date.parse(vector.headers["date"] as string) + 60_000;
      expect(verifyHttpSignature({ method: vector.method, url: vector.url, headers: vector.headers }, parsed, publicKey, { now })).toEqual({ ok: true });
    });
  }

  it("POST body digest and length match the vector's headers", () => {
    const post = vectors.cases.find((c) => c.name === "POST") as VectorCase;
    expect(sha256Base64(post.body)).toBe(post.headers["x-content-sha256"]);
    expect(sha256Base64(Buffer.from(post.body))).toBe(post.headers["x-content-sha256"]);
    expect(String(Buffer.byteLength(post.body))).toBe(post.headers["content-length"]);
    expect(sha256Base64("")).toBe("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  });

  it("signs x-date the way the official TypeScript SDK does", () => {
    const signer = createHttpSigner({ keyId: "t/u/f", privateKey: rsa.privateKey, components: ["x-date", "(request-target)", "host"], style: "oci" });
    const request = { method: "GET", url: "https://auth.us-phoenix-1.oraclecloud.com/v1/x", headers: { "X-Date": DATE } };
    const header = signer.sign(request);
    expect(header).toMatch(/^Signature version="1",headers="x-date \(request-target\) host",keyId="t\/u\/f",algorithm="rsa-sha256",signature="[A-Za-z0-9+/]+={0,2}"$/);
    expect(verifyHttpSignature(request, header, rsa.publicKey, { now: () => NOW })).toEqual({ ok: true });
  });

  it("lays the OCI parameters out in the order asked for, keeps the caller's spelling in headers=, and verifies either way", () => {
    const components = ["x-date", "(request-target)", "host", "Content-Type"];
    const request = { method: "PUT", url: "https://h.example/v1/x", headers: { "X-Date": DATE, "content-type": "application/json" } };
    const sdk = createHttpSigner({ keyId: "t/u/f", privateKey: rsa.privateKey, components, style: "oci", parameterOrder: OCI_TYPESCRIPT_SDK_PARAMETER_ORDER }).sign(request);
    const documented = createHttpSigner({ keyId: "t/u/f", privateKey: rsa.privateKey, components, style: "oci", parameterOrder: OCI_DOCUMENTED_PARAMETER_ORDER }).sign(request);
    expect(sdk).toMatch(/^Signature version="1",keyId="t\/u\/f",algorithm="rsa-sha256",headers="x-date \(request-target\) host Content-Type",signature="[^"]+"$/);
    expect(documented).toMatch(/^Signature version="1",headers="x-date \(request-target\) host Content-Type",keyId="t\/u\/f",algorithm="rsa-sha256",signature="[^"]+"$/);
    expect(parseSignatureHeader(sdk).signature.equals(parseSignatureHeader(documented).signature)).toBe(true);
    expect(verifyHttpSignature(request, sdk, rsa.publicKey, { now: () => NOW })).toEqual({ ok: true });
    for (const bad of [["version", "keyId", "algorithm"], ["version", "keyId", "algorithm", "algorithm"], ["version", "keyId", "algorithm", "headers", "signature"]]) {
      expect(() => createHttpSigner({ keyId: "t/u/f", privateKey: rsa.privateKey, components, style: "oci", parameterOrder: bad as OciSignatureParameter[] })).toThrow(/parameterOrder must list each of/);
    }
    expect(() => createHttpSigner({ keyId: "t/u/f", privateKey: rsa.privateKey, components, style: "cavage", parameterOrder: OCI_DOCUMENTED_PARAMETER_ORDER })).toThrow(/"oci" style only/);
  });
});

describe("buildSigningString", () => {
  it("takes host from the URL (with a non-default port only) and looks headers up in any case", () => {
    const headers = { DATE: " Thu, 05 Jan 2014 21:31:40 GMT " };
    expect(buildSigningString({ method: "DELETE", url: "https://h.example:8443/a/b%2Fc?x=%20y#frag", headers }, ["(request-target)", "host", "date"])).toBe(
      "(request-target): delete /a/b%2Fc?x=%20y\nhost: h.example:8443\ndate: Thu, 05 Jan 2014 21:31:40 GMT",
    );
    expect(buildSigningString({ method: "GET", url: "https://h.example:443/", headers: {} }, ["host"])).toBe("host: h.example");
    expect(buildSigningString({ method: "GET", url: "https://h.example/", headers: { Host: "other:1" } }, ["host"])).toBe("host: other:1");
  });

  it("writes (created)/(expires) from the params, as given", () => {
    expect(buildSigningString({ method: "GET", url: "https://h/", headers: {} }, ["(created)", "(expires)"], { created: 1700000000, expires: "1700000300.500" })).toBe(
      "(created): 1700000000\n(expires): 1700000300.500",
    );
  });

  it("names a missing header in a configuration error", () => {
    const error = thrown(() => buildSigningString({ method: "GET", url: "https://h/", headers: {} }, ["x-content-sha256"]));
    expect(isTokenmintError(error, "configuration")).toBe(true);
    expect((error as Error).message).toContain("x-content-sha256");
    expect(isTokenmintError(thrown(() => buildSigningString({ method: "GET", url: "https://h/", headers: {} }, ["(created)"])), "configuration")).toBe(true);
    expect(isTokenmintError(thrown(() => buildSigningString({ method: "GET", url: "https://h/", headers: {} }, ["(key-id)"])), "configuration")).toBe(true);
  });
});

describe("sign -> verify round trips", () => {
  it("RSA rsa-sha256, cavage style with created/expires (Intersight v2 keys)", () => {
    const signer = createHttpSigner({ keyId: "key/v2", privateKey: rsa.privateKey, components: INTERSIGHT_COMPONENTS, style: "cavage", now: () => NOW, validitySec: 300 });
    const request = intersightRequest();
    const header = signer.sign(request);
    const created = Math.floor(NOW / 1000);
    expect(header).toMatch(
      new RegExp(
        `^Signature keyId="key/v2",algorithm="rsa-sha256",created=${created},expires=${created + 300},headers="\\(request-target\\) \\(created\\) \\(expires\\) host date digest content-type user-agent",signature="[A-Za-z0-9+/]+={0,2}"$`,
      ),
    );
    const parsed = parseSignatureHeader(header);
    expect(parsed.created).toBe(created);
    expect(parsed.expires).toBe(created + 300);
    expect(verifyHttpSignature(request, parsed, rsa.publicKey, { now: () => NOW, requiredComponents: ["(request-target)", "host", "digest"] })).toEqual({ ok: true });
    // Deterministic PKCS1-v1_5: the same input signs the same.
    expect(signer.sign(request)).toBe(header);
  });

  it("EC P-256 hs2019 with a DER signature (Intersight v3 keys)", () => {
    const signer = createHttpSigner({ keyId: "key/v3", privateKey: ec.privateKey, components: INTERSIGHT_COMPONENTS, style: "cavage", now: () => NOW });
    expect(signer.algorithm).toBe("hs2019");
    const request = intersightRequest();
    const parsed = parseSignatureHeader(signer.sign(request));
    expect(parsed.algorithm).toBe("hs2019");
    expect(parsed.signature[0]).toBe(0x30); // ASN.1 SEQUENCE: DER, not the 64-byte r||s form
    const signingString = buildSigningString(request, parsed.headers, parsed.params);
    expect(cryptoVerify("sha256", Buffer.from(signingString), { key: ec.publicKey, dsaEncoding: "der" }, parsed.signature)).toBe(true);
    expect(verifyHttpSignature(request, parsed, ec.publicKey, { now: () => NOW })).toEqual({ ok: true });
  });

  it("RSA hs2019 signs RSA-PSS SHA-256 with a digest-length salt", () => {
    const signer = createHttpSigner({ keyId: "k", privateKey: rsa.privateKey, algorithm: "hs2019", components: INTERSIGHT_COMPONENTS, style: "cavage", now: () => NOW });
    const request = intersightRequest();
    const first = parseSignatureHeader(signer.sign(request));
    const second = parseSignatureHeader(signer.sign(request));
    expect(first.signature.equals(second.signature)).toBe(false); // PSS is randomised
    const data = Buffer.from(buildSigningString(request, first.headers, first.params));
    const pss = { key: rsa.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(cryptoVerify("sha256", data, pss, first.signature)).toBe(true);
    expect(verifyHttpSignature(request, first, rsa.publicKey, { now: () => NOW })).toEqual({ ok: true });
  });

  it("accepts hs2019 variants other SDKs send: PKCS1 with RSA, max-salt PSS and SHA-512 (intersight-go)", () => {
    const request = intersightRequest();
    const created = Math.floor(NOW / 1000);
    const headers = "(request-target) (created) host date digest";
    const data = Buffer.from(buildSigningString(request, headers.split(" "), { created }));
    const variants: [KeyObject, Buffer][] = [
      [rsa.publicKey, cryptoSign("sha256", data, rsa.privateKey)],
      [rsa.publicKey, cryptoSign("sha512", data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN })],
      [ec.publicKey, cryptoSign("sha512", data, ec.privateKey)],
    ];
    for (const [publicKey, signature] of variants) {
      const header = `Signature keyId="k",algorithm="hs2019",created=${created},headers="${headers}",signature="${signature.toString("base64")}"`;
      expect(verifyHttpSignature(request, header, publicKey, { now: () => NOW })).toEqual({ ok: true });
    }
  });

  it("verifies Go/Python-style fractional expires exactly as sent", () => {
    const request = intersightRequest();
    const created = Math.floor(NOW / 1000);
    const expires = `${created + 300}.250`;
    const headers = "(request-target) (created) (expires) host date";
    const data = Buffer.from(buildSigningString(request, headers.split(" "), { created, expires }));
    const signature = cryptoSign("sha256", data, rsa.privateKey).toString("base64");
    const header = `Signature keyId="k",algorithm="rsa-sha256",created=${created},expires=${expires},headers="${headers}",signature="${signature}"`;
    expect(parseSignatureHeader(header).expires).toBe(created + 300.25);
    expect(verifyHttpSignature(request, header, rsa.publicKey, { now: () => NOW })).toEqual({ ok: true });
  });

  it("older samples: rsa-sha256 over date, no created (intersight_auth.py)", () => {
    const components = ["(request-target)", "date", "host", "content-type", "digest"];
    const signer = createHttpSigner({ keyId: "k", privateKey: rsa.privateKey, components, style: "cavage" });
    const request = intersightRequest();
    const header = signer.sign(request);
    expect(header).not.toContain("created=");
    expect(verifyHttpSignature(request, header, rsa.publicKey, { now: () => NOW })).toEqual({ ok: true });
  });
});

describe("verifyHttpSignature rejects", () => {
  const signer = createHttpSigner({ keyId: "k", privateKey: rsa.privateKey, components: INTERSIGHT_COMPONENTS, style: "cavage", now: () => NOW, validitySec: 60 });
  const request = intersightRequest();
  const header = signer.sign(request);
  const opts = { now: () => NOW };

  it("tampered method, path, query, header, body digest or signature", () => {
    const tampered: SignableRequest[] = [
      { ...request, method: "PUT" },
      { ...request, url: String(request.url).replace("OAuthTokens", "OAuthToken") },
      { ...request, url: String(request.url).replace("%27x%27", "%27y%27") },
      { ...request, headers: { ...request.headers, "User-Agent": "evil" } },
      { ...request, headers: { ...request.headers, Digest: `SHA-256=${sha256Base64("other body")}` } },
      { ...request, headers: { ...request.headers, Host: "evil.example" } },
    ];
    for (const t of tampered) expectReason(verifyHttpSignature(t, header, rsa.publicKey, opts), /does not verify/);
    const parsed = parseSignatureHeader(header);
    const flipped = Buffer.from(parsed.signature);
    flipped[10] = (flipped[10] as number) ^ 1;
    expectReason(verifyHttpSignature(request, { ...parsed, signature: flipped }, rsa.publicKey, opts), /does not verify/);
    expectReason(verifyHttpSignature(request, header, generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey, opts), /does not verify/);
    // A tampered created= changes the (created) line.
    expectReason(verifyHttpSignature(request, header.replace(/created=(\d+)/, (_, n: string) => `created=${Number(n) - 1}`), rsa.publicKey, opts), /does not verify/);
  });

  it("stale or future dates, old created, passed expires", () => {
    expectReason(verifyHttpSignature(request, header, rsa.publicKey, { now: () => NOW + 301_000 }), /date header is more than 300s/);
    expectReason(verifyHttpSignature(request, header, rsa.publicKey, { now: () => NOW - 301_000 }), /date header/);
    // Only (created) signed: its age counts.
    const createdOnly = createHttpSigner({ keyId: "k", privateKey: rsa.privateKey, components: ["(request-target)", "(created)"], style: "cavage", now: () => NOW });
    const h = createdOnly.sign(request);
    expectReason(verifyHttpSignature(request, h, rsa.publicKey, { now: () => NOW + 20_000, maxSkewSec: 10 }), /created is more than 10s/);
    // expires=created+60 is over at +61 s even though the date is within skew.
    expectReason(verifyHttpSignature(request, header, rsa.publicKey, { now: () => NOW + 61_000 }), /expired/);
    expectReason(verifyHttpSignature({ ...request, headers: { ...request.headers, Date: "yesterday-ish" } }, header, rsa.publicKey, opts), /not an HTTP date/);
  });

  it("missing required components or no signed time", () => {
    const oci = createHttpSigner({ keyId: "k", privateKey: rsa.privateKey, components: ["date", "(request-target)", "host"], style: "oci" });
    const getRequest = { method: "GET", url: "https://h.example/x", headers: { date: DATE } };
    const h = oci.sign(getRequest);
    expectReason(verifyHttpSignature(getRequest, h, rsa.publicKey, { ...opts, requiredComponents: ["date", "(request-target)", "host", "x-content-sha256"] }), /does not cover x-content-sha256/);
    const noTarget = createHttpSigner({ keyId: "k", privateKey: rsa.privateKey, components: ["date", "host"], style: "oci" }).sign(getRequest);
    expectReason(verifyHttpSignature(getRequest, noTarget, rsa.publicKey, opts), /does not cover \(request-target\)/);
    const noTime = createHttpSigner({ keyId: "k", privateKey: rsa.privateKey, components: ["(request-target)", "host"], style: "oci" }).sign(getRequest);
    expectReason(verifyHttpSignature(getRequest, noTime, rsa.publicKey, opts), /no date, x-date or \(created\)/);
    // A signed header missing from the request at verification time.
    expectReason(verifyHttpSignature({ ...getRequest, headers: {} }, h, rsa.publicKey, opts), /signed header date is missing/);
  });

  it("algorithm/key mismatches and unknown algorithms", () => {
    expectReason(verifyHttpSignature(request, header, ec.publicKey, opts), /rsa-sha256 does not match the key/);
    expectReason(verifyHttpSignature(request, header.replace('algorithm="rsa-sha256"', 'algorithm="hmac-sha256"'), rsa.publicKey, opts), /unsupported algorithm/);
  });
});

describe("parseSignatureHeader", () => {
  const sig = Buffer.from("signature bytes").toString("base64");

  it("reads parameters in any order, with or without the scheme, quoted or not", () => {
    const forms = [
      `Signature keyId="a/b",algorithm="rsa-sha256",headers="(request-target) Date",signature="${sig}",created=1700000000,expires=1700000300`,
      `signature="${sig}", headers="(request-target) date", expires=1700000300, created="1700000000", algorithm="RSA-SHA256", keyId="a/b"`,
      `signature  headers="(request-target) date",keyId="a/b",algorithm="rsa-sha256",created=1700000000,expires=1700000300,signature="${sig}"`,
    ];
    for (const form of forms) {
      const parsed = parseSignatureHeader(form);
      expect(parsed).toMatchObject({ keyId: "a/b", algorithm: "rsa-sha256", headers: ["(request-target)", "date"], created: 1700000000, expires: 1700000300 });
      expect(parsed.signature.toString()).toBe("signature bytes");
    }
  });

  it("defaults: headers date, algorithm hs2019", () => {
    const parsed = parseSignatureHeader(`keyId="k",signature="${sig}"`);
    expect(parsed.headers).toEqual(["date"]);
    expect(parsed.algorithm).toBe("hs2019");
    expect(parsed.created).toBeUndefined();
    expect(parsed.version).toBeUndefined();
  });

  it("keeps escaped quotes inside quoted values", () => {
    expect(parseSignatureHeader(`keyId="a\\"b",signature="${sig}"`).keyId).toBe('a"b');
  });

  it("malformed headers throw invalid_request from the parser and give reasons from the verifier", () => {
    const bad = [
      "",
      "Signature",
      "Signature ",
      `Signature keyId="${CANARY}"`,
      `keyId="${CANARY}",signature=""`,
      `keyId="${CANARY}",signature="not base64!"`,
      `keyId="${CANARY}",signature="${sig}`,
      `keyId="${CANARY}",keyId="x",signature="${sig}"`,
      `keyId="${CANARY}",signature="${sig}",created=yesterday`,
      `keyId="${CANARY}",signature="${sig}",headers=""`,
      `keyId="${CANARY}" signature="${sig}"`,
      `keyId=,signature="${sig}"`,
      `keyId="${CANARY}";signature="${sig}"`,
      `Basic ${CANARY}`,
      `keyId="k",signature="${"A".repeat(70_000)}"`,
    ];
    for (const value of bad) {
      const error = thrown(() => parseSignatureHeader(value));
      expect(isTokenmintError(error, "invalid_request"), value.slice(0, 60)).toBe(true);
      expect((error as Error).message).not.toContain(CANARY);
      const result = verifyHttpSignature(intersightRequest(), value, rsa.publicKey);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).not.toContain(CANARY);
    }
  });
});

describe("keys and signer options", () => {
  it("loads PKCS#1, PKCS#8 and encrypted keys; explains bad ones without showing them", () => {
    const pkcs8 = rsa.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const encrypted = rsa.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: CANARY }) as string;
    expect(loadPrivateKey(pkcs8).asymmetricKeyType).toBe("rsa");
    expect(loadPrivateKey(new Secret(encrypted), new Secret(CANARY)).asymmetricKeyType).toBe("rsa");
    const cases: [string, string | undefined, RegExp][] = [
      [encrypted, undefined, /encrypted and no passphrase/],
      [encrypted, "wrong", /wrong passphrase/],
      [`-----BEGIN PRIVATE KEY-----\n${CANARY}\n-----END PRIVATE KEY-----\n`, undefined, /could not be parsed/],
      [CANARY, undefined, /not PEM/],
      [rsa.publicKey.export({ type: "spki", format: "pem" }) as string, undefined, /public key/],
    ];
    for (const [pem, passphrase, message] of cases) {
      const error = thrown(() => loadPrivateKey(pem, passphrase));
      expect(isTokenmintError(error, "configuration")).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain(CANARY);
      if (pem.length > 60) expect((error as Error).message).not.toContain(pem.slice(30, 60));
    }
  });

  it("rejects unusable signer options with configuration errors that do not echo the keyId", () => {
    const base = { keyId: "k", privateKey: rsa.privateKey, components: ["date"], style: "cavage" as const };
    const bad = [
      { ...base, keyId: `ST$${CANARY}"` },
      { ...base, keyId: "" },
      { ...base, components: [] },
      { ...base, components: ["date", "Date"] },
      { ...base, components: ["authorization"] },
      { ...base, components: ["(created)"], style: "oci" as const },
      { ...base, privateKey: ec.privateKey, algorithm: "rsa-sha256" as const },
      { ...base, privateKey: rsa.publicKey },
      { ...base, privateKey: generateKeyPairSync("ed25519").privateKey },
      { ...base, validitySec: 0 },
    ];
    for (const options of bad) {
      const error = thrown(() => createHttpSigner(options));
      expect(isTokenmintError(error, "configuration")).toBe(true);
      expect((error as Error).message).not.toContain(CANARY);
    }
  });

  it("a missing header at sign time names the header, not the keyId", () => {
    const signer = createHttpSigner({ keyId: `ST$${CANARY}`, privateKey: rsa.privateKey, components: ["date", "digest"], style: "oci" });
    const error = thrown(() => signer.sign({ method: "GET", url: "https://h/", headers: { date: DATE } }));
    expect(isTokenmintError(error, "configuration")).toBe(true);
    expect((error as Error).message).toContain("digest");
    expect((error as Error).message).not.toContain(CANARY);
  });
});
