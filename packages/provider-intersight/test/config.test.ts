import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IntersightEmulator } from "../src/emulator/index.js";
import { Secret } from "@tokenmint/core";
import { createIntersightClient, createIntersightSigner, normaliseEndpoint, parseApiKey, resolveConfig } from "../src/index.js";
import { emulator } from "./helpers.js";

let emu: IntersightEmulator;
let dir: string;

beforeAll(async () => {
  emu = await emulator();
  emu.login();
  dir = mkdtempSync(join(tmpdir(), "tokenmint-intersight-"));
});
afterAll(async () => {
  await emu.close();
});

describe("configuration", () => {
  it("reads Ansible's environment variables (key as PEM text or as a path)", async () => {
    const pemText = resolveConfig({}, { env: { INTERSIGHT_API_KEY_ID: emu.credentials.ec.keyId, INTERSIGHT_API_PRIVATE_KEY: emu.credentials.ec.privateKeyPem, INTERSIGHT_API_URI: `${emu.url}/api/v1` } });
    expect(pemText).toMatchObject({ keyId: emu.credentials.ec.keyId, endpoint: emu.url, pageSize: 100, maxPageSize: 1000 });
    const file = join(dir, "SecretKey.txt");
    writeFileSync(file, emu.credentials.rsa.privateKeyPem);
    const client = createIntersightClient({}, { env: { INTERSIGHT_API_KEY_ID: emu.credentials.rsa.keyId, INTERSIGHT_API_PRIVATE_KEY: file, INTERSIGHT_API_URI: `${emu.url}/api/v1/` } });
    expect(client.algorithm).toBe("rsa-sha256");
    expect((await client.listAll()).length).toBe(1);
  });

  it("reads Terraform's environment variables and our _FILE variable, with ~ expansion", async () => {
    writeFileSync(join(dir, "key.pem"), emu.credentials.ec.privateKeyPem);
    const terraform = resolveConfig({}, { env: { INTERSIGHT_API_KEY: "a/b/c", INTERSIGHT_SECRET_KEY: "~/key.pem", INTERSIGHT_ENDPOINT_URL: "appliance.example.com" }, homeDir: dir });
    expect(terraform).toMatchObject({ keyId: "a/b/c", endpoint: "https://appliance.example.com" });
    expect(terraform.privateKeyPem.reveal()).toBe(emu.credentials.ec.privateKeyPem);
    const fileVar = resolveConfig({}, { env: { INTERSIGHT_API_KEY_ID: "a/b/c", INTERSIGHT_API_PRIVATE_KEY_FILE: "~/key.pem", INTERSIGHT_API_PRIVATE_KEY: "ignored-when-the-file-variable-is-set" }, homeDir: dir });
    expect(fileVar.privateKeyPem.reveal()).toBe(emu.credentials.ec.privateKeyPem);
    expect(fileVar.endpoint).toBe("https://intersight.com");
  });

  it("options win over the environment; a key file option works", () => {
    writeFileSync(join(dir, "opt.pem"), emu.credentials.rsa.privateKeyPem);
    const config = resolveConfig({ keyId: "x/y/z", privateKeyFile: join(dir, "opt.pem"), endpoint: "https://eu-central-1.intersight.com/" }, { env: { INTERSIGHT_API_KEY_ID: "env/key/id", INTERSIGHT_API_PRIVATE_KEY: "nope" } });
    expect(config).toMatchObject({ keyId: "x/y/z", endpoint: "https://eu-central-1.intersight.com" });
  });

  it("fails clearly on missing or malformed settings", () => {
    const pem = emu.credentials.rsa.privateKeyPem;
    const cases: [Parameters<typeof resolveConfig>[0], Record<string, string>, RegExp][] = [
      [{}, {}, /no Intersight API key id/],
      [{ keyId: "a/b/c" }, {}, /no Intersight private key/],
      [{ keyId: 'a"b', privateKey: pem }, {}, /cannot appear in a signature header/],
      [{ keyId: "a/b/c", privateKey: "not a pem" }, {}, /not PEM/],
      [{ keyId: "a/b/c", privateKeyFile: join(dir, "missing.pem") }, {}, /cannot read the Intersight private key file .*ENOENT/],
      [{ keyId: "a/b/c", privateKey: pem, endpoint: "ftp://x" }, {}, /http\(s\) URL/],
      [{ keyId: "a/b/c", privateKey: pem, endpoint: "https://user:pw@x" }, {}, /credentials/],
      [{ keyId: "a/b/c", privateKey: pem, pageSize: 0 }, {}, /pageSize/],
      [{ keyId: "a/b/c", privateKey: pem, pageSize: 2000 }, {}, /larger than maxPageSize/],
      [{ keyId: "a/b/c", privateKey: pem, signedHeaders: ["(request-target)", "host", "date"] }, {}, /digest/],
      [{ keyId: "a/b/c", privateKey: pem, signedHeaders: ["(request-target)", "host", "digest"] }, {}, /date or \(created\)/],
      [{ keyId: "a/b/c", privateKey: pem, pageSzie: 10 } as never, {}, /no property "pageSzie"/],
    ];
    for (const [options, env, message] of cases) {
      expect(() => resolveConfig(options, { env }), String(message)).toThrowError(expect.objectContaining({ code: "configuration", message: expect.stringMatching(message) }));
    }
  });

  it("normalises endpoints", () => {
    expect(normaliseEndpoint("intersight.com", "t")).toBe("https://intersight.com");
    expect(normaliseEndpoint("https://intersight.com/api/v1", "t")).toBe("https://intersight.com");
    expect(normaliseEndpoint("http://127.0.0.1:8080/", "t")).toBe("http://127.0.0.1:8080");
  });
});

