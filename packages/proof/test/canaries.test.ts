// Secret canaries through the CLI: every command with --debug, as a child process of the built binary,
// against emulators whose every secret input is a canary (OCI encrypted API key and pass phrase, IDCS
// client secret, password, app key, Huawei AK/SK and security token, Intersight API key, OAuth2 client
// secret, client key and password, the cache key).
// stdout, stderr and every file written are scanned. Issued values may appear only where the user asked
// for them (--format json/raw/env on stdout, --out, --save); configuration secrets may appear nowhere.
// Library flows, with every failure of the fault matrix, are scanned in fault-matrix.test.ts; the CLI
// under every fault of the matrix in cli-faults.test.ts.
import { spawn } from "node:child_process";
import { generateKeyPair } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type LogEvent, Secret } from "@tokenmint/core";
import type { Fault } from "@tokenmint/core/emulator";
import { type OciEmulator, startEmulator as startOci } from "@tokenmint/provider-oci/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CanaryRegistry } from "../src/canary.js";
import { type ChildResult, PROOF_DIR, runTokenmint, TOKENMINT_BIN } from "../src/cli-child.js";
import { filesUnder } from "../src/cli-faults.js";
import { type HuaweiCanaryEmulator, huaweiCanaryEmulator } from "../src/matrix/huaweicloud.js";
import { type CanaryDomain, canaryDomain } from "../src/matrix/idcs.js";
import { intersightCanaryEmulator } from "../src/matrix/intersight.js";
import { type Oauth2CanaryServer, oauth2CanaryServer } from "../src/matrix/oauth2.js";

