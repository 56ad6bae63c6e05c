import { createPublicKey, generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { inspect } from "node:util";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { selfSignedCertificate } from "../src/emulator/index.js";
import {
  basicCredentials,
  CLIENT_ASSERTION_TYPE,
  certificateThumbprint,
  clientAuthParts,
  createAssertionSigner,
  createSecretAssertionSigner,
  encodeForm,
  HMAC_ASSERTION_ALGORITHMS,
  isTokenmintError,
  JwksCache,
  Secret,
} from "../src/index.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const cert = selfSignedCertificate(privateKey, publicKey, "test app");

describe("createAssertionSigner", () => {
  it("signs RS256 assertions with kid, x5t and x5t#S256 headers and the RFC 7523 claims", async () => {
    const signer = await createAssertionSigner({ privateKey: new Secret(pem), keyId: "my-alias", certificate: cert.pem, provider: "idcs" });
    const jwt = await signer.sign({ iss: "client", sub: "alice", aud: ["https://identity.oraclecloud.com/", "https://d.example.com/"], lifetimeSec: 120 }, 1_700_000_000_000);
    expect(jwt).toBeInstanceOf(Secret);
    const header = decodeProtectedHeader(jwt.reveal());
    expect(header).toEqual({ alg: "RS256", typ: "JWT", kid: "my-alias", x5t: cert.x5t, "x5t#S256": cert.x5tS256 });
    const { payload } = await jwtVerify(jwt.reveal(), publicKey, { currentDate: new Date(1_700_000_010_000) });
    expect(payload).toMatchObject({ iss: "client", sub: "alice", aud: ["https://identity.oraclecloud.com/", "https://d.example.com/"], iat: 1_700_000_000, exp: 1_700_000_120 });
    expect(typeof payload.jti).toBe("string");
  });

  it("computes x5t as the base64url SHA-1 of the certificate DER", () => {
    const x509 = new X509Certificate(cert.pem);
    expect(Buffer.from(certificateThumbprint(cert.pem, "idcs"), "base64url").toString("hex").toUpperCase()).toBe(x509.fingerprint.replace(/:/g, ""));
  });

  it("gives each assertion its own jti", async () => {
    const signer = await createAssertionSigner({ privateKey: pem, keyId: "k", provider: "idcs" });
    const a = await signer.sign({ iss: "c", sub: "c", aud: "x" });
    const b = await signer.sign({ iss: "c", sub: "c", aud: "x" });
    const jti = (s: Secret) => JSON.parse(Buffer.from(s.reveal().split(".")[1]!, "base64url").toString()).jti;
    expect(jti(a)).not.toBe(jti(b));
  });

  it("accepts PKCS#1 keys and refuses bad, public, small and mismatched keys without quoting them", async () => {
    const pkcs1 = privateKey.export({ format: "pem", type: "pkcs1" }).toString();
    await expect(createAssertionSigner({ privateKey: pkcs1, keyId: "k", provider: "idcs" })).resolves.toBeDefined();
    for (const bad of ["not a key", createPublicKey(privateKey).export({ format: "pem", type: "spki" }).toString()]) {
      const error = await createAssertionSigner({ privateKey: bad, keyId: "k", provider: "idcs" }).catch((e: unknown) => e);
      expect(isTokenmintError(error, "configuration")).toBe(true);
      expect((error as Error).message).not.toContain(bad.slice(0, 20));
    }
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(isTokenmintError(await createAssertionSigner({ privateKey: small, keyId: "k", provider: "idcs" }).catch((e: unknown) => e), "configuration")).toBe(true);
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(isTokenmintError(await createAssertionSigner({ privateKey: ec, keyId: "k", provider: "idcs" }).catch((e: unknown) => e), "configuration")).toBe(true);
    await expect(createAssertionSigner({ privateKey: ec, algorithm: "ES256", keyId: "k", provider: "idcs" })).resolves.toBeDefined();
  });
});

describe("client authentication", () => {
  it("client_secret_basic form-encodes id and secret inside Basic (RFC 6749 section 2.3.1)", async () => {
    expect(basicCredentials("abc", new Secret("s3cr3t")).reveal()).toBe(`Basic ${Buffer.from("abc:s3cr3t").toString("base64")}`);
    expect(basicCredentials("a b", new Secret("x:y&z")).reveal()).toBe(`Basic ${Buffer.from("a+b:x%3Ay%26z").toString("base64")}`);
    const parts = await clientAuthParts({ method: "client_secret_basic", clientId: "abc", clientSecret: new Secret("s") }, "idcs");
    expect(parts.form).toEqual([]);
    expect(Object.keys(parts.headers)).toEqual(["authorization"]);
  });

  it("client_secret_post puts id and secret in the body", async () => {
    const parts = await clientAuthParts({ method: "client_secret_post", clientId: "abc", clientSecret: new Secret("s") }, "idcs");
    expect(encodeForm(parts.form)).toBe("client_id=abc&client_secret=s");
  });

  it("private_key_jwt sends a fresh client assertion with sub = iss = client id", async () => {
    const signer = await createAssertionSigner({ privateKey: pem, keyId: "alias", provider: "idcs" });
    const parts = await clientAuthParts({ method: "private_key_jwt", clientId: "abc", signer, audience: "https://identity.oraclecloud.com/" }, "idcs");
    const form = new URLSearchParams(encodeForm(parts.form));
    expect(form.get("client_id")).toBe("abc");
    expect(form.get("client_assertion_type")).toBe(CLIENT_ASSERTION_TYPE);
    const { payload } = await jwtVerify(form.get("client_assertion")!, publicKey, { audience: "https://identity.oraclecloud.com/" });
    expect(payload).toMatchObject({ iss: "abc", sub: "abc" });
  });
});

describe("client_secret_jwt", () => {
  // 64 bytes: long enough for HS512. The canary marks it so a leak is easy to spot.
  const canary = `canary-${randomBytes(30).toString("hex")}-x`;
  const key = new TextEncoder().encode(canary);

  it.each(HMAC_ASSERTION_ALGORITHMS)("%s: a fresh assertion keyed with the secret's UTF-8 octets, iss = sub = client id", async (algorithm) => {
    const signer = await createSecretAssertionSigner({ clientSecret: new Secret(canary), algorithm, provider: "oauth2" });
    expect(signer.algorithm).toBe(algorithm);
    const auth = { method: "client_secret_jwt", clientId: "abc", signer, audience: "https://as.example.com/token", lifetimeSec: 60 } as const;
    const parts = await clientAuthParts(auth, "oauth2", 1_700_000_000_000);
    expect(parts.headers).toEqual({});
    const form = new URLSearchParams(encodeForm(parts.form));
    expect([...form.keys()]).toEqual(["client_id", "client_assertion_type", "client_assertion"]);
    expect(form.get("client_id")).toBe("abc");
    expect(form.get("client_assertion_type")).toBe(CLIENT_ASSERTION_TYPE);
    const assertion = form.get("client_assertion")!;
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: algorithm, typ: "JWT" });
    const { payload } = await jwtVerify(assertion, key, { algorithms: [algorithm], audience: "https://as.example.com/token", currentDate: new Date(1_700_000_010_000) });
    expect(payload).toMatchObject({ iss: "abc", sub: "abc", iat: 1_700_000_000, exp: 1_700_000_060 });
    expect(typeof payload.jti).toBe("string");
    const again = new URLSearchParams(encodeForm((await clientAuthParts(auth, "oauth2", 1_700_000_000_000)).form)).get("client_assertion")!;
    expect((await jwtVerify(again, key, { currentDate: new Date(1_700_000_010_000) })).payload.jti).not.toBe(payload.jti);
    await expect(jwtVerify(assertion, new TextEncoder().encode(`${canary}!`), { currentDate: new Date(1_700_000_010_000) })).rejects.toThrow();
    expect(inspect(signer, { depth: 8, showHidden: true }) + JSON.stringify(signer) + inspect(parts, { depth: 8 }) + JSON.stringify(parts)).not.toContain(canary);
  });

  it("refuses a secret shorter than the hash (RFC 7518 section 3.2) with a configuration error that does not show it", async () => {
    const cases: Array<[string, "HS256" | "HS384" | "HS512" | undefined]> = [
      ["s".repeat(31), undefined],
      ["s".repeat(31), "HS256"],
      ["s".repeat(47), "HS384"],
      ["s".repeat(63), "HS512"],
      [canary.slice(0, 40), "HS384"],
      ["é".repeat(15) + "x", "HS256"], // 31 UTF-8 bytes
    ];
    for (const [secret, algorithm] of cases) {
      const error = await createSecretAssertionSigner({ clientSecret: new Secret(secret), algorithm, provider: "oauth2" }).catch((e: unknown) => e);
      expect(isTokenmintError(error, "configuration")).toBe(true);
      expect(error).toMatchObject({ provider: "oauth2", message: expect.stringContaining("RFC 7518 section 3.2") });
      expect(`${(error as Error).message} ${JSON.stringify(error)} ${inspect(error, { depth: 8 })}`).not.toContain(secret);
    }
    const short = await createSecretAssertionSigner({ clientSecret: canary.slice(0, 40), algorithm: "HS512", provider: "oauth2" }).catch((e: unknown) => e);
    expect(short).toMatchObject({ message: "the client secret has 320 bits; RFC 7518 section 3.2 requires at least 512 (the hash size) for HS512", hint: expect.stringContaining("HS256") });
    await expect(createSecretAssertionSigner({ clientSecret: "é".repeat(16), provider: "oauth2" })).resolves.toMatchObject({ algorithm: "HS256" }); // 32 UTF-8 bytes
    await expect(createSecretAssertionSigner({ clientSecret: "s".repeat(32), algorithm: "RS256" as "HS256", provider: "oauth2" })).rejects.toMatchObject({ code: "configuration", message: expect.stringContaining("unsupported") });
  });
});

