import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwtUnverified, issueSource, Secret, verifyJwt } from "@tokenmint/core";
import { TokenManager } from "@tokenmint/core/tokens";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type OciEmulator, startEmulator } from "../src/emulator/index.js";
import provider, { createOciClient, dbScope, GENERATE_SCOPED_ACCESS_TOKEN_PATH, OCI_TYPESCRIPT_SDK_COMPONENTS } from "../src/index.js";
import { writeDbTokenFiles } from "../src/cli/index.js";
import { explicitClient, failure, noEnv, publicKeyFormats, SUPPLIED_PUBLIC_KEY, tempHome, writeOciFile } from "./helpers.js";

const all = { scope: dbScope.all(), publicKey: SUPPLIED_PUBLIC_KEY };

let emu: OciEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.server.faults.clear());

describe("issue against the emulator", () => {
  it("explicit credentials + generated key pair: a canonical token with its private key", async () => {
    const client = await explicitClient(emu);
    expect(client.url).toBe(`${emu.url}${GENERATE_SCOPED_ACCESS_TOKEN_PATH}`);
    const before = Date.now();
    const token = await client.issue({ scope: dbScope.all() });
    expect(token.provider).toBe("oci");
    expect(token.tokenType).toBe("Bearer");
    expect(token.scopes).toEqual([{ raw: "urn:oracle:db::id::*", resource: "urn:oracle:db", name: "id::*" }]);
    expect(token.requestId).toMatch(/^[0-9A-F]{32}\/[0-9A-F]{32}\/[0-9A-F]{32}$/);
    expect(token.issuedAt!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(token.expiresAt!.getTime() - token.issuedAt!.getTime()).toBe(3600_000);
    expect(token.value).toBeInstanceOf(Secret);
    expect(token.privateKey).toBeInstanceOf(Secret);
    const privateKey = createPrivateKey(token.privateKey!.reveal());
    expect(token.privateKey!.reveal()).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);

    // The JWT verifies against the emulator's JWKS and is shaped like the real ones.
    const { header, claims } = await verifyJwt(token.value, { jwks: emu.credentials.jwksUri, algorithms: ["RS256"], issuer: "authService.oracle.com", audience: `urn:oracle:db:${emu.credentials.tenancy}` });
    expect(header.kid).toMatch(/^scoped_sk_/);
    expect(header.typ).toBeUndefined();
    expect(claims).toMatchObject({ ttype: "scoped_access", scope: "urn:oracle:db::id::*", sub: emu.credentials.user });
    // Bound to the generated key: the jwk claim is its public half.
    const jwk = claims["jwk"] as { kty: string; n: string; e: string };
    expect(jwk.n).toBe(createPublicKey(privateKey).export({ format: "jwk" }).n);
    expect(token.raw["token"]).toBeInstanceOf(Secret);
  });

  it("sends a caller's key in each of the three spellings, unchanged, and returns no private key", async () => {
    const client = await explicitClient(emu);
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const formats = publicKeyFormats(pair.publicKey);
    for (const publicKey of [formats.pem, formats.pemSingleLine, formats.base64Der]) {
      const token = await client.issue({ scope: dbScope.compartment(emu.credentials.compartment.ocid, emu.credentials.database), publicKey });
      expect(token.privateKey).toBeUndefined();
      const jwk = decodeJwtUnverified(token.value).claims["jwk"] as { n: string };
      expect(jwk.n).toBe(pair.publicKey.export({ format: "jwk" }).n);
    }
  });

  it("reads ~/.oci/config (profile, ~ in key_file) and works end to end", async () => {
    const { home, cleanup } = await tempHome();
    try {
      await writeOciFile(home, "api_key.pem", emu.credentials.privateKeyPem);
      const c = emu.credentials;
      await writeOciFile(home, "config", `[DEFAULT]\ntenancy=${c.tenancy}\nregion=us-ashburn-1\n\n[EMU]\nuser=${c.user}\nfingerprint=${c.fingerprint}\nkey_file=~/.oci/api_key.pem\n`);
      const client = await createOciClient({ profile: "EMU", endpoint: emu.url }, { env: {}, homeDir: home });
      expect(client.config.source).toContain("[EMU]");
      const token = await client.issue({ scope: `urn:oracle:db::path::${c.tenancyName}:${c.compartment.name}::${c.database}` });
      expect(token.scopes[0]?.name).toBe(`path::${c.tenancyName}:${c.compartment.name}::${c.database}`);
    } finally {
      await cleanup();
    }
  });

  it("session token: explicit, and from security_token_file in the config (keyId ST$<token>)", async () => {
    const c = emu.credentials;
    const explicit = await createOciClient({ endpoint: emu.url, securityToken: new Secret(c.session.token), privateKey: new Secret(c.session.privateKeyPem) }, noEnv);
    expect(explicit.config.auth.kind).toBe("session");
    expect((await explicit.issue(all)).scopes[0]?.raw).toBe("urn:oracle:db::id::*");

    const { home, cleanup } = await tempHome();
    try {
      await writeOciFile(home, "session_key.pem", c.session.privateKeyPem);
      await writeOciFile(home, "token", `${c.session.token}\n`);
      await writeOciFile(home, "config", `[DEFAULT]\ntenancy=${c.tenancy}\nfingerprint=aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99\nkey_file=~/.oci/session_key.pem\nsecurity_token_file=~/.oci/token\nregion=us-ashburn-1\n`);
      const fromFile = await createOciClient({ endpoint: emu.url }, { env: {}, homeDir: home });
      expect(fromFile.config.auth.kind).toBe("session");
      await expect(fromFile.issue(all)).resolves.toMatchObject({ provider: "oci" });
    } finally {
      await cleanup();
    }
    const expired = await emu.addSession({ lifetimeSec: -10 });
    const stale = await createOciClient({ endpoint: emu.url, securityToken: expired.token, privateKey: expired.privateKeyPem }, noEnv);
    const error = await failure(stale.issue(all));
    expect(error.code).toBe("invalid_credentials");
  });

  it("signs with the TypeScript SDK's header set (x-date) when asked", async () => {
    const client = await explicitClient(emu, { signedComponents: OCI_TYPESCRIPT_SDK_COMPONENTS });
    await expect(client.issue(all)).resolves.toMatchObject({ provider: "oci" });
  });

  it("works through the provider definition and the token manager", async () => {
    expect(provider.descriptor).toMatchObject({ id: "oci", capabilities: ["issue"] });
    const c = emu.credentials;
    const client = await provider.createClient({ endpoint: emu.url, tenancy: c.tenancy, user: c.user, fingerprint: c.fingerprint, privateKey: c.privateKeyPem }, noEnv);
    const manager = new TokenManager();
    const source = issueSource(client, all);
    const [a, b] = await Promise.all([manager.getToken(source), manager.getToken(source)]);
    expect(a.value.reveal()).toBe(b.value.reveal());
  });

  it("writes the token and key as `oci iam db-token get` does (0600)", async () => {
    const { home, cleanup } = await tempHome();
    try {
      const token = await (await explicitClient(emu)).issue({ scope: dbScope.all() });
      const files = await writeDbTokenFiles(token, { homeDir: home });
      expect(files.token).toBe(join(home, ".oci", "db-token", "token"));
      expect(files.privateKey).toBe(join(home, ".oci", "db-token", "oci_db_key.pem"));
      expect(await readFile(files.token, "utf8")).toBe(token.value.reveal());
      expect(await readFile(files.privateKey, "utf8")).toBe(token.privateKey!.reveal());
      for (const path of [files.token, files.privateKey, files.publicKey]) expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await stat(join(home, ".oci", "db-token"))).mode & 0o777).toBe(0o700);
      await expect(writeDbTokenFiles(token, { homeDir: home, overwrite: false })).rejects.toThrow(/exists/);
      const bound = await (await explicitClient(emu)).issue({ scope: dbScope.all(), publicKey: publicKeyFormats(generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey).pem });
      await expect(writeDbTokenFiles(bound, { homeDir: home })).rejects.toThrow(/no private key/);
    } finally {
      await cleanup();
    }
  });
});

