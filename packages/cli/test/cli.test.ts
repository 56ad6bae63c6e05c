import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ECHO_PLUGIN, runTokenmint } from "./cli-helpers.js";

// The echo plugin's emulator, started in this process; the CLI runs as a child process against it.
let emulator: { url: string; close(): Promise<void>; server: { count(route?: string): number; faults: { inject(fault: object): unknown } } };
let dir: string;

beforeAll(async () => {
  const mod = (await import(ECHO_PLUGIN)) as { startEmulator(): Promise<typeof emulator> };
  emulator = await mod.startEmulator();
  dir = await mkdtemp(join(tmpdir(), "tokenmint-cli-"));
});
afterAll(async () => emulator?.close());

const echo = () => ["--plugin", ECHO_PLUGIN, "--endpoint", emulator.url];
const env = () => ({ ECHO_SECRET: "echo-secret" });

describe("tokenmint CLI", () => {
  it("prints help and version, and fails usage with exit 2", async () => {
    const help = await runTokenmint(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Commands:");
    expect(help.stdout).toContain("Exit codes:");
    const version = await runTokenmint(["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = await runTokenmint(["frobnicate"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown command");
    expect(bad.stderr).not.toContain("    at ");
    const issueHelp = await runTokenmint(["issue", "echo", "--help", "--plugin", ECHO_PLUGIN]);
    expect(issueHelp.stdout).toContain("--endpoint");
    expect(issueHelp.stdout).toContain("--secret-file");
  });

  it("lists providers loaded with --plugin", async () => {
    const r = await runTokenmint(["providers", "--json", "--plugin", ECHO_PLUGIN]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string; capabilities: string[] });
    expect(rows.find((p) => p.id === "echo")?.capabilities).toEqual(["issue", "list", "revoke"]);
  });

  it("loads a provider's CLI module only when a command needs it, and names the provider when it fails", async () => {
    const broken = fileURLToPath(new URL("./fixtures/broken-cli-provider.mjs", import.meta.url));
    const other = await runTokenmint(["issue", "echo", ...echo(), "--plugin", broken, "--format", "raw"], { env: env() });
    expect(other.code, other.stderr).toBe(0);
    const own = await runTokenmint(["issue", "brokencli", "--plugin", broken]);
    expect(own.code).toBe(3);
    expect(own.stderr).toContain("provider brokencli");
    expect(own.stderr).toContain("cannot load its CLI: the CLI module is missing");
  });

  it("issues in every format, secrets from the environment", async () => {
    const json = await runTokenmint(["issue", "echo", ...echo()], { env: env() });
    expect(json.code).toBe(0);
    const token = JSON.parse(json.stdout) as { value: string; provider: string; expiresAt: string };
    expect(token.provider).toBe("echo");
    expect(token.value.split(".")).toHaveLength(3);
    const raw = await runTokenmint(["issue", "echo", ...echo(), "--format", "raw"], { env: env() });
    expect(raw.stdout.trim().split(".")).toHaveLength(3);
    const envOut = await runTokenmint(["issue", "echo", ...echo(), "--format", "env"], { env: env() });
    expect(envOut.stdout).toMatch(/^export TOKENMINT_TOKEN='ey/m);
  });

  it("warns when a secret is passed inline and reads it from a file or stdin instead", async () => {
    const inline = await runTokenmint(["issue", "echo", ...echo(), "--secret", "echo-secret", "--format", "raw"]);
    expect(inline.code).toBe(0);
    expect(inline.stderr).toContain("warning: --secret was given on the command line");
    const file = join(dir, "secret.txt");
    await writeFile(file, "echo-secret\n", { mode: 0o600 });
    const fromFile = await runTokenmint(["issue", "echo", ...echo(), "--secret-file", file, "--format", "raw"]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stderr).not.toContain("warning");
    const fromStdin = await runTokenmint(["issue", "echo", ...echo(), "--secret-stdin", "--format", "raw"], { stdin: "echo-secret\n" });
    expect(fromStdin.code).toBe(0);
  });

  it("maps provider refusals to exit codes with the provider's code, no stack trace", async () => {
    const r = await runTokenmint(["issue", "echo", ...echo()], { env: { ECHO_SECRET: "wrong-secret-CANARY" } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("invalid_credentials");
    expect(r.stderr).not.toContain("CANARY");
    expect(r.stderr).not.toContain("    at ");
    const debug = await runTokenmint(["issue", "echo", ...echo(), "--debug"], { env: { ECHO_SECRET: "wrong-secret-CANARY" } });
    expect(debug.stderr).toContain("    at ");
    expect(debug.stderr).not.toContain("CANARY");
    const missing = await runTokenmint(["issue", "nosuch", "--plugin", ECHO_PLUGIN]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("no provider \"nosuch\"");
  });

  it("writes --out files atomically with mode 0600 and never overwrites unless --force", async () => {
    const out = join(dir, "token.json");
    const first = await runTokenmint(["issue", "echo", ...echo(), "--out", out], { env: env() });
    expect(first.code).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(first.stdout).not.toMatch(/"value":\s*"ey/); // the value went to the file only
    const before = await readFile(out, "utf8");
    const second = await runTokenmint(["issue", "echo", ...echo(), "--out", out], { env: env() });
    expect(second.code).toBe(8);
    expect(await readFile(out, "utf8")).toBe(before);
    const forced = await runTokenmint(["issue", "echo", ...echo(), "--out", out, "--force"], { env: env() });
    expect(forced.code).toBe(0);
    expect(await readFile(out, "utf8")).not.toBe(before);
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writes a provider's own file format, named by the provider, and refuses a format the provider lacks before any call", async () => {
    // The echo plugin declares `jwt-file` (fixtures/echo-provider.mjs); `tok` is idcs's, not the CLI's.
    const calls = emulator.server.count("issue");
    const tok = await runTokenmint(["issue", "echo", ...echo(), "--format", "tok"], { env: env() });
    expect(tok.code).toBe(2);
    expect(tok.stderr).toContain("--format must be one of json, raw, env, jwt-file for echo");
    expect(emulator.server.count("issue")).toBe(calls);

    const outDir = await mkdtemp(join(tmpdir(), "tokenmint-format-"));
    for (let i = 0; i < 3; i++) {
      const r = await runTokenmint(["issue", "echo", ...echo(), "--format", "jwt-file", "--out", outDir], { env: env() });
      expect(r.code).toBe(0);
      // The value went to the file; stdout has the metadata and the file's path.
      expect(JSON.parse(r.stdout)).toMatchObject({ provider: "echo", value: "[REDACTED]", file: join(outDir, i === 0 ? "echo.jwt" : `echo-${i}.jwt`) });
    }
    expect((await readdir(outDir)).sort()).toEqual(["echo-1.jwt", "echo-2.jwt", "echo.jwt"]);
    expect((await stat(join(outDir, "echo-2.jwt"))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(outDir, "echo-1.jwt"), "utf8")).trim().split(".")).toHaveLength(3);
    // decode and verify read such a file through the format's `read`.
    const decoded = await runTokenmint(["decode", join(outDir, "echo-1.jwt"), "--plugin", ECHO_PLUGIN]);
    expect(JSON.parse(decoded.stdout).claims.sub).toBe("echo-user");
    const verified = await runTokenmint(["verify", join(outDir, "echo.jwt"), "--jwks", `${emulator.url}/jwks`, "--plugin", ECHO_PLUGIN]);
    expect(verified.code).toBe(0);
    const wrongAud = await runTokenmint(["verify", join(outDir, "echo.jwt"), "--jwks", `${emulator.url}/jwks`, "--audience", "someone-else", "--plugin", ECHO_PLUGIN]);
    expect(wrongAud.code).toBe(9);

    // No --out: the working directory, under the format's name.
    const cwd = await mkdtemp(join(tmpdir(), "tokenmint-format-cwd-"));
    expect((await runTokenmint(["issue", "echo", ...echo(), "--format", "jwt-file"], { env: env(), cwd })).code).toBe(0);
    expect(await readdir(cwd)).toEqual(["echo.jwt"]);

    // --out FILE: the format's content in that file, replaced only with --force, like every --out.
    const file = join(outDir, "mine.txt");
    expect((await runTokenmint(["issue", "echo", ...echo(), "--format", "jwt-file", "--out", file], { env: env() })).code).toBe(0);
    const first = await readFile(file, "utf8");
    expect(first.trim().split(".")).toHaveLength(3);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await runTokenmint(["issue", "echo", ...echo(), "--format", "jwt-file", "--out", file], { env: env() })).code).toBe(8);
    expect(await readFile(file, "utf8")).toBe(first);
    expect((await runTokenmint(["issue", "echo", ...echo(), "--format", "jwt-file", "--out", file, "--force"], { env: env() })).code).toBe(0);
    expect(await readFile(file, "utf8")).not.toBe(first);

    const help = await runTokenmint(["issue", "echo", "--help", "--plugin", ECHO_PLUGIN]);
    expect(help.stdout).toContain("echo file formats:");
    expect(help.stdout).toMatch(/--format jwt-file +the token alone/);
  });

  it("decodes and verifies from stdin", async () => {
    const raw = (await runTokenmint(["issue", "echo", ...echo(), "--format", "raw"], { env: env() })).stdout;
    const decoded = await runTokenmint(["decode", "-"], { stdin: raw });
    expect(decoded.code).toBe(0);
    expect(JSON.parse(decoded.stdout).header.kid).toBe("echo");
    const notJwt = await runTokenmint(["decode", "-"], { stdin: "garbage" });
    expect(notJwt.code).toBe(9);
    // An exp no Date can hold: a typed error, not a RangeError stack.
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const farFuture = await runTokenmint(["decode", "-"], { stdin: `${part({ alg: "none" })}.${part({ exp: 1e300 })}.` });
    expect(farFuture.stderr).toContain("the token's exp claim is not a time a date can hold");
    expect(farFuture.stderr).not.toContain("RangeError");
    expect(farFuture.code).not.toBe(0);
  });

  it("never prints a token expired on arrival, even from a plugin whose issue() does not check, with or without the cache", async () => {
    // The echo emulator's clock two hours behind: it signs tokens that expired an hour ago.
    for (const extra of [["--no-cache"], []]) {
      emulator.server.faults.inject({ route: "issue", kind: "clock-skew", skewMs: -2 * 3600_000, times: 1 });
      const r = await runTokenmint(["issue", "echo", ...echo(), "--format", "raw", ...extra], { env: { ...env(), XDG_CACHE_HOME: join(dir, "expired-cache") } });
      expect(r.code, r.stderr).not.toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("already expired");
    }
  });

  it("lists as JSON lines and revokes by id, with --dry-run", async () => {
    const issued = JSON.parse((await runTokenmint(["issue", "echo", ...echo()], { env: env() })).stdout) as { id: string };
    const list = await runTokenmint(["list", "echo", ...echo()], { env: env() });
    expect(list.code).toBe(0);
    const ids = list.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids).toContain(issued.id);
    const dry = await runTokenmint(["revoke", "echo", issued.id, ...echo(), "--dry-run"], { env: env() });
    expect(JSON.parse(dry.stdout)).toEqual({ dryRun: true, revoked: [], wouldRevoke: [issued.id] });
    const real = await runTokenmint(["revoke", "echo", issued.id, ...echo()], { env: env() });
    expect(JSON.parse(real.stdout).revoked).toEqual([issued.id]);
    const again = await runTokenmint(["revoke", "echo", issued.id, ...echo()], { env: env() });
    expect(again.code).toBe(5);
    // The id before the provider: a usage error that says the order, revoking nothing.
    const swapped = await runTokenmint(["revoke", issued.id, "echo", ...echo()], { env: env() });
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toContain(`the provider comes first: tokenmint revoke echo ${issued.id}`);
  });

  it("takes defaults from the config file profile", async () => {
    const cfgDir = await mkdtemp(join(tmpdir(), "tokenmint-cfg-"));
    await writeFile(join(cfgDir, "tokenmint.config.json"), JSON.stringify({ plugins: [ECHO_PLUGIN], profiles: { default: { echo: { endpoint: emulator.url } }, broken: { echo: { endpoint: "http://127.0.0.1:1" } } } }));
    const ok = await runTokenmint(["issue", "echo", "--format", "raw"], { cwd: cfgDir, env: env() });
    expect(ok.code).toBe(0);
    const broken = await runTokenmint(["issue", "echo", "--profile", "broken", "--timeout", "2"], { cwd: cfgDir, env: env() });
    expect(broken.code).toBe(6);
    const unknown = await runTokenmint(["issue", "echo", "--profile", "nope"], { cwd: cfgDir, env: env() });
    expect(unknown.code).toBe(3);
  });

  it("emulate prints endpoints another process can use, and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [BIN, "emulate", "--json", "--providers", "echo", "--plugin", ECHO_PLUGIN], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1" } });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = "";
      child.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        if (buf.includes("\n")) resolve(buf.split("\n")[0]!);
      });
      child.on("error", reject);
      setTimeout(() => reject(new Error("emulate printed nothing")), 15_000);
    });
    const doc = JSON.parse(line) as { emulators: { echo: { url: string; credentials: { secret: string } } } };
    const res = await fetch(`${doc.emulators.echo.url}/tokens`, { method: "POST", headers: { authorization: `Bearer ${doc.emulators.echo.credentials.secret}` } });
    expect(res.status).toBe(201);
    const viaCli = await runTokenmint(["issue", "echo", "--plugin", ECHO_PLUGIN, "--endpoint", doc.emulators.echo.url, "--format", "raw"], { env: env() });
    expect(viaCli.code).toBe(0);
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
  });
});
