import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { isTokenmintError, keyFingerprint, type TokenmintError } from "@tokenmint/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_OPERATION_TIMEOUT_MS, normaliseEndpoint, parseConfigFile, resolveConfig, resolveRegion, selectProfile } from "../src/index.js";
import { rejection, tempHome, writeOciFile } from "./helpers.js";

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaatenancy";
const USER = "ocid1.user.oc1..aaaaaaaauser";
const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const keyPem = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const FP = keyFingerprint(keys.privateKey);

async function configError(promise: Promise<unknown>, code: TokenmintError["code"] = "configuration"): Promise<TokenmintError> {
  const error = await rejection(promise);
  if (!isTokenmintError(error)) throw error;
  expect(error.code).toBe(code);
  return error;
}

describe("config file parsing (oci-common config-file-reader semantics)", () => {
  it("reads profiles, skips comments and blank lines, trims, splits at the first =", () => {
    const file = parseConfigFile("\uFEFF# comment\n; also a comment\n[DEFAULT]\r\n  tenancy = ocid1.tenancy.oc1..a  \nregion=us-ashburn-1\n\n[PROD]\nregion=uk-london-1\nkey_file=~/.oci/a=b.pem\n");
    expect([...file.profiles.keys()]).toEqual(["DEFAULT", "PROD"]);
    const prod = selectProfile(file, "PROD");
    expect(prod.get("region")).toBe("uk-london-1");
    // Missing keys fall back to [DEFAULT].
    expect(prod.get("tenancy")).toBe("ocid1.tenancy.oc1..a");
    expect(prod.get("key_file")).toBe("~/.oci/a=b.pem");
    expect(prod.keys()).toEqual(["key_file", "region", "tenancy"]);
  });

  it("names the line of a syntax error without echoing it (lines hold pass phrases)", () => {
    const canary = "CANARY-passphrase-7f3a";
    for (const [text, why] of [
      [`[DEFAULT]\npass_phrase ${canary}\n`, /:2: line is neither/],
      [`pass_phrase=${canary}\n[DEFAULT]\n`, /:1: key "pass_phrase" appears before any \[PROFILE\]/],
      ["[ ]\n", /:1: empty profile name/],
      [`[DEFAULT]\n=${canary}\n`, /:2: key=value line with no key/],
    ] as const) {
      let message = "";
      try {
        parseConfigFile(text, "/home/u/.oci/config");
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(why);
      expect(message).toContain("/home/u/.oci/config");
      expect(message).not.toContain(canary);
    }
  });

  it("a missing profile lists the ones that exist", () => {
    expect(() => selectProfile(parseConfigFile("[DEFAULT]\na=b\n[DEV]\nc=d\n"), "PROD")).toThrow(/no profile \[PROD\] \(profiles: DEFAULT, DEV\)/);
  });
});

describe("resolveConfig", () => {
  let home: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ home, cleanup } = await tempHome());
  });
  afterEach(() => cleanup());

  async function writeKey(name = "oci_api_key.pem", pem = keyPem): Promise<string> {
    return writeOciFile(home, name, pem);
  }

  it("reads ~/.oci/config [DEFAULT] with ~ in key_file, and maps the region to its host", async () => {
    await writeKey();
    await writeOciFile(home, "config", `[DEFAULT]\nuser=${USER}\nfingerprint=${FP}\ntenancy=${TENANCY}\nregion=us-ashburn-1\nkey_file=~/.oci/oci_api_key.pem\n`);
    const config = await resolveConfig({}, { env: {}, homeDir: home });
    expect(config.auth).toEqual({ kind: "api_key", tenancy: TENANCY, user: USER, fingerprint: FP });
    expect(config.endpoint).toBe("https://auth.us-ashburn-1.oraclecloud.com");
    expect(config.source).toBe(`${join(home, ".oci", "config")} [DEFAULT]`);
    expect(config.operationTimeoutMs).toBe(DEFAULT_OPERATION_TIMEOUT_MS);
    expect(DEFAULT_OPERATION_TIMEOUT_MS).toBe(20 * 60 * 1000);
  });

  it("selects a profile (option, then OCI_CLI_PROFILE), falling back to DEFAULT for missing keys", async () => {
    await writeKey();
    await writeOciFile(home, "config", `[DEFAULT]\nuser=${USER}\nfingerprint=${FP}\ntenancy=${TENANCY}\nregion=us-ashburn-1\nkey_file=~/.oci/oci_api_key.pem\n[GOV]\nregion=us-gov-phoenix-1\n[UK]\nregion=uk-gov-london-1\n`);
    expect((await resolveConfig({ profile: "GOV" }, { env: {}, homeDir: home })).endpoint).toBe("https://auth.us-gov-phoenix-1.oraclegovcloud.com");
    expect((await resolveConfig({}, { env: { OCI_CLI_PROFILE: "UK" }, homeDir: home })).endpoint).toBe("https://auth.uk-gov-london-1.oraclegovcloud.uk");
    const error = await configError(resolveConfig({ profile: "NOPE" }, { env: {}, homeDir: home }));
    expect(error.message).toMatch(/no profile \[NOPE\]/);
  });

  it("honours OCI_CONFIG_FILE and falls back to ~/.oraclebmc/config", async () => {
    const keyFile = await writeKey();
    const body = `[DEFAULT]\nuser=${USER}\nfingerprint=${FP}\ntenancy=${TENANCY}\nkey_file=${keyFile}\n`;
    const custom = await writeOciFile(home, "custom-config", `${body}region=eu-frankfurt-1\n`, "elsewhere");
    expect((await resolveConfig({}, { env: { OCI_CONFIG_FILE: custom }, homeDir: home })).endpoint).toBe("https://auth.eu-frankfurt-1.oraclecloud.com");
    await writeOciFile(home, "config", `${body}region=ap-tokyo-1\n`, ".oraclebmc");
    expect((await resolveConfig({}, { env: {}, homeDir: home })).endpoint).toBe("https://auth.ap-tokyo-1.oraclecloud.com");
    await configError(resolveConfig({}, { env: { OCI_CONFIG_FILE: join(home, "missing") }, homeDir: home }));
  });

  it("uses OCI_REGION when the profile has no region; the region option wins over both", async () => {
    await writeKey();
    await writeOciFile(home, "config", `[DEFAULT]\nuser=${USER}\nfingerprint=${FP}\ntenancy=${TENANCY}\nkey_file=~/.oci/oci_api_key.pem\n`);
    expect((await resolveConfig({}, { env: { OCI_REGION: "sa-saopaulo-1" }, homeDir: home })).endpoint).toBe("https://auth.sa-saopaulo-1.oraclecloud.com");
    expect((await resolveConfig({ region: "IAD" }, { env: { OCI_REGION: "sa-saopaulo-1" }, homeDir: home })).endpoint).toBe("https://auth.us-ashburn-1.oraclecloud.com");
    const error = await configError(resolveConfig({}, { env: {}, homeDir: home }));
    expect(error.message).toMatch(/no region/);
  });

  it("decrypts an encrypted key with pass_phrase, and says what is wrong otherwise", async () => {
    const encrypted = keys.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "s3cret-CANARY-pass" }).toString();
    await writeKey("enc.pem", encrypted);
    const base = `[DEFAULT]\nuser=${USER}\nfingerprint=${FP}\ntenancy=${TENANCY}\nregion=us-ashburn-1\nkey_file=~/.oci/enc.pem\n`;
    await writeOciFile(home, "config", `${base}pass_phrase=s3cret-CANARY-pass\n`);
    expect((await resolveConfig({}, { env: {}, homeDir: home })).keyFingerprint).toBe(FP);
    await writeOciFile(home, "config", `${base}pass_phrase=wrong-CANARY-pass\n`);
    const wrong = await configError(resolveConfig({}, { env: {}, homeDir: home }));
    expect(wrong.message).toMatch(/wrong passphrase/);
    expect(JSON.stringify(wrong)).not.toMatch(/CANARY/);
    await writeOciFile(home, "config", base);
    const none = await configError(resolveConfig({}, { env: {}, homeDir: home }));
    expect(none.message).toMatch(/encrypted and no passphrase/);
    expect(none.hint).toMatch(/pass_phrase/);
  });

  it("reads security_token_file for session auth (keyId ST$<token>, no user needed)", async () => {
    await writeKey();
    await writeOciFile(home, "token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\n");
    await writeOciFile(home, "config", `[DEFAULT]\nfingerprint=${FP}\ntenancy=${TENANCY}\nregion=us-phoenix-1\nkey_file=~/.oci/oci_api_key.pem\nsecurity_token_file=~/.oci/token\n`);
    const config = await resolveConfig({}, { env: {}, homeDir: home });
    expect(config.auth.kind).toBe("session");
    if (config.auth.kind === "session") expect(config.auth.token.reveal()).toBe("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
    expect(JSON.stringify(config.auth)).not.toContain("eyJ");
  });

  it("refuses a key whose fingerprint is not the configured one, before any call", async () => {
    await writeKey();
    await writeOciFile(home, "config", `[DEFAULT]\nuser=${USER}\nfingerprint=00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff\ntenancy=${TENANCY}\nregion=us-ashburn-1\nkey_file=~/.oci/oci_api_key.pem\n`);
    const error = await configError(resolveConfig({}, { env: {}, homeDir: home }));
    expect(error.message).toContain(FP);
    expect(error.message).toContain("00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff");
    // ...unless told not to check (the service will then answer 401).
    await expect(resolveConfig({ checkFingerprint: false }, { env: {}, homeDir: home })).resolves.toBeDefined();
  });

  it("names what is missing and where it looked", async () => {
    await writeKey();
    await writeOciFile(home, "config", `[DEFAULT]\nuser=${USER}\nfingerprint=${FP}\nregion=us-ashburn-1\nkey_file=~/.oci/oci_api_key.pem\n`);
    const error = await configError(resolveConfig({}, { env: {}, homeDir: home }));
    expect(error.message).toMatch(/no tenancy OCID: give the tenancy option or set tenancy in .*config \[DEFAULT\]/);
    const nothing = await configError(resolveConfig({}, { env: {}, homeDir: join(home, "empty") }));
    expect(nothing.message).toMatch(/oci setup config/);
    await writeOciFile(home, "config", `[DEFAULT]\nuser=${USER}\nfingerprint=${FP}\ntenancy=${TENANCY}\nregion=us-ashburn-1\nkey_file=~/.oci/missing.pem\n`);
    expect((await configError(resolveConfig({}, { env: {}, homeDir: home }))).message).toMatch(/cannot read the key_file .*missing\.pem \(ENOENT\)/);
    await writeOciFile(home, "config", `[DEFAULT]\nuser=not-an-ocid\nfingerprint=${FP}\ntenancy=${TENANCY}\nregion=us-ashburn-1\nkey_file=~/.oci/oci_api_key.pem\n`);
    expect((await configError(resolveConfig({}, { env: {}, homeDir: home }))).message).toMatch(/user must be an OCID/);
    await writeOciFile(home, "config", `[DEFAULT]\nauthentication_type=instance_principal\nregion=us-ashburn-1\n`);
    expect((await configError(resolveConfig({}, { env: {}, homeDir: home }), "unsupported")).message).toMatch(/instance_principal/);
  });

  it("explicit options need no config file; a malformed one is not even read", async () => {
    await writeOciFile(home, "config", "this is not a config file\n");
    const config = await resolveConfig({ tenancy: TENANCY, user: USER, fingerprint: FP, privateKey: keyPem, region: "eu-madrid-2" }, { env: {}, homeDir: home });
    expect(config.endpoint).toBe("https://auth.eu-madrid-2.oraclecloud.eu");
    expect(config.source).toBe("options");
    // Options override file values field by field when the file is read.
    await writeKey();
    await writeOciFile(home, "config", `[DEFAULT]\nuser=${USER}\nfingerprint=${FP}\ntenancy=${TENANCY}\nregion=us-ashburn-1\nkey_file=~/.oci/oci_api_key.pem\n`);
    expect((await resolveConfig({ profile: "DEFAULT", region: "ap-osaka-1" }, { env: {}, homeDir: home })).endpoint).toBe("https://auth.ap-osaka-1.oraclecloud.com");
  });

  it("accepts key_content inline (Python SDK)", async () => {
    await writeOciFile(home, "config", `[DEFAULT]\nuser=${USER}\nfingerprint=${FP}\ntenancy=${TENANCY}\nregion=us-ashburn-1\nkey_content=${keyPem.replace(/\n/g, "\\n")}\n`);
    expect((await resolveConfig({}, { env: {}, homeDir: home })).keyFingerprint).toBe(FP);
  });

  it("normalises endpoints", () => {
    expect(normaliseEndpoint("http://127.0.0.1:1234/")).toBe("http://127.0.0.1:1234");
    expect(normaliseEndpoint("https://auth.us-ashburn-1.oraclecloud.com/v1")).toBe("https://auth.us-ashburn-1.oraclecloud.com");
    expect(() => normaliseEndpoint("ftp://x")).toThrow(/http/);
    expect(() => normaliseEndpoint("nope")).toThrow(/absolute/);
  });
});