describe("JwksCache", () => {
  it("fetches once for concurrent callers, keeps the set for its TTL, and refetches on demand", async () => {
    let clock = 1_000;
    let fetches = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const cache = new JwksCache(
      async () => {
        fetches++;
        await gate;
        return { keys: [{ kty: "RSA", kid: `k${fetches}` }] };
      },
      60_000,
      () => clock,
    );
    expect(cache.age()).toBe(Number.POSITIVE_INFINITY);
    const concurrent = Promise.all([cache.get({}), cache.get({}), cache.get({})]);
    release();
    const sets = await concurrent;
    expect(fetches).toBe(1);
    expect(sets.every((s) => s.keys[0]?.kid === "k1")).toBe(true);
    clock += 59_999;
    expect((await cache.get({})).keys[0]?.kid).toBe("k1");
    expect((await cache.get({}, true)).keys[0]?.kid).toBe("k2");
    clock += 60_000;
    expect((await cache.get({})).keys[0]?.kid).toBe("k3");
    expect(fetches).toBe(3);
  });

  it("does not keep a failed fetch", async () => {
    let fail = true;
    const cache = new JwksCache(async () => {
      if (fail) throw new Error("down");
      return { keys: [] };
    }, 60_000);
    await expect(cache.get({})).rejects.toThrow("down");
    fail = false;
    await expect(cache.get({})).resolves.toEqual({ keys: [] });
  });
});
