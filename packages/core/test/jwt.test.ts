import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import { exportJWK, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulatorServer, createTokenSigner, type EmulatorServer, json, type TokenSigner } from "../src/emulator/index.js";
import { decodeJwtUnverified, Secret, verifyJwt } from "../src/index.js";

let signer: TokenSigner;
let server: EmulatorServer;

beforeAll(async () => {
  signer = await createTokenSigner({ alg: "RS256", kid: "k1", issuer: "https://issuer.test/" });
  server = await createEmulatorServer({ name: "jwks", routes: [{ name: "jwks", method: "GET", path: "/jwks", handler: () => json(200, signer.jwks()) }] });
});
afterAll(async () => server.close());

const now = () => Math.floor(Date.now() / 1000);
const base = { algorithms: ["RS256"], issuer: "https://issuer.test/", audience: "api://x" };

describe("JWT helpers", () => {
  it("decodes without verifying and rejects non-JWTs", async () => {
    const token = await signer.sign({ iss: "https://issuer.test/", aud: "api://x", sub: "alice", exp: now() + 60 });
    const decoded = decodeJwtUnverified(new Secret(token));
    expect(decoded.claims.sub).toBe("alice");
    expect(decoded.header.kid).toBe("k1");
    expect(() => decodeJwtUnverified("not-a-jwt")).toThrow(expect.objectContaining({ code: "invalid_token" }));
  });

  it("verifies against a remote JWKS with issuer, audience and expiry", async () => {
    const token = await signer.sign({ iss: "https://issuer.test/", aud: "api://x", sub: "alice", exp: now() + 60 });
    const verified = await verifyJwt(token, { ...base, jwks: `${server.url}/jwks` });
    expect(verified.claims.sub).toBe("alice");
  });

  it("rejects wrong issuer, wrong audience, expired tokens and foreign keys", async () => {
    const jwks = signer.jwks();
    const wrongIss = await signer.sign({ iss: "https://evil.test/", aud: "api://x", exp: now() + 60 });
    await expect(verifyJwt(wrongIss, { ...base, jwks })).rejects.toMatchObject({ code: "invalid_token", message: expect.stringContaining("iss") });
    const wrongAud = await signer.sign({ iss: "https://issuer.test/", aud: "api://y", exp: now() + 60 });
    await expect(verifyJwt(wrongAud, { ...base, jwks })).rejects.toMatchObject({ code: "invalid_token", message: expect.stringContaining("aud") });
    const expired = await signer.sign({ iss: "https://issuer.test/", aud: "api://x", exp: now() - 120 });
    await expect(verifyJwt(expired, { ...base, jwks })).rejects.toMatchObject({ code: "invalid_token", message: expect.stringContaining("expired") });
    // Within the clock tolerance an expiry just passed is accepted.
    const justExpired = await signer.sign({ iss: "https://issuer.test/", aud: "api://x", exp: now() - 5 });
    await expect(verifyJwt(justExpired, { ...base, jwks, clockToleranceSec: 30 })).resolves.toBeDefined();
    // An iat in the future beyond the tolerance: one of the clocks is off. Within it: accepted.
    const future = await signer.sign({ iss: "https://issuer.test/", aud: "api://x", iat: now() + 600, exp: now() + 3600 });
    await expect(verifyJwt(future, { ...base, jwks })).rejects.toMatchObject({ code: "invalid_token", providerCode: "ERR_JWT_IAT_IN_FUTURE", message: expect.stringMatching(/iat is (599|600|601) s in the future/) });
    const nearFuture = await signer.sign({ iss: "https://issuer.test/", aud: "api://x", iat: now() + 10, exp: now() + 3600 });
    await expect(verifyJwt(nearFuture, { ...base, jwks })).resolves.toBeDefined();
    const other = await createTokenSigner({ alg: "RS256", kid: "k1" });
    const forged = await other.sign({ iss: "https://issuer.test/", aud: "api://x", exp: now() + 60 });
    await expect(verifyJwt(forged, { ...base, jwks })).rejects.toMatchObject({ code: "invalid_token" });
  });

  it("rejects alg none and HS256 signed with the public key (algorithm confusion)", async () => {
    const jwks = signer.jwks();
    const unsecured = new UnsecuredJWT({ iss: "https://issuer.test/", aud: "api://x" }).setExpirationTime("1h").encode();
    await expect(verifyJwt(unsecured, { ...base, jwks })).rejects.toMatchObject({ code: "invalid_token" });
    await expect(verifyJwt(unsecured, { ...base, algorithms: ["none"], jwks })).rejects.toMatchObject({ code: "configuration" });

    const pubPem = signer.publicKey.export({ type: "spki", format: "pem" }) as string;
    const hs = await new SignJWT({ iss: "https://issuer.test/", aud: "api://x" }).setProtectedHeader({ alg: "HS256", kid: "k1" }).setExpirationTime("1h").sign(new TextEncoder().encode(pubPem));
    await expect(verifyJwt(hs, { ...base, jwks })).rejects.toMatchObject({ code: "invalid_token" });
    await expect(verifyJwt(hs, { ...base, algorithms: ["RS256", "HS256"], jwks })).rejects.toMatchObject({ code: "invalid_token" });
  });

  it("accepts an EC key when ES256 is allowed and refuses it when not", async () => {
    const { privateKey, publicKey } = await promisify(generateKeyPair)("ec", { namedCurve: "P-256" });
    const jwk = { ...(await exportJWK(publicKey)), kid: "ec1", alg: "ES256" };
    const token = await new SignJWT({ iss: "https://issuer.test/", aud: "api://x" }).setProtectedHeader({ alg: "ES256", kid: "ec1" }).setExpirationTime("1h").sign(privateKey);
    await expect(verifyJwt(token, { ...base, algorithms: ["ES256"], jwks: { keys: [jwk] } })).resolves.toBeDefined();
    await expect(verifyJwt(token, { ...base, jwks: { keys: [jwk] } })).rejects.toMatchObject({ code: "invalid_token" });
  });
});