describe("regions and realms (oci-common realm.js / region.js / endpoint-builder.js)", () => {
  it("maps regions to their realm's domain", () => {
    expect(resolveRegion("us-phoenix-1").authHost).toBe("https://auth.us-phoenix-1.oraclecloud.com");
    expect(resolveRegion("us-langley-1")).toMatchObject({ realm: "oc2", authHost: "https://auth.us-langley-1.oraclegovcloud.com" });
    expect(resolveRegion("us-gov-ashburn-1").realm).toBe("oc3");
    expect(resolveRegion("uk-gov-cardiff-1").authHost).toBe("https://auth.uk-gov-cardiff-1.oraclegovcloud.uk");
    expect(resolveRegion("ap-chiyoda-1").authHost).toBe("https://auth.ap-chiyoda-1.oraclecloud8.com");
    expect(resolveRegion("eu-frankfurt-2").authHost).toBe("https://auth.eu-frankfurt-2.oraclecloud.eu");
    expect(resolveRegion("sa-riodejaneiro-1").authHost).toBe("https://auth.sa-riodejaneiro-1.oraclecloud52.com");
  });

  it("accepts region keys in any case", () => {
    expect(resolveRegion("PHX").regionId).toBe("us-phoenix-1");
    expect(resolveRegion(" lhr ").regionId).toBe("uk-london-1");
  });

  it("falls back to OCI_DEFAULT_REALM, then oc1, for well-formed unknown regions", () => {
    expect(resolveRegion("xx-newcity-1")).toMatchObject({ known: false, realm: "oc1", authHost: "https://auth.xx-newcity-1.oraclecloud.com" });
    expect(resolveRegion("xx-newcity-1", { OCI_DEFAULT_REALM: "oraclecloud99.com" }).authHost).toBe("https://auth.xx-newcity-1.oraclecloud99.com");
  });

  it("uses a dotted region as the domain suffix", () => {
    expect(resolveRegion("us-ashburn-1.oraclecloud.com").authHost).toBe("https://auth.us-ashburn-1.oraclecloud.com");
  });

  it("refuses what is not a region", () => {
    expect(() => resolveRegion("")).toThrow(/empty/);
    expect(() => resolveRegion("ashburn")).toThrow(/not an OCI region/);
    expect(() => resolveRegion("https://x")).toThrow(/not an OCI region/);
  });
});
