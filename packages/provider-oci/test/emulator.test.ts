// The emulator as a server: what it accepts and refuses on the wire, checked with raw fetch and with the
// official SDK (oci-identitydataplane@2.139.1 + oci-common@2.139.1) pointed at it.
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { decodeJwtUnverified, verifyJwt } from "@tokenmint/core";
import * as common from "oci-common";
import * as identitydataplane from "oci-identitydataplane";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type OciEmulator, startEmulator } from "../src/emulator/index.js";
import { createOciSigner, dbScope, OCI_TYPESCRIPT_SDK_COMPONENTS, type OciSignedComponents } from "../src/index.js";
import { publicKeyFormats } from "./helpers.js";

let emu: OciEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.server.faults.clear());

const pub = publicKeyFormats(generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey).pem;

interface RawOptions {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  components?: OciSignedComponents;
  now?: () => number;
  /** Change headers after signing. */
  tamper?: (headers: Record<string, string>) => void;
  keyId?: string;
  privateKey?: string;
  path?: string;
}

async function raw(options: RawOptions = {}): Promise<{ status: number; body: Record<string, unknown>; requestId: string | null }> {
  const c = emu.credentials;
  const method = options.method ?? "POST";
  const url = `${emu.url}${options.path ?? "/v1/actions/generateScopedAccessToken"}`;
  const body = options.body ?? (method === "GET" || method === "DELETE" ? undefined : JSON.stringify({ scope: dbScope.all(), publicKey: pub }));
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  const signer = createOciSigner({ keyId: options.keyId ?? `${c.tenancy}/${c.user}/${c.fingerprint}`, privateKey: options.privateKey ?? c.privateKeyPem, components: options.components, now: options.now });
  signer.sign({ method, url, headers, body });
  options.tamper?.(headers);
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, requestId: response.headers.get("opc-request-id") };
}