describe("errors", () => {
  it("rejects bad scopes and keys before sending anything", async () => {
    const client = await explicitClient(emu);
    const count = emu.server.count();
    expect((await failure(client.issue({ scope: "urn:oracle:db::id::nope" }))).code).toBe("invalid_scope");
    expect((await failure(client.issue({ scope: undefined as unknown as string }))).code).toBe("invalid_scope");
    expect((await failure(client.issue({ scope: dbScope.all(), publicKey: "garbage" }))).code).toBe("invalid_request");
    expect((await failure(client.issue(null as never))).code).toBe("invalid_request");
    expect(emu.server.count()).toBe(count);
  });

  it("401 NotAuthenticated -> invalid_credentials with a hint (unknown key)", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const c = emu.credentials;
    const client = await createOciClient({ endpoint: emu.url, tenancy: c.tenancy, user: c.user, fingerprint: "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff", privateKey: other, checkFingerprint: false }, noEnv);
    const error = await failure(client.issue(all));
    expect(error).toMatchObject({ code: "invalid_credentials", status: 401, providerCode: "NotAuthenticated", provider: "oci", retryable: false });
    expect(error.requestId).toMatch(/^[0-9A-F]{32}\//);
    expect(error.hint).toMatch(/clock/);
    expect(error.hint).toMatch(/fingerprint/);
  });

  it("a bad signature (right keyId, wrong key) is 401", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const c = emu.credentials;
    const client = await createOciClient({ endpoint: emu.url, tenancy: c.tenancy, user: c.user, fingerprint: c.fingerprint, privateKey: other, checkFingerprint: false }, noEnv);
    const error = await failure(client.issue(all));
    expect(error).toMatchObject({ code: "invalid_credentials", providerCode: "NotAuthenticated" });
    expect(error.message).toMatch(/signature could not be verified/);
  });

  it("a clock more than 5 minutes off is 401 invalid_credentials; 4 minutes is fine", async () => {
    const skewed = await explicitClient(emu, { now: () => Date.now() - 6 * 60_000 });
    const error = await failure(skewed.issue(all));
    expect(error).toMatchObject({ code: "invalid_credentials", status: 401 });
    expect(error.message).toMatch(/server time/);
    const slightly = await explicitClient(emu, { now: () => Date.now() + 4 * 60_000 });
    await expect(slightly.issue(all)).resolves.toBeDefined();
  });

  it("404 NotAuthorizedOrNotFound -> access_denied (unknown compartment, unknown database, no policy)", async () => {
    const client = await explicitClient(emu);
    const c = emu.credentials;
    const unknown = await failure(client.issue({ scope: dbScope.compartment("ocid1.compartment.oc1..aaaaaaaaunknown") }));
    expect(unknown).toMatchObject({ code: "access_denied", status: 404, providerCode: "NotAuthorizedOrNotFound" });
    expect(unknown.hint).toMatch(/policy/);
    expect((await failure(client.issue({ scope: dbScope.compartment(c.compartment.ocid, "ocid1.autonomousdatabase.oc1.iad.aaaaaaaaother") }))).code).toBe("access_denied");
    expect((await failure(client.issue({ scope: dbScope.path(["othertenancy"]) }))).code).toBe("access_denied");
    const denied = await emu.addUser();
    emu.identity.setDenied(denied.user, true);
    const deniedClient = await createOciClient({ endpoint: emu.url, tenancy: c.tenancy, user: denied.user, fingerprint: denied.fingerprint, privateKey: denied.privateKeyPem }, noEnv);
    expect((await failure(deniedClient.issue(all))).code).toBe("access_denied");
  });

  it("maps the documented error codes", async () => {
    const client = await explicitClient(emu, { maxAttempts: 1 });
    const cases: Array<[number, string, string]> = [
      [400, "InvalidParameter", "invalid_request"],
      [400, "MissingParameter", "invalid_request"],
      [400, "CannotParseRequest", "invalid_request"],
      [400, "LimitExceeded", "quota_exceeded"],
      [400, "QuotaExceeded", "quota_exceeded"],
      [400, "RelatedResourceNotAuthorizedOrNotFound", "access_denied"],
      [401, "NotAuthenticated", "invalid_credentials"],
      [403, "NotAllowed", "access_denied"],
      [403, "NotAuthorized", "access_denied"],
      [403, "SignUpRequired", "access_denied"],
      [404, "NotAuthorizedOrNotFound", "access_denied"],
      [404, "NotFound", "not_found"],
      [405, "MethodNotAllowed", "invalid_request"],
      [409, "Conflict", "conflict"],
      [409, "IncorrectState", "conflict"],
      [429, "TooManyRequests", "rate_limited"],
      [500, "InternalServerError", "provider_unavailable"],
      [503, "ServiceUnavailable", "provider_unavailable"],
    ];
    for (const [status, code, canonical] of cases) {
      emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "status", status, body: { code, message: `injected ${code}` }, headers: { "opc-request-id": `REQ-${code}` } });
      const error = await failure(client.issue(all));
      expect(error, `${status} ${code}`).toMatchObject({ code: canonical, status, providerCode: code, requestId: `REQ-${code}` });
    }
  });

  it("a body that is not OCI's {code, message} is invalid_response (4xx); 5xx stays provider_unavailable", async () => {
    const client = await explicitClient(emu, { maxAttempts: 1 });
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "status", status: 400, body: { error: "invalid_request" } });
    expect((await failure(client.issue(all))).code).toBe("invalid_response");
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "html", status: 403 });
    expect((await failure(client.issue(all))).code).toBe("invalid_response");
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "html", status: 502 });
    expect((await failure(client.issue(all))).code).toBe("provider_unavailable");
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "body", body: { notToken: 1 } });
    const shape = await failure(client.issue(all));
    expect(shape.code).toBe("invalid_response");
    expect(shape.message).toMatch(/\/token/);
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "body", body: { token: "not.a.jwt" } });
    expect((await failure(client.issue(all))).code).toBe("invalid_response");
  });

  it("a token bound to another key is refused", async () => {
    const client = await explicitClient(emu, { maxAttempts: 1 });
    const foreign = publicKeyFormats(generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey).pem;
    const other = await client.issue({ scope: dbScope.all(), publicKey: foreign });
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "body", body: { token: other.value.reveal() } });
    const error = await failure(client.issue(all));
    expect(error.message).toMatch(/bound to a different public key/);
  });
});

