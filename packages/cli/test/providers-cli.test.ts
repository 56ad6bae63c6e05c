// Every installed provider through the real `tokenmint` binary, as a user runs it: `tokenmint emulate`
// in one child process, and each command in another, with credentials from the emulate document.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runTokenmint } from "./cli-helpers.js";

interface Emulated {
  url: string;
  credentials: Record<string, unknown>;
}
let emulate: ChildProcess;
let emulators: Record<string, Emulated>;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tokenmint-providers-cli-"));
  emulate = spawn(process.execPath, [BIN, "emulate", "--json"], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1" } });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = "";
    emulate.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      if (buf.includes("\n")) resolve(buf.split("\n")[0]!);
    });
    emulate.on("exit", (code) => reject(new Error(`emulate exited with ${code}`)));
    setTimeout(() => reject(new Error("emulate printed nothing")), 20_000);
  });
  emulators = (JSON.parse(line) as { emulators: Record<string, Emulated> }).emulators;
});
afterAll(async () => {
  if (emulate && emulate.exitCode === null) {
    emulate.kill("SIGTERM");
    await new Promise((r) => emulate.on("close", r));
  }
});

const cred = (provider: string) => emulators[provider]!.credentials as Record<string, Record<string, string> & string>;
async function secretFile(name: string, value: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, value, { mode: 0o600 });
  return path;
}