describe("API keys", () => {
  it("accepts RSA (PKCS#1, PKCS#8) and EC P-256 (SEC1, PKCS#8, PKCS#8 mislabelled EC PRIVATE KEY)", () => {
    const { privateKey: rsa } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const { privateKey: ec } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    expect(parseApiKey(new Secret(rsa.export({ type: "pkcs1", format: "pem" }).toString())).algorithm).toBe("rsa-sha256");
    expect(parseApiKey(new Secret(rsa.export({ type: "pkcs8", format: "pem" }).toString())).type).toBe("rsa");
    expect(parseApiKey(new Secret(ec.export({ type: "sec1", format: "pem" }).toString())).algorithm).toBe("hs2019");
    const pkcs8 = ec.export({ type: "pkcs8", format: "pem" }).toString();
    expect(parseApiKey(new Secret(pkcs8)).type).toBe("ec");
    // Some v3 key files carry PKCS#8 content under an "EC PRIVATE KEY" label (Ansible's _fix_v3_key_format).
    const mislabelled = pkcs8.replace("BEGIN PRIVATE KEY", "BEGIN EC PRIVATE KEY").replace("END PRIVATE KEY", "END EC PRIVATE KEY");
    expect(parseApiKey(new Secret(mislabelled)).type).toBe("ec");
  });

  it("refuses other key types and curves", () => {
    const { privateKey: ed } = generateKeyPairSync("ed25519");
    const { privateKey: p384 } = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
    expect(() => parseApiKey(new Secret(ed.export({ type: "pkcs8", format: "pem" }).toString()))).toThrowError(/ed25519/);
    expect(() => parseApiKey(new Secret(p384.export({ type: "pkcs8", format: "pem" }).toString()))).toThrowError(/secp384r1/);
    expect(() => parseApiKey(new Secret("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))).toThrowError(expect.objectContaining({ code: "configuration" }));
  });

  it("signs like the official SDKs: header set, created/expires, Digest of the empty body, DER ECDSA", () => {
    for (const kind of ["ec", "rsa"] as const) {
      const key = parseApiKey(new Secret(emu.credentials[kind].privateKeyPem));
      const config = resolveConfig({ keyId: emu.credentials[kind].keyId, privateKey: emu.credentials[kind].privateKeyPem }, { env: {} });
      const { sign } = createIntersightSigner({ keyId: config.keyId, key: key.key, algorithm: key.algorithm, signedHeaders: config.signedHeaders, validitySeconds: config.signatureValiditySeconds, now: () => 1_700_000_000_000 });
      const request = { method: "GET", url: new URL("https://intersight.com/api/v1/iam/OAuthTokens?%24top=1"), headers: { "user-agent": "tokenmint" } as Record<string, string>, body: undefined };
      sign(request, { attempt: 1 });
      expect(request.headers["digest"]).toBe("SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["date"]).toBe("Tue, 14 Nov 2023 22:13:20 GMT");
      const match = /^Signature keyId="([^"]+)",algorithm="([^"]+)",created=1700000000,expires=1700000300,headers="\(request-target\) \(created\) \(expires\) host date digest content-type user-agent",signature="([A-Za-z0-9+/=]+)"$/.exec(request.headers["authorization"]!);
      expect(match?.[1]).toBe(emu.credentials[kind].keyId);
      expect(match?.[2]).toBe(kind === "ec" ? "hs2019" : "rsa-sha256");
      const signature = Buffer.from(match![3]!, "base64");
      // EC: an ASN.1 DER SEQUENCE of r and s, as the Python cryptography library and Go's SignASN1 emit; RSA-2048: 256 bytes.
      if (kind === "ec") expect(signature[0]).toBe(0x30);
      else expect(signature.length).toBe(256);
    }
  });

  it("debug logs never show the Authorization header", async () => {
    const seen: Record<string, string>[] = [];
    const client = createIntersightClient({ endpoint: emu.url, keyId: emu.credentials.ec.keyId, privateKey: emu.credentials.ec.privateKeyPem }, { env: {}, logger: (e) => void (e.fields?.["headers"] && seen.push(e.fields["headers"] as Record<string, string>)) });
    await client.count();
    expect(seen[0]?.["authorization"]).toBe("[REDACTED]");
    expect(seen[0]?.["digest"]).toMatch(/^SHA-256=/);
    expect(readFileSync(new URL("../package.json", import.meta.url), "utf8")).toContain('"provider": true');
  });
});