describe("retries, deadline, abort", () => {
  it("retries 429, 5xx, resets and cut bodies (no side effects) and then succeeds", async () => {
    const client = await explicitClient(emu);
    for (const fault of [
      { kind: "status", status: 429, body: { code: "TooManyRequests", message: "slow down" } },
      { kind: "status", status: 500, body: { code: "InternalServerError", message: "oops" } },
      { kind: "html", status: 503 },
      { kind: "reset-before" },
      { kind: "reset-after" },
      { kind: "truncate" },
    ] as const) {
      const before = emu.server.count("generateScopedAccessToken");
      emu.server.faults.inject({ route: "generateScopedAccessToken", ...fault });
      const token = await client.issue(all);
      expect(token.provider, fault.kind).toBe("oci");
      expect(emu.server.count("generateScopedAccessToken") - before, fault.kind).toBe(2);
    }
  });

  it("gives up after maxAttempts with the last error", async () => {
    const client = await explicitClient(emu, { maxAttempts: 3 });
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "status", status: 429, times: 5, body: { code: "TooManyRequests", message: "slow down" } });
    const before = emu.server.count("generateScopedAccessToken");
    expect((await failure(client.issue(all))).code).toBe("rate_limited");
    expect(emu.server.count("generateScopedAccessToken") - before).toBe(3);
  });

  it("does not retry what retrying cannot fix (401, 404, 400)", async () => {
    const client = await explicitClient(emu);
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "status", status: 400, body: { code: "InvalidParameter", message: "bad" } });
    const before = emu.server.count("generateScopedAccessToken");
    await failure(client.issue(all));
    expect(emu.server.count("generateScopedAccessToken") - before).toBe(1);
  });

  it("signs every attempt afresh (a new date each time)", async () => {
    // The first attempt is signed 10 minutes in the past but answered 503 before authentication; a
    // re-sent copy of it would be refused for skew, a freshly signed retry is accepted.
    let calls = 0;
    const client = await explicitClient(emu, { now: () => (calls++ === 0 ? Date.now() - 10 * 60_000 : Date.now()) });
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "status", status: 503, body: { code: "ServiceUnavailable", message: "later" } });
    await expect(client.issue(all)).resolves.toBeDefined();
    expect(calls).toBe(2);
  });

  it("ends at the caller's deadline with timeout", async () => {
    const client = await explicitClient(emu, { attemptTimeoutMs: 5_000 });
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "latency", delayMs: 2_000 });
    const started = Date.now();
    const error = await failure(client.issue({ scope: dbScope.all(), publicKey: publicKeyFormats(createPublicKey(emu.credentials.privateKeyPem)).pem }, { deadline: Date.now() + 300 }));
    expect(error.code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("operationTimeoutMs bounds an issue when the caller gives no deadline", async () => {
    const client = await explicitClient(emu, { operationTimeoutMs: 300 });
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "latency", delayMs: 2_000 });
    const started = Date.now();
    expect((await failure(client.issue(all))).code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("stops at once when aborted", async () => {
    const client = await explicitClient(emu);
    emu.server.faults.inject({ route: "generateScopedAccessToken", kind: "latency", delayMs: 2_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user cancelled")), 100);
    const started = Date.now();
    const error = await failure(client.issue(all, { signal: controller.signal }));
    expect(error.code).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(1_000);
    const already = AbortSignal.abort();
    expect((await failure(client.issue(all, { signal: already }))).code).toBe("aborted");
  });
});

describe("event loop", () => {
  // Not a timing assertion (those live in pnpm bench, which measures the longest stall): the loop
  // must keep turning while a key pair is generated, which a synchronous generator would prevent.
  it("keeps turning while a key pair is generated and a token issued", async () => {
    const client = await explicitClient(emu);
    await client.issue({ scope: dbScope.all() }); // warm up
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
    }, 0);
    try {
      const token = await client.issue({ scope: dbScope.all() });
      expect(token.privateKey).toBeDefined();
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});