const generate = promisify(generateKeyPair);
/** Secrets the user never asks to see: they may appear nowhere. */
const config = new CanaryRegistry();
/** Values the user asks for (tokens, generated keys): only where asked. */
const issued = new CanaryRegistry();
/** Secrets we did not plant but must not leak either (client assertions, any JWT or private key in a log). */
const GENERIC_LEAKS: readonly [string, RegExp][] = [
  ["a JWT", /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ["a PEM private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
];
const genericFindings: string[] = [];
const runs: { name: string; result: ChildResult }[] = [];
const nullLogger = (_e: LogEvent) => {};

let home: string;
let work: string;
let env: Record<string, string>;
let oci: OciEmulator;
let ociFlags: string[];
let idcs: CanaryDomain;
let idcsFlags: string[];
let huawei: HuaweiCanaryEmulator;
let huaweiWhere: string[];
let intersight: Awaited<ReturnType<typeof intersightCanaryEmulator>>;
let intersightFlags: string[];
let oauth2: Oauth2CanaryServer;

async function secretFile(name: string, content: string): Promise<string> {
  const path = join(work, name);
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}

/** Runs a command and records what it printed; `reveals` when the user asked for the value on stdout. */
async function cli(name: string, args: readonly string[], options: { reveals?: boolean; stdin?: string; extraEnv?: Record<string, string> } = {}): Promise<ChildResult> {
  const result = await runTokenmint([...args, "--debug"], { env: { ...env, ...options.extraEnv }, stdin: options.stdin });
  runs.push({ name, result });
  config.observeText(`${name}: stdout`, result.stdout);
  config.observeText(`${name}: stderr`, result.stderr);
  issued.observeText(`${name}: stderr`, result.stderr);
  if (!options.reveals) issued.observeText(`${name}: stdout`, result.stdout);
  for (const [what, pattern] of GENERIC_LEAKS) {
    if (pattern.test(result.stderr)) genericFindings.push(`${name}: ${what} in stderr`);
    if (!options.reveals && pattern.test(result.stdout)) genericFindings.push(`${name}: ${what} in stdout`);
  }
  return result;
}

/** Registers the issued values a revealing command printed (json), so later output is checked for them. */
function learnIssued(result: ChildResult): void {
  const start = result.stdout.indexOf("{");
  if (start < 0) return;
  try {
    const json = JSON.parse(result.stdout.slice(start)) as Record<string, unknown>;
    for (const key of ["value", "refreshToken", "privateKey"]) if (typeof json[key] === "string") issued.add(json[key], `issued ${key}`);
  } catch {
    // Not JSON (raw/env formats): the caller registers from the emulator instead.
  }
}

/** Runs `tokenmint emulate` until it has printed its endpoints, then stops it with SIGINT, as a user would. */
function emulateUntilReady(args: readonly string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TOKENMINT_BIN, ...args], { cwd: PROOF_DIR, env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    let stopping = false;
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      // Running once this line is printed (its signal handlers are installed before anything starts).
      if (!stopping && stderr.includes("Ctrl-C to stop")) {
        stopping = true;
        child.kill("SIGINT");
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const inject = (server: { faults: { inject(f: Fault): unknown } }, fault: Fault) => server.faults.inject(fault);

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "tokenmint-proof-home-"));
  work = await mkdtemp(join(tmpdir(), "tokenmint-proof-work-"));
  const cacheKey = config.mint("CACHEKEY");
  env = { HOME: home, XDG_CACHE_HOME: join(home, ".cache"), TOKENMINT_CACHE_KEY: cacheKey };

  // OCI: an encrypted API key with a canary pass phrase, given by flags and by ~/.oci/config.
  oci = await startOci();
  const pair = await generate("rsa", { modulusLength: 2048 });
  const passphrase = config.mint("OCIPASS");
  config.addPem(pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), "oci API key");
  const encrypted = pair.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase }).toString();
  config.addPem(encrypted, "oci API key (encrypted)");
  const user = await oci.addUser({ publicKeyPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString() });
  const keyFile = await secretFile("oci_api_key.pem", encrypted);
  ociFlags = ["--endpoint", oci.url, "--tenancy", oci.credentials.tenancy, "--user", user.user, "--fingerprint", user.fingerprint, "--key-file", keyFile, "--pass-phrase-file", await secretFile("oci_pass", passphrase)];
  await mkdir(join(home, ".oci"), { recursive: true, mode: 0o700 });
  await writeFile(join(home, ".oci", "config"), `[DEFAULT]\ntenancy=${oci.credentials.tenancy}\nuser=${user.user}\nfingerprint=${user.fingerprint}\nkey_file=${keyFile}\npass_phrase=${passphrase}\nregion=us-ashburn-1\n`, { mode: 0o600 });

  // IDCS: an app with a canary client secret, key and certificate; a user with a canary password.
  idcs = await canaryDomain(config);
  idcsFlags = ["--domain-url", idcs.emu.url, "--client-id", idcs.clientId, "--client-secret-file", await secretFile("idcs_secret", idcs.clientSecret)];

  // Huawei: canary AK, SK and security token, from the environment (the SDKs' variable names).
  huawei = await huaweiCanaryEmulator(config, "temporary", nullLogger);
  const where = huawei.emu.addTenant();
  huaweiWhere = ["--endpoint", huawei.emu.url, "--identity-store-id", where.identityStoreId, "--tenant-id", where.tenantId];
  env["HUAWEICLOUD_SDK_AK"] = huawei.credentials.accessKey;
  env["HUAWEICLOUD_SDK_SK"] = huawei.credentials.secretKey;
  env["HUAWEICLOUD_SDK_SECURITY_TOKEN"] = huawei.credentials.securityToken!;

  // Intersight: a generated API key (canary PEM) in a file.
  intersight = await intersightCanaryEmulator(config, nullLogger);
  intersightFlags = ["--endpoint", intersight.emu.url, "--key-id", intersight.emu.credentials.rsa.keyId, "--key-file", await secretFile("intersight.pem", intersight.emu.credentials.rsa.privateKeyPem)];

  // OAuth2: a client secret, a client key and a user password that are canaries.
  oauth2 = await oauth2CanaryServer(config);
}, 60_000);