describe("tokenmint with every provider against `tokenmint emulate`", () => {
  it("lists the four providers with their capabilities and emulators", async () => {
    const r = await runTokenmint(["providers", "--json"]);
    const ids = r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { id: string; emulator: boolean }).id);
    expect(ids).toEqual(expect.arrayContaining(["huaweicloud", "idcs", "intersight", "oci"]));
    expect(Object.keys(emulators)).toEqual(expect.arrayContaining(["huaweicloud", "idcs", "intersight", "oci"]));
  });

  it("oci: issues a database token with a generated key and saves it like `oci iam db-token get`", async () => {
    const c = cred("oci");
    const keyFile = await secretFile("oci_api_key.pem", String(c["privateKeyPem"]));
    const saveDir = join(dir, "db-token");
    const r = await runTokenmint(["issue", "oci", "--endpoint", emulators["oci"]!.url, "--tenancy", String(c["tenancy"]), "--user", String(c["user"]), "--fingerprint", String(c["fingerprint"]), "--key-file", keyFile, "--region", "us-ashburn-1", "--scope", "urn:oracle:db::id::*", "--save", "--save-dir", saveDir]);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    const token = JSON.parse(r.stdout) as { value: string; privateKey: string; scopes: { raw: string }[] };
    expect(token.scopes[0]!.raw).toBe("urn:oracle:db::id::*");
    expect(token.privateKey).toContain("BEGIN PRIVATE KEY");
    const files = (await readdir(saveDir)).sort();
    expect(files).toEqual(expect.arrayContaining(["oci_db_key.pem", "token"]));
    for (const f of files) expect((await stat(join(saveDir, f))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(saveDir, "token"), "utf8")).trim()).toBe(token.value);
    const bad = await runTokenmint(["issue", "oci", "--endpoint", emulators["oci"]!.url, "--tenancy", String(c["tenancy"]), "--user", String(c["user"]), "--fingerprint", String(c["fingerprint"]), "--key-file", keyFile, "--region", "us-ashburn-1", "--scope", "urn:oracle:db::id::not-an-ocid"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid_scope");
  });

  it("idcs: password grant to a tokens.tok file, then decode and verify it against the domain's JWKS", async () => {
    const c = cred("idcs");
    const app = c["secretApp"] as unknown as { clientId: string; clientSecret: string };
    const alice = (c["users"] as unknown as Record<string, { username: string; password: string }>)["alice"]!;
    const secret = await secretFile("idcs-secret", app.clientSecret);
    const tokDir = join(dir, "downloads");
    await import("node:fs/promises").then((fs) => fs.mkdir(tokDir));
    const args = ["issue", "idcs", "--domain-url", String(c["domainUrl"]), "--client-id", app.clientId, "--client-secret-file", secret, "--grant", "password", "--username", alice.username, "--password-stdin", "--scope", "urn:opc:idm:t.user.me", "--format", "tok", "--out", tokDir];
    for (let i = 0; i < 2; i++) {
      const r = await runTokenmint(args, { stdin: `${alice.password}\n` });
      expect(r.stderr).not.toContain("error:");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ provider: "idcs", value: "[REDACTED]", file: join(tokDir, i === 0 ? "tokens.tok" : "tokens1.tok") });
    }
    expect((await readdir(tokDir)).sort()).toEqual(["tokens.tok", "tokens1.tok"]);
    // Written by provider-idcs's writer through its declared format: the console's compact JSON, 0600.
    for (const name of ["tokens.tok", "tokens1.tok"]) {
      const text = await readFile(join(tokDir, name), "utf8");
      expect(text).toMatch(/^\{"app_access_token":"[\w-]+\.[\w-]+\.[\w-]+"\}$/);
      expect((await stat(join(tokDir, name))).mode & 0o777).toBe(0o600);
    }
    // --out naming a file: that file, in the same format; never replaced without --force.
    const single = join(dir, "mine.tok");
    const toFile = [...args.slice(0, -1), single];
    expect((await runTokenmint(toFile, { stdin: `${alice.password}\n` })).code).toBe(0);
    expect(JSON.parse(await readFile(single, "utf8"))).toEqual({ app_access_token: expect.stringMatching(/^ey/) });
    expect((await runTokenmint(toFile, { stdin: `${alice.password}\n` })).code).toBe(8);
    // decode reads a .tok through provider-idcs's reader too: a file that is not the console's format is
    // a configuration error naming the file, not a crash.
    expect(JSON.parse((await runTokenmint(["decode", single])).stdout).claims.sub).toBe(alice.username);
    const notTok = await secretFile("broken.tok", "{not json");
    const broken = await runTokenmint(["decode", notTok]);
    expect(broken.code).toBe(3);
    expect(broken.stderr).toContain(`${notTok}: not JSON`);
    const help = await runTokenmint(["issue", "idcs", "--help"]);
    expect(help.stdout).toMatch(/idcs file formats:\n +--format tok +the console's Download Token file/);
    const decoded = await runTokenmint(["decode", join(tokDir, "tokens1.tok")]);
    expect(JSON.parse(decoded.stdout).claims.scope).toContain("urn:opc:idm:t.user.me");
    const verified = await runTokenmint(["verify", join(tokDir, "tokens.tok"), "--jwks", String(c["jwksUri"]), "--issuer", String(c["issuer"])]);
    expect(verified.code).toBe(0);
    const wrongPassword = await runTokenmint(args.slice(0, -4), { stdin: "not-the-password\n" });
    expect(wrongPassword.code).toBe(4);
    expect(wrongPassword.stderr).toContain("invalid_grant");
    expect(wrongPassword.stderr).not.toContain("not-the-password");
  });

  it("huaweicloud: create, list, revoke; a member account's 403 shows the encoded authorization message", async () => {
    const c = cred("huaweicloud");
    const admin = c["management"] as unknown as { accessKey: string; secretKey: string };
    const where = ["--endpoint", String(c["endpoint"]), "--region", String(c["region"]), "--identity-store-id", String(c["identityStoreId"]), "--tenant-id", String(c["tenantId"])];
    const env = { HUAWEICLOUD_SDK_AK: admin.accessKey, HUAWEICLOUD_SDK_SK: admin.secretKey };
    const created = await runTokenmint(["issue", "huaweicloud", ...where], { env });
    expect(created.code).toBe(0);
    const token = JSON.parse(created.stdout) as { id: string; value: string };
    const listed = await runTokenmint(["list", "huaweicloud", ...where], { env });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(token.id);
    expect(listed.stdout).not.toContain(token.value);
    const revoked = await runTokenmint(["revoke", "huaweicloud", token.id, ...where], { env });
    expect(revoked.code).toBe(0);
    expect((await runTokenmint(["revoke", "huaweicloud", token.id, ...where], { env })).code).toBe(5);
    const member = c["nonAdmin"] as unknown as { accessKey: string; secretKey: string };
    const denied = await runTokenmint(["issue", "huaweicloud", ...where], { env: { HUAWEICLOUD_SDK_AK: member.accessKey, HUAWEICLOUD_SDK_SK: member.secretKey } });
    expect(denied.code).toBe(4);
    expect(denied.stderr).toContain("encoded authorization message");
    expect(denied.stderr).not.toContain(member.secretKey);
  });

  it("huaweicloud: a created token that arrives already expired is never printed; its id is, to revoke it", async () => {
    // Its own emulator, in this process, to inject the fault: a server clock 10 minutes behind, 1-minute tokens.
    const { startEmulator } = await import("@tokenmint/provider-huaweicloud/emulator");
    const emu = await startEmulator({ tokenLifetimeMs: 60_000 });
    try {
      const c = emu.credentials;
      const where = ["--endpoint", emu.url, "--identity-store-id", c.identityStoreId, "--tenant-id", c.tenantId];
      const env = { HUAWEICLOUD_SDK_AK: c.management.accessKey, HUAWEICLOUD_SDK_SK: c.management.secretKey };
      emu.server.faults.inject({ route: "createBearerToken", kind: "clock-skew", skewMs: -10 * 60_000 });
      const r = await runTokenmint(["issue", "huaweicloud", ...where], { env });
      const [made] = emu.listTokens(c.identityStoreId, c.tenantId);
      expect(made).toBeDefined();
      expect(r.code).toBe(7);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("invalid_response");
      expect(r.stderr).toContain("already expired");
      expect(r.stderr).toContain(`tokenmint revoke huaweicloud ${made!.tokenId}`);
      expect(r.stderr).not.toContain(made!.value);
      expect((await runTokenmint(["revoke", "huaweicloud", made!.tokenId, ...where], { env })).code).toBe(0);
      expect(emu.listTokens(c.identityStoreId, c.tenantId)).toEqual([]);
    } finally {
      await emu.close();
    }
  });

  it("intersight: filtered listing through every page and a bulk revoke dry run", async () => {
    const c = cred("intersight");
    const rsa = c["rsa"] as unknown as { keyId: string; privateKeyPem: string };
    const keyFile = await secretFile("intersight.pem", rsa.privateKeyPem);
    const auth = ["--endpoint", String(c["endpoint"]), "--key-id", rsa.keyId, "--key-file", keyFile];
    const all = await runTokenmint(["list", "intersight", ...auth, "--page-size", "7"]);
    expect(all.code).toBe(0);
    const records = all.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string; client?: string });
    expect(records.length).toBeGreaterThan(7);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    const client = records.find((r) => r.client)!.client!;
    const dry = await runTokenmint(["revoke", "intersight", ...auth, "--client-name", client, "--dry-run"]);
    expect(dry.code).toBe(0);
    const outcome = JSON.parse(dry.stdout.trim().split("\n").at(-1)!) as { dryRun: boolean; wouldRevoke: string[] };
    expect(outcome.dryRun).toBe(true);
    expect(outcome.wouldRevoke.length).toBeGreaterThan(0);
    const after = await runTokenmint(["list", "intersight", ...auth]);
    expect(after.stdout.trim().split("\n")).toHaveLength(records.length);
  });

  it("demo runs every provider's main flow green", async () => {
    const r = await runTokenmint(["demo"], { timeoutMs: 60_000 });
    expect(r.stdout).toMatch(/all \d+ provider flows passed/);
    for (const id of ["oci", "idcs", "huaweicloud", "intersight"]) expect(r.stdout).toContain(`(${id}), emulator at`);
    expect(r.code).toBe(0);
  });
});
