import { createHmac, createPublicKey } from "node:crypto";
import { isTokenmintError, type Secret, type Token } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IdcsEmulator, startEmulator } from "../src/emulator/index.js";
import type { IdcsClient } from "../src/index.js";
import { rejection, secretAppClient } from "./helpers.js";

let emu: IdcsEmulator;
let client: IdcsClient;
beforeAll(async () => {
  emu = await startEmulator();
  client = await secretAppClient(emu);
});
afterAll(async () => {
  await emu?.close();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function claims(extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { sub: "alice@example.com", client_id: "c", scope: "urn:opc:idm:t.user.me", aud: [emu.url], tok_type: "AT", iss: "https://identity.oraclecloud.com/", iat: now, exp: now + 600, jti: "j1", ...extra };
}

async function expectInvalid(token: string | Secret | Token, options: Parameters<IdcsClient["verify"]>[1] = { audience: emu.url }) {
  const error = await rejection(client.verify(token, options));
  expect(isTokenmintError(error, "invalid_token")).toBe(true);
  return error as Error;
}

describe("verify", () => {
  it("verifies an issued token against the JWKS and decodes its claims and scopes", async () => {
    const token = await client.issue({ grant: "client_credentials", scope: { kind: "idcs", roles: ["Me"] } });
    const verified = await client.verify(token, { audience: emu.url });
    expect(verified.header).toMatchObject({ alg: "RS256", kid: "SIGNING_KEY" });
    expect(verified.claims).toMatchObject({ client_id: emu.credentials.secretApp.clientId, tok_type: "AT", iss: "https://identity.oraclecloud.com/" });
    expect(verified.scopes).toEqual([{ raw: "urn:opc:idm:t.user.me", resource: "urn:opc:idm:", name: "t.user.me" }]);
    // A token as a plain string or a Secret works too.
    await expect(client.verify(token.value.reveal(), { audience: emu.url })).resolves.toBeDefined();
  });

  it("fetches the JWKS once and serves it from cache", async () => {
    const before = emu.server.count("jwks");
    const token = await emu.signAccessToken(claims());
    await client.verify(token, { audience: emu.url });
    await client.verify(token, { audience: emu.url });
    expect(emu.server.count("jwks") - before).toBeLessThanOrEqual(1);
  });

  it("rejects alg: none", async () => {
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`;
    await expectInvalid(unsigned);
  });

  it("rejects HS256 signed with the public key (algorithm confusion)", async () => {
    const jwks = await client.getSigningKeys();
    const publicPem = createPublicKey({ key: jwks.keys[0]!, format: "jwk" }).export({ format: "pem", type: "spki" }).toString();
    const input = `${b64({ alg: "HS256", typ: "JWT", kid: "SIGNING_KEY" })}.${b64(claims())}`;
    const forged = `${input}.${createHmac("sha256", publicPem).update(input).digest("base64url")}`;
    const error = await expectInvalid(forged);
    expect(error.message).toContain("allowlist");
  });

  it("rejects a wrong issuer, a wrong audience and an expired token", async () => {
    expect((await expectInvalid(await emu.signAccessToken(claims({ iss: "https://evil.example.com/" })))).message).toContain("iss");
    expect((await expectInvalid(await emu.signAccessToken(claims()), { audience: "https://orders.example.com:443" })).message).toContain("aud");
    const past = Math.floor(Date.now() / 1000) - 7200;
    expect((await expectInvalid(await emu.signAccessToken(claims({ iat: past, exp: past + 3600 })))).message).toContain("expired");
  });

  it("rejects a token signed with an unknown key and a token that is not an access token", async () => {
    const other = await startEmulator();
    try {
      await expectInvalid(await other.signAccessToken(claims()));
    } finally {
      await other.close();
    }
    expect((await expectInvalid(await emu.signAccessToken(claims({ tok_type: "IT" })))).message).toContain("tok_type");
  });

  it("notices a domain whose clock is off (the kit's clock-skew fault)", async () => {
    emu.server.faults.inject({ kind: "clock-skew", route: "token", skewMs: 2 * 3600_000 });
    const skewed = await client.issue({ grant: "client_credentials", scope: { kind: "idcs", roles: ["Me"] } });
    expect((await expectInvalid(skewed)).message).toContain("iat");
    const assertionClient = await secretAppClient(emu, { clientId: emu.credentials.assertionApp.clientId, clientSecret: undefined, privateKey: emu.credentials.assertionApp.privateKeyPem, keyId: emu.credentials.assertionApp.certificateAlias });
    emu.server.faults.inject({ kind: "clock-skew", route: "token", skewMs: 3600_000 });
    const error = await rejection(assertionClient.issue({ grant: "client_credentials", scope: { kind: "idcs", roles: ["Me"] } }));
    expect(error).toMatchObject({ code: "invalid_credentials" });
    expect((error as Error).message).toContain("expired");
  });

  it("needs an audience unless told to skip the check", async () => {
    const token = await emu.signAccessToken(claims({ aud: ["https://anything.example.com"] }));
    expect(isTokenmintError(await rejection(client.verify(token)), "configuration")).toBe(true);
    await expect(client.verify(token, { skipAudienceCheck: true })).resolves.toBeDefined();
  });

  it("fetches a protected JWKS with a client token", async () => {
    const locked = await startEmulator({ requireJwksAuth: true });
    try {
      const token = await locked.signAccessToken(claims({ aud: [locked.url] }));
      const anonymous = await secretAppClient(locked);
      const refused = await rejection(anonymous.verify(token, { audience: locked.url }));
      expect(refused).toMatchObject({ code: "invalid_credentials", status: 401 });
      const authed = await secretAppClient(locked, { jwksWithClientToken: true });
      await expect(authed.verify(token, { audience: locked.url })).resolves.toBeDefined();
    } finally {
      await locked.close();
    }
  });
});