describe("emulator: authentication on the wire", () => {
  it("accepts the documented header set and the TypeScript SDK's (x-date)", async () => {
    expect((await raw()).status).toBe(200);
    expect((await raw({ components: OCI_TYPESCRIPT_SDK_COMPONENTS })).status).toBe(200);
  });

  it("answers OCI-shaped 401s with opc-request-id for every authentication failure", async () => {
    const c = emu.credentials;
    const cases: Array<[string, RawOptions, RegExp]> = [
      ["no Authorization", { tamper: (h) => delete h["authorization"] }, /not provided/],
      ["not a signature", { tamper: (h) => (h["authorization"] = "Bearer abc") }, /not a valid OCI signature|Signature scheme/],
      ["wrong algorithm", { tamper: (h) => (h["authorization"] = h["authorization"]!.replace("rsa-sha256", "hmac-sha256")) }, /rsa-sha256/],
      ["x-content-sha256 not covered", { components: { withoutBody: ["date", "(request-target)", "host"], withBody: ["date", "(request-target)", "host", "content-length", "content-type"] } }, /must cover x-content-sha256/],
      ["host not covered", { components: { withoutBody: ["date", "(request-target)"], withBody: ["date", "(request-target)", "content-length", "content-type", "x-content-sha256"] } }, /must cover host/],
      ["digest of another body", { tamper: (h) => (h["x-content-sha256"] = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") }, /x-content-sha256 header does not match/],
      ["date 6 minutes early", { now: () => Date.now() - 6 * 60_000 }, /server time/],
      ["date 6 minutes late", { now: () => Date.now() + 6 * 60_000 }, /server time/],
      ["date changed after signing", { tamper: (h) => (h["date"] = new Date(Date.now() + 1000).toUTCString()) }, /could not be verified/],
      ["unknown keyId", { keyId: `${c.tenancy}/${c.user}/00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00` }, /known API key/],
      ["wrong key", { privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString() }, /could not be verified/],
      ["unknown session token", { keyId: "ST$eyJub3QiOiJyZWFsIn0" }, /session token is not valid/],
    ];
    for (const [name, options, message] of cases) {
      const answer = await raw(options);
      expect(answer.status, name).toBe(401);
      expect(answer.body["code"], name).toBe("NotAuthenticated");
      expect(String(answer.body["message"]), name).toMatch(message);
      expect(answer.requestId, name).toMatch(/^[0-9A-F]{32}\//);
    }
  });

  it("accepts session-token keyIds signed with the session key", async () => {
    const s = emu.credentials.session;
    expect((await raw({ keyId: `ST$${s.token}`, privateKey: s.privateKeyPem })).status).toBe(200);
  });

  it("keeps a client-sent opc-request-id as the prefix of its own", async () => {
    const answer = await raw({ headers: { "opc-request-id": "MYREQ123" } });
    expect(answer.requestId).toMatch(/^MYREQ123\/[0-9A-F]{32}$/);
  });
});

describe("emulator: request validation", () => {
  const body = (value: unknown) => JSON.stringify(value);
  it("answers 400s shaped like OCI's", async () => {
    const cases: Array<[string, RawOptions, string]> = [
      ["not JSON", { body: "{nope" }, "CannotParseRequest"],
      ["not an object", { body: body([1]) }, "CannotParseRequest"],
      ["no scope", { body: body({ publicKey: pub }) }, "MissingParameter"],
      ["no publicKey", { body: body({ scope: dbScope.all() }) }, "MissingParameter"],
      ["scope not a string", { body: body({ scope: 1, publicKey: pub }) }, "InvalidParameter"],
      ["bad scope", { body: body({ scope: "urn:oracle:db::id::nope", publicKey: pub }) }, "InvalidParameter"],
      ["bad key", { body: body({ scope: dbScope.all(), publicKey: "abc" }) }, "InvalidParameter"],
      ["wrong content type", { headers: { "content-type": "text/plain" } }, "InvalidParameter"],
    ];
    for (const [name, options, code] of cases) {
      const answer = await raw(options);
      expect(answer.status, name).toBe(400);
      expect(answer.body["code"], name).toBe(code);
      expect(typeof answer.body["message"], name).toBe("string");
    }
  });

  it("405 for other methods, 404 NotAuthorizedOrNotFound elsewhere, and a JWKS", async () => {
    expect((await raw({ method: "GET" })).status).toBe(405);
    const elsewhere = await raw({ path: "/v1/nothing" });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body["code"]).toBe("NotAuthorizedOrNotFound");
    const jwks = (await (await fetch(emu.credentials.jwksUri)).json()) as { keys: Array<{ kid: string; kty: string }> };
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", kid: emu.signer.kid });
  });

  it("issues JWTs shaped like real scoped access tokens, skewed by the kit's clock-skew fault", async () => {
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "clock-skew", skewMs: -60_000 });
    // -60 s is inside the 5-minute window, so the request passes and the token comes out a minute early.
    const answer = await raw();
    expect(answer.status).toBe(200);
    const { header, claims } = decodeJwtUnverified(String(answer.body["token"]));
    expect(header).toMatchObject({ alg: "RS256" });
    expect(Object.keys(header).sort()).toEqual(["alg", "kid"]);
    expect(claims).toMatchObject({ ttype: "scoped_access", iss: "authService.oracle.com", aud: `urn:oracle:db:${emu.credentials.tenancy}`, scope: "urn:oracle:db::id::*" });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    expect(Math.abs(Number(claims.iat) * 1000 - (Date.now() - 60_000))).toBeLessThan(5_000);
    expect(claims["jwk"]).toMatchObject({ kty: "RSA", e: "AQAB" });
  });
});

describe("emulator: the official SDK cannot tell it from the service", () => {
  it("oci-identitydataplane@2.139.1 DataplaneClient.generateScopedAccessToken works against it", async () => {
    const c = emu.credentials;
    const provider = new common.SimpleAuthenticationDetailsProvider(c.tenancy, c.user, c.fingerprint, c.privateKeyPem, null, common.Region.US_ASHBURN_1);
    const client = new identitydataplane.DataplaneClient({ authenticationDetailsProvider: provider });
    client.endpoint = emu.url;
    try {
      const response = await client.generateScopedAccessToken({ generateScopedAccessTokenDetails: { scope: dbScope.all(), publicKey: pub } });
      // oci-common sends its own opc-request-id; the answer keeps it as the prefix.
      expect(response.opcRequestId).toMatch(/^[0-9A-F-]+\/[0-9A-F]{32}$/);
      const { claims } = await verifyJwt(response.securityToken.token, { jwks: c.jwksUri, algorithms: ["RS256"], issuer: c.issuer });
      expect(claims["ttype"]).toBe("scoped_access");

      // And its errors come out as OciError with our code and request id.
      const wrongKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      const bad = new identitydataplane.DataplaneClient({ authenticationDetailsProvider: new common.SimpleAuthenticationDetailsProvider(c.tenancy, c.user, c.fingerprint, wrongKey, null, common.Region.US_ASHBURN_1) });
      bad.endpoint = emu.url;
      try {
        await bad.generateScopedAccessToken({ generateScopedAccessTokenDetails: { scope: dbScope.all(), publicKey: pub } });
        throw new Error("expected a failure");
      } catch (error) {
        expect(error).toMatchObject({ statusCode: 401, serviceCode: "NotAuthenticated" });
      } finally {
        bad.shutdownCircuitBreaker();
      }
    } finally {
      client.shutdownCircuitBreaker();
    }
  });

  it("the emulator's test key works from its PEM credentials", () => {
    expect(createPrivateKey(emu.credentials.privateKeyPem).asymmetricKeyType).toBe("rsa");
  });
});
