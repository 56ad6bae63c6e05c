import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isTokenmintError } from "@tokenmint/core";
import { describe, expect, it } from "vitest";
import { checkPublicKey } from "../src/index.js";
import { publicKeyFormats } from "./helpers.js";

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });

function refusal(input: unknown): string {
  try {
    checkPublicKey(input);
  } catch (error) {
    if (isTokenmintError(error, "invalid_request")) return error.message;
    throw error;
  }
  throw new Error("accepted");
}

describe("publicKey formats", () => {
  it("accepts the three spellings Oracle's clients send, and sends them as given", () => {
    const formats = publicKeyFormats(rsa.publicKey);
    expect(checkPublicKey(formats.pem)).toMatchObject({ format: "pem", bits: 2048, wire: formats.pem.trim() });
    expect(checkPublicKey(formats.pemSingleLine)).toMatchObject({ format: "pem-single-line", wire: formats.pemSingleLine });
    expect(checkPublicKey(formats.base64Der)).toMatchObject({ format: "base64-der", wire: formats.base64Der });
    expect(checkPublicKey(formats.pem.replace(/\n/g, "\r\n")).format).toBe("pem");
  });

  it("accepts 4096-bit keys (python-oracledb samples)", () => {
    const big = generateKeyPairSync("rsa", { modulusLength: 4096 });
    expect(checkPublicKey(publicKeyFormats(big.publicKey).pem).bits).toBe(4096);
  });

  it("refuses everything else before sending, saying why", () => {
    expect(refusal(undefined)).toMatch(/must be a string/);
    expect(refusal("   ")).toMatch(/empty/);
    expect(refusal(rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString())).toMatch(/private key/);
    expect(refusal(rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString())).toMatch(/private key/);
    expect(refusal(rsa.publicKey.export({ type: "pkcs1", format: "pem" }).toString())).toMatch(/PKCS#1/);
    expect(refusal("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")).toMatch(/certificate/);
    expect(refusal("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----")).toMatch(/not a PEM public key|not base64/);
    expect(refusal("not a key at all")).toMatch(/neither PEM nor base64/);
    expect(refusal("AAAA")).toMatch(/SubjectPublicKeyInfo/);
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(refusal(ec.publicKey.export({ type: "spki", format: "pem" }).toString())).toMatch(/ec key; database tokens need an RSA key/);
    const testKey = readFileSync(join(import.meta.dirname, "fixtures", "oci_test_key.pem"), "utf8");
    const small = createPublicKey(testKey).export({ type: "spki", format: "pem" }).toString();
    expect(refusal(small)).toMatch(/1024-bit RSA key/);
  });
});