afterAll(async () => {
  await Promise.all([oci?.close(), idcs?.emu.close(), huawei?.emu.close(), intersight?.emu.close(), oauth2?.emu.close()]);
  await rm(home, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe("secret canaries through every CLI command with --debug", () => {
  it("oci: issue (flags, ~/.oci/config, cache, --save, raw) and refused credentials", async () => {
    const json = await cli("issue oci --format json (flags)", ["issue", "oci", ...ociFlags, "--format", "json"], { reveals: true });
    expect(json.code, json.stderr).toBe(0);
    learnIssued(json);
    const cached = await cli("issue oci again (from the encrypted cache)", ["issue", "oci", ...ociFlags, "--format", "json"], { reveals: true });
    expect(cached.code, cached.stderr).toBe(0);
    expect(cached.stderr).toContain("cached");
    const fromConfig = await cli("issue oci (~/.oci/config) --no-cache", ["issue", "oci", "--endpoint", oci.url, "--no-cache"], { reveals: true });
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    learnIssued(fromConfig);
    const saveDir = join(work, "db-token");
    const raw = await cli("issue oci --save --format raw", ["issue", "oci", ...ociFlags, "--save", "--save-dir", saveDir, "--format", "raw", "--no-cache"], { reveals: true });
    expect(raw.code, raw.stderr).toBe(0);
    issued.add(raw.stdout.trim(), "issued oci token (raw)");
    const saved = await filesUnder(saveDir);
    expect(saved.length).toBe(3);
    for (const file of saved) {
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      if (file.endsWith("oci_db_key.pem")) issued.addPem(await readFile(file, "utf8"), "issued oci key");
      config.observeText(`saved ${file}`, await readFile(file, "utf8"));
    }
    // Refused credentials; every fault of the matrix is run through the CLI in cli-faults.test.ts.
    inject(oci.server, { route: "generateScopedAccessToken", kind: "status", status: 401, body: { code: "NotAuthenticated", message: "The required information to complete authentication was not provided." } });
    const refused = await cli("issue oci x 401", ["issue", "oci", ...ociFlags, "--no-cache", "--timeout", "1"]);
    expect(refused.code, refused.stderr).toBe(4);
    oci.server.faults.clear();
  });

  it("idcs: issue with every grant (secret file, stdin, inline, private key), decode, verify, and a wrong password", async () => {
    const alice = ["--grant", "password", "--username", idcs.username, "--password-file", await secretFile("idcs_password", idcs.password), "--audience", idcs.audience, "--scope", "orders.read"];
    const outDir = join(work, "tok");
    await mkdir(outDir, { recursive: true });
    const tok = await cli("issue idcs password --format tok --out dir", ["issue", "idcs", ...idcsFlags, ...alice, "--include-refresh-token", "--format", "tok", "--out", outDir, "--no-cache"]);
    expect(tok.code, tok.stderr).toBe(0);
    const tokFile = join(outDir, "tokens.tok");
    const tokText = await readFile(tokFile, "utf8");
    const tokJson = JSON.parse(tokText) as { app_access_token: string; app_refresh_token: string };
    issued.add(tokJson.app_access_token, "issued idcs access token");
    issued.add(tokJson.app_refresh_token, "issued idcs refresh token");
    config.observeText("tokens.tok", tokText);
    expect((await stat(tokFile)).mode & 0o777).toBe(0o600);

    const refreshed = await cli("issue idcs refresh_token --tokens-file, secret on stdin", ["issue", "idcs", "--domain-url", idcs.emu.url, "--client-id", idcs.clientId, "--client-secret-stdin", "--grant", "refresh_token", "--tokens-file", tokFile, "--format", "json", "--no-cache"], { reveals: true, stdin: idcs.clientSecret });
    expect(refreshed.code, refreshed.stderr).toBe(0);
    learnIssued(refreshed);
    const keyFile = await secretFile("idcs_app.pem", idcs.privateKeyPem);
    const jwt = await cli("issue idcs jwt_bearer private_key_jwt --format env", ["issue", "idcs", "--domain-url", idcs.emu.url, "--client-id", idcs.clientId, "--client-auth", "private_key_jwt", "--private-key-file", keyFile, "--key-id", idcs.keyId, "--grant", "jwt_bearer", "--user", idcs.username, "--audience", idcs.audience, "--scope", "orders.read", "--format", "env", "--no-cache"], { reveals: true });
    expect(jwt.code, jwt.stderr).toBe(0);
    const inline = await cli("issue idcs client_credentials, secret inline", ["issue", "idcs", "--domain-url", idcs.emu.url, "--client-id", idcs.clientId, "--client-secret", idcs.clientSecret, "--role", "Me", "--format", "raw", "--no-cache"], { reveals: true });
    expect(inline.code, inline.stderr).toBe(0);
    expect(inline.stderr).toMatch(/command line/);
    issued.add(inline.stdout.trim(), "issued idcs token (raw)");

    const decoded = await cli("decode tokens.tok", ["decode", tokFile]);
    expect(decoded.code, decoded.stderr).toBe(0);
    expect(decoded.stdout).toContain("orders.read");
    const verified = await cli("verify tokens.tok", ["verify", tokFile, "--jwks", idcs.emu.credentials.jwksUri, "--issuer", idcs.emu.credentials.issuer, "--audience", idcs.audience]);
    expect(verified.code, verified.stderr).toBe(0);

    // Canary-bearing tokens from the emulator itself (the kit's body fault replaces its answer).
    const canaryAccess = issued.mint("IDCSACCESS");
    const canaryRefresh = issued.mint("IDCSREFRESH");
    idcs.emu.server.faults.inject({ route: "token", kind: "body", body: { access_token: canaryAccess, refresh_token: canaryRefresh, token_type: "Bearer", expires_in: 3600 } });
    const canaryDir = join(work, "tok-canary");
    await mkdir(canaryDir, { recursive: true });
    const canaryTok = await cli("issue idcs (canary tokens) --format tok --out dir", ["issue", "idcs", ...idcsFlags, ...alice, "--include-refresh-token", "--format", "tok", "--out", canaryDir]);
    expect(canaryTok.code, canaryTok.stderr).toBe(0);
    expect(await readFile(join(canaryDir, "tokens.tok"), "utf8")).toContain(canaryAccess);
    const again = await cli("issue idcs (canary tokens, now from the encrypted cache) --format json", ["issue", "idcs", ...idcsFlags, ...alice, "--include-refresh-token", "--format", "json"], { reveals: true });
    expect(again.stdout).toContain(canaryAccess);

    const wrong = await cli("issue idcs with a wrong (canary) password", ["issue", "idcs", ...idcsFlags, "--grant", "password", "--username", idcs.username, "--password-file", await secretFile("wrong_password", config.mint("WRONGPASSWORD")), "--no-cache"]);
    expect(wrong.code).toBe(4);
  });

  it("huaweicloud: issue, list, revoke, and refusals (env credentials with a security token)", async () => {
    const created = await cli("issue huaweicloud --format json", ["issue", "huaweicloud", ...huaweiWhere, "--format", "json"], { reveals: true });
    expect(created.code, created.stderr).toBe(0);
    learnIssued(created);
    const id = (JSON.parse(created.stdout) as { id: string }).id;
    const listed = await cli("list huaweicloud", ["list", "huaweicloud", ...huaweiWhere]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(id);
    const revoked = await cli("revoke huaweicloud", ["revoke", "huaweicloud", id, ...huaweiWhere]);
    expect(revoked.code, revoked.stderr).toBe(0);
    // Refusals (every fault of the matrix is run through the CLI in cli-faults.test.ts): a Retry-After
    // longer than the client waits, a 403 with its encoded authorization message, refused credentials on
    // the listing a create starts with.
    const faults: Fault[] = [
      { route: "createBearerToken", kind: "status", status: 429, retryAfter: 200 },
      { route: "createBearerToken", kind: "status", status: 403, body: { error_code: "IdentityCenter.1000", error_msg: "No permission", encoded_authorization_message: "EMU1.e30" } },
      { route: "listBearerTokens", kind: "status", status: 401, body: { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information: verify aksk signature fail" }, times: 10 },
    ];
    for (const fault of faults) {
      huawei.emu.server.faults.inject(fault);
      const failed = await cli(`issue huaweicloud x ${fault.kind} ${fault.kind === "status" ? fault.status : ""}`, ["issue", "huaweicloud", ...huaweiWhere, "--timeout", "5"]);
      expect(failed.code, `${fault.kind}: ${failed.stderr}`).not.toBe(0);
      huawei.emu.server.faults.clear();
    }
    for (const t of huawei.emu.listTokens(huaweiWhere[3]!, huaweiWhere[5]!)) issued.add(t.value, "huawei stored token");
  });

  it("intersight: list, revoke one, revoke matching (dry run and real), and refused credentials", async () => {
    const login = intersight.emu.login({ clientName: "proof-canary" });
    const listed = await cli("list intersight", ["list", "intersight", ...intersightFlags, "--client-name", "proof-canary"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(login.Moid);
    const dry = await cli("revoke intersight --dry-run", ["revoke", "intersight", ...intersightFlags, "--client-name", "proof-canary", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    const one = await cli("revoke intersight <moid>", ["revoke", "intersight", login.Moid, ...intersightFlags]);
    expect(one.code, one.stderr).toBe(0);
    intersight.emu.login({ clientName: "proof-canary-2" });
    const matching = await cli("revoke intersight --client-name", ["revoke", "intersight", ...intersightFlags, "--client-name", "proof-canary-2"]);
    expect(matching.code, matching.stderr).toBe(0);
    // Refused credentials; every fault of the matrix is run through the CLI in cli-faults.test.ts.
    intersight.emu.server.faults.inject({ route: "GetIamOAuthTokenList", kind: "status", status: 401, body: { code: "InvalidRequest", message: "Authentication failed" } });
    const refused = await cli("list intersight x 401", ["list", "intersight", ...intersightFlags, "--timeout", "1"]);
    expect(refused.code, refused.stderr).toBe(4);
    intersight.emu.server.faults.clear();
  });

  it("oauth2: issue with every grant and client authentication (secret file, stdin, inline, environment, client_secret_jwt, key file), revoke, decode, verify, and refusals", async () => {
    const o = oauth2;
    const secretFlags = ["--issuer", o.emu.url, "--client-id", o.secretClientId, "--client-secret-file", await secretFile("oauth2_secret", o.clientSecret)];
    const keyFile = await secretFile("oauth2_client.pem", o.privateKeyPem);
    const keyFlags = ["--issuer", o.emu.url, "--client-id", o.keyClientId, "--private-key-file", keyFile, "--key-id", o.keyId];
    const alice = ["--grant", "password", "--username", o.username, "--password-file", await secretFile("oauth2_password", o.password), "--scope", "read,write", "--resource", o.api];

    const json = await cli("issue oauth2 client_credentials --format json", ["issue", "oauth2", ...secretFlags, "--scope", "read", "--resource", o.api, "--format", "json"], { reveals: true });
    expect(json.code, json.stderr).toBe(0);
    learnIssued(json);
    const cached = await cli("issue oauth2 again (from the encrypted cache)", ["issue", "oauth2", ...secretFlags, "--scope", "read", "--resource", o.api, "--format", "json"], { reveals: true });
    expect(cached.code, cached.stderr).toBe(0);
    expect(cached.stderr).toContain("cached");
    const stdin = await cli("issue oauth2 client_secret_post, secret on stdin --format raw", ["issue", "oauth2", "--issuer", o.emu.url, "--client-id", o.secretClientId, "--client-secret-stdin", "--client-auth", "client_secret_post", "--format", "raw", "--no-cache"], { reveals: true, stdin: o.clientSecret });
    expect(stdin.code, stdin.stderr).toBe(0);
    issued.add(stdin.stdout.trim(), "issued oauth2 token (raw)");
    const inline = await cli("issue oauth2, secret inline", ["issue", "oauth2", "--issuer", o.emu.url, "--client-id", o.secretClientId, "--client-secret", o.clientSecret, "--format", "raw", "--no-cache"], { reveals: true });
    expect(inline.code, inline.stderr).toBe(0);
    expect(inline.stderr).toMatch(/command line/);
    issued.add(inline.stdout.trim(), "issued oauth2 token (raw)");
    const fromEnv = await cli("issue oauth2, everything from OAUTH2_* variables", ["issue", "oauth2", "--format", "json", "--no-cache"], {
      reveals: true,
      extraEnv: { OAUTH2_ISSUER: o.emu.url, OAUTH2_CLIENT_ID: o.secretClientId, OAUTH2_CLIENT_SECRET: o.clientSecret },
    });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    learnIssued(fromEnv);
    const secretJwt = await cli("issue oauth2 client_credentials client_secret_jwt (HMAC assertion keyed with the secret)", ["issue", "oauth2", ...secretFlags, "--client-auth", "client_secret_jwt", "--scope", "read", "--format", "json", "--no-cache"], { reveals: true });
    expect(secretJwt.code, secretJwt.stderr).toBe(0);
    learnIssued(secretJwt);
    const keyJwt = await cli("issue oauth2 client_credentials private_key_jwt --format env", ["issue", "oauth2", ...keyFlags, "--scope", "read", "--format", "env", "--no-cache"], { reveals: true });
    expect(keyJwt.code, keyJwt.stderr).toBe(0);
    issued.add(/TOKENMINT_TOKEN='([^']+)'/.exec(keyJwt.stdout)?.[1], "issued oauth2 token (env)");

    // The password grant to an --out file; the refresh token it holds, refreshed, and its access token exchanged, decoded and verified.
    const outFile = join(work, "oauth2-token.json");
    const out = await cli("issue oauth2 password --out file", ["issue", "oauth2", ...secretFlags, ...alice, "--out", outFile, "--no-cache"]);
    expect(out.code, out.stderr).toBe(0);
    const outText = await readFile(outFile, "utf8");
    const outJson = JSON.parse(outText) as { value: string; refreshToken: string };
    expect(typeof outJson.value === "string" && typeof outJson.refreshToken === "string").toBe(true);
    issued.add(outJson.value, "issued oauth2 access token (--out)");
    issued.add(outJson.refreshToken, "issued oauth2 refresh token (--out)");
    config.observeText("oauth2 --out file", outText);
    expect((await stat(outFile)).mode & 0o777).toBe(0o600);
    const refreshFile = await secretFile("oauth2_refresh", outJson.refreshToken);
    const refreshed = await cli("issue oauth2 refresh_token --refresh-token-file", ["issue", "oauth2", ...secretFlags, "--grant", "refresh_token", "--refresh-token-file", refreshFile, "--format", "json", "--no-cache"], { reveals: true });
    expect(refreshed.code, refreshed.stderr).toBe(0);
    learnIssued(refreshed);
    const subjectFile = await secretFile("oauth2_subject", outJson.value);
    const exchanged = await cli("issue oauth2 token_exchange private_key_jwt --subject-token-file", ["issue", "oauth2", ...keyFlags, "--grant", "token_exchange", "--subject-token-file", subjectFile, "--audience", o.reports, "--format", "json", "--no-cache"], { reveals: true });
    expect(exchanged.code, exchanged.stderr).toBe(0);
    learnIssued(exchanged);

    const decoded = await cli("decode an oauth2 access token from stdin", ["decode", "-"], { stdin: outJson.value });
    expect(decoded.code, decoded.stderr).toBe(0);
    const verified = await cli("verify an oauth2 access token from stdin against its JWKS", ["verify", "-", "--jwks", `${o.emu.url}/jwks`, "--issuer", o.emu.url, "--audience", o.api], { stdin: outJson.value });
    expect(verified.code, verified.stderr).toBe(0);

    // Revocation: a dry run from stdin, the refresh token from a file (ends the grant), and a token on the command line refused without repeating it.
    const rotated = JSON.parse(refreshed.stdout) as { refreshToken: string };
    const dry = await cli("revoke oauth2 --token-stdin --dry-run", ["revoke", "oauth2", ...secretFlags, "--token-stdin", "--dry-run"], { stdin: rotated.refreshToken });
    expect(dry.code, dry.stderr).toBe(0);
    const revoked = await cli("revoke oauth2 --token-file --token-type-hint refresh_token", ["revoke", "oauth2", ...secretFlags, "--token-file", await secretFile("oauth2_rotated", rotated.refreshToken), "--token-type-hint", "refresh_token"]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(o.emu.directory.refreshTokens.get(rotated.refreshToken)?.active).toBe(false);
    const onCommandLine = await cli("revoke oauth2 <token> (refused)", ["revoke", "oauth2", ...secretFlags, rotated.refreshToken]);
    expect(onCommandLine.code).toBe(2);

    // Canary-bearing tokens from the emulator itself (the kit's body fault replaces its answer), then from the encrypted cache.
    const canaryAccess = issued.mint("OAUTH2ACCESS");
    const canaryRefresh = issued.mint("OAUTH2REFRESH");
    o.emu.server.faults.inject({ route: "token", kind: "body", body: { access_token: canaryAccess, refresh_token: canaryRefresh, token_type: "Bearer", expires_in: 3600 } });
    const canaryFile = join(work, "oauth2-canary-token.json");
    const canaryOut = await cli("issue oauth2 (canary tokens) --out file", ["issue", "oauth2", ...secretFlags, ...alice, "--out", canaryFile]);
    expect(canaryOut.code, canaryOut.stderr).toBe(0);
    expect(await readFile(canaryFile, "utf8")).toContain(canaryAccess);
    const again = await cli("issue oauth2 (canary tokens, now from the encrypted cache) --format json", ["issue", "oauth2", ...secretFlags, ...alice, "--format", "json"], { reveals: true });
    expect(again.stdout).toContain(canaryAccess);

    // Refusals carrying secrets: a wrong (canary) password, a wrong (canary) client secret, an unregistered key.
    const wrongPassword = await cli("issue oauth2 with a wrong (canary) password", ["issue", "oauth2", ...secretFlags, "--grant", "password", "--username", o.username, "--password-file", await secretFile("oauth2_wrong_password", config.mint("OAUTH2WRONGPASSWORD")), "--no-cache"]);
    expect(wrongPassword.code).toBe(4);
    const wrongSecret = await cli("issue oauth2 with a wrong (canary) client secret", ["issue", "oauth2", "--issuer", o.emu.url, "--client-id", o.secretClientId, "--client-secret-file", await secretFile("oauth2_wrong_secret", config.mint("OAUTH2WRONGSECRET")), "--no-cache"]);
    expect(wrongSecret.code).toBe(4);
    const otherKey = (await generate("rsa", { modulusLength: 2048 })).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    config.addPem(otherKey, "oauth2 unregistered key");
    const wrongKey = await cli("issue oauth2 private_key_jwt with an unregistered key", ["issue", "oauth2", "--issuer", o.emu.url, "--client-id", o.keyClientId, "--private-key-file", await secretFile("oauth2_other.pem", otherKey), "--key-id", o.keyId, "--no-cache"]);
    expect(wrongKey.code).toBe(4);
    for (const t of o.emu.directory.refreshTokens.keys()) issued.add(t, "oauth2 stored refresh token");
  });

  it("providers, emulate and demo", async () => {
    const providers = await cli("providers --json", ["providers", "--json"]);
    expect(providers.code, providers.stderr).toBe(0);
    for (const id of ["oci", "idcs", "huaweicloud", "intersight", "oauth2"]) expect(providers.stdout).toContain(`"id":"${id}"`);
    const emulate = await emulateUntilReady(["emulate", "--providers", "oci,huaweicloud,intersight,idcs,oauth2", "--json", "--debug"]);
    runs.push({ name: "emulate --debug", result: emulate });
    expect(emulate.code, emulate.stderr).toBe(0);
    expect(Object.keys((JSON.parse(emulate.stdout) as { emulators: object }).emulators).sort()).toEqual(["huaweicloud", "idcs", "intersight", "oauth2", "oci"]);
    expect(emulate.stderr).toContain("emulators stopped");
    const demo = await runTokenmint(["demo", "--debug"], { env, timeoutMs: 60_000 });
    runs.push({ name: "demo --debug", result: demo });
    expect(demo.code, demo.stderr).toBe(0);
    for (const id of ["oci", "idcs", "huaweicloud", "intersight", "oauth2"]) expect(demo.stdout + demo.stderr).toContain(`(${id}), emulator at`);
    // The demo's secrets are its emulators' own: no JWT or private key may show in what it prints.
    for (const [what, pattern] of GENERIC_LEAKS) expect(pattern.test(demo.stdout + demo.stderr), `${what} in the demo's output`).toBe(false);
  });

  it("every file left in HOME (the encrypted token cache) holds no secret, and stdout/stderr hold none where not asked", async () => {
    const files = await filesUnder(home);
    expect(files.some((f) => f.includes(join(".cache", "tokenmint")))).toBe(true);
    for (const file of files) {
      const text = await readFile(file, "utf8");
      config.observeText(`file ${file}`, text);
      if (!file.endsWith(join(".oci", "config"))) issued.observeText(`file ${file}`, text);
    }
    // ~/.oci/config holds the pass phrase because we wrote it there; it is input, not output.
    const configFindings = config.findings().filter((f) => !(f.where.endsWith(join(".oci", "config")) && f.label === "OCIPASS"));
    expect(runs.length).toBeGreaterThan(30);
    expect(config.size).toBeGreaterThan(10);
    expect(issued.size).toBeGreaterThan(5);
    expect(configFindings).toEqual([]);
    expect(issued.findings()).toEqual([]);
    expect(genericFindings).toEqual([]);
  });

  it("the scanner itself finds a leak (a check that cannot fail proves nothing)", () => {
    const probe = new CanaryRegistry();
    const value = probe.mint("PROBE");
    const error = new Error("outer", { cause: new Error(`inner ${value}`) });
    probe.observe("error with a cause", error);
    probe.observe("a Secret", new Secret(value));
    expect([...new Set(probe.findings().map((f) => f.where))]).toEqual(["error with a cause"]);
  });
});
