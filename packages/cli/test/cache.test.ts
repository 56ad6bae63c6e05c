// The per-user token cache of `tokenmint issue`, through the real binary in child processes against
// emulators started here (whose counters say how many tokens the provider really issued).
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type IdcsEmulator, startEmulator as startIdcs } from "@tokenmint/provider-idcs/emulator";
import { startEmulator as startOci } from "@tokenmint/provider-oci/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ECHO_PLUGIN, runTokenmint } from "./cli-helpers.js";

const ONESHOT_PLUGIN = fileURLToPath(new URL("./fixtures/oneshot-provider.mjs", import.meta.url));

interface EchoEmulator {
  url: string;
  close(): Promise<void>;
  server: { count(route?: string): number };
}
let idcs: IdcsEmulator;
let echo: EchoEmulator;
let oci: Awaited<ReturnType<typeof startOci>>;
let dir: string;
let secretFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tokenmint-cache-test-"));
  idcs = await startIdcs();
  oci = await startOci();
  echo = await ((await import(ECHO_PLUGIN)) as { startEmulator(): Promise<EchoEmulator> }).startEmulator();
  secretFile = join(dir, "idcs-secret");
  await writeFile(secretFile, idcs.credentials.secretApp.clientSecret, { mode: 0o600 });
});
afterAll(async () => {
  await Promise.all([idcs?.close(), oci?.close(), echo?.close()]);
});

/** A fresh per-user cache directory ($XDG_CACHE_HOME), as a new user would have. */
async function freshCache(): Promise<{ XDG_CACHE_HOME: string }> {
  return { XDG_CACHE_HOME: await mkdtemp(join(dir, "xdg-")) };
}

const idcsArgs = (...extra: string[]) => ["issue", "idcs", "--domain-url", idcs.url, "--client-id", idcs.credentials.secretApp.clientId, "--client-secret-file", secretFile, "--format", "raw", ...extra];
const issued = () => idcs.tokenRequests.issued;

async function issueRaw(args: string[], env: Record<string, string>): Promise<string> {
  const r = await runTokenmint(args, { env });
  expect(r.stderr).not.toContain("error:");
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

/** The cache file of a provider, as JSON (unencrypted). */
async function cacheFile(env: { XDG_CACHE_HOME: string }, provider: string): Promise<{ version: 1; entries: Record<string, Record<string, unknown>> }> {
  return JSON.parse(await readFile(join(env.XDG_CACHE_HOME, "tokenmint", `${provider}.json`), "utf8")) as { version: 1; entries: Record<string, Record<string, unknown>> };
}

describe("tokenmint issue reuses a valid token across runs", () => {
  it("runs the same command twice with one upstream call; --no-cache asks every time", async () => {
    const env = await freshCache();
    const before = issued();
    const first = await issueRaw(idcsArgs(), env);
    const second = await runTokenmint(idcsArgs(), { env });
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe(first);
    expect(second.stderr).toContain("using a cached token");
    expect(issued() - before).toBe(1);

    const noCache1 = await issueRaw(idcsArgs("--no-cache"), env);
    const noCache2 = await issueRaw(idcsArgs("--no-cache"), env);
    expect(issued() - before).toBe(3);
    expect(new Set([first, noCache1, noCache2]).size).toBe(3);
    // --no-cache neither read nor wrote the cache: a plain run still gets the first token.
    expect(await issueRaw(idcsArgs(), env)).toBe(first);
    expect(issued() - before).toBe(3);
  });

  it("keys the cache by configuration and request: another scope or output format is handled right", async () => {
    const env = await freshCache();
    const before = issued();
    const all = await issueRaw(idcsArgs(), env);
    const me = await issueRaw(idcsArgs("--scope", "urn:opc:idm:t.user.me"), env);
    expect(me).not.toBe(all);
    expect(issued() - before).toBe(2);
    // The output format does not change which token is asked for.
    const json = await runTokenmint(idcsArgs("--scope", "urn:opc:idm:t.user.me", "--format", "json"), { env });
    expect((JSON.parse(json.stdout) as { value: string }).value).toBe(me);
    expect(issued() - before).toBe(2);
  });

  it("--force-refresh asks the provider and replaces the cached token", async () => {
    const env = await freshCache();
    const before = issued();
    const first = await issueRaw(idcsArgs(), env);
    const forced = await issueRaw(idcsArgs("--force-refresh"), env);
    expect(forced).not.toBe(first);
    expect(await issueRaw(idcsArgs(), env)).toBe(forced);
    expect(issued() - before).toBe(2);
  });

  it("makes one upstream call for six concurrent runs on a cold cache", async () => {
    const env = await freshCache();
    const before = issued();
    const outputs = await Promise.all(Array.from({ length: 6 }, () => issueRaw(idcsArgs(), env)));
    expect(new Set(outputs).size).toBe(1);
    expect(issued() - before).toBe(1);
  });

  it("keeps the cache private (0700 directory, 0600 file), with secrets hashed out of its keys", async () => {
    const env = await freshCache();
    const token = await issueRaw(idcsArgs(), env);
    const cache = join(env.XDG_CACHE_HOME, "tokenmint");
    expect((await stat(cache)).mode & 0o777).toBe(0o700);
    expect((await stat(join(cache, "idcs.json"))).mode & 0o777).toBe(0o600);
    const text = await readFile(join(cache, "idcs.json"), "utf8");
    expect(text).not.toContain(idcs.credentials.secretApp.clientSecret);
    expect(text).toContain(token); // in clear without TOKENMINT_CACHE_KEY, as the README says
    expect((await readdir(cache)).filter((f) => f.endsWith(".tmp") || f.endsWith(".lock"))).toEqual([]);
  });

  it("encrypts the cache at rest with TOKENMINT_CACHE_KEY", async () => {
    const env = { ...(await freshCache()), TOKENMINT_CACHE_KEY: "a passphrase for the cache" };
    const before = issued();
    const token = await issueRaw(idcsArgs(), env);
    expect(await issueRaw(idcsArgs(), env)).toBe(token);
    expect(issued() - before).toBe(1);
    const text = await readFile(join(env.XDG_CACHE_HOME, "tokenmint", "idcs.json"), "utf8");
    expect(text).not.toContain(token);
    expect(text).toContain("A256GCM");
    // Without the key the cache cannot be read: a warning, and a token from the provider.
    const r = await runTokenmint(idcsArgs(), { env: { XDG_CACHE_HOME: env.XDG_CACHE_HOME } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning: token cache:");
    expect(r.stdout.trim()).not.toBe(token);
  });

  it("never prints an expired cached token, nor one inside its refresh window", async () => {
    const env = await freshCache();
    const before = issued();
    let cached = await issueRaw(idcsArgs(), env);
    // An hour-long token whose cache entry says it ended a minute ago, then one with 2 of its 60 minutes left.
    for (const [issuedAgoMs, expiresInMs, label] of [
      [61 * 60_000, -60_000, "expired"],
      [58 * 60_000, 2 * 60_000, "due for refresh"],
    ] as const) {
      const file = await cacheFile(env, "idcs");
      const [key] = Object.keys(file.entries);
      file.entries[key!]!["issuedAt"] = new Date(Date.now() - issuedAgoMs).toISOString();
      file.entries[key!]!["expiresAt"] = new Date(Date.now() + expiresInMs).toISOString();
      await writeFile(join(env.XDG_CACHE_HOME, "tokenmint", "idcs.json"), JSON.stringify(file), { mode: 0o600 });
      const next = await issueRaw(idcsArgs(), env);
      expect(next, label).not.toBe(cached);
      cached = next;
    }
    expect(issued() - before).toBe(3);
    // The replacement is cached as usual.
    expect(await issueRaw(idcsArgs(), env)).toBe(cached);
    expect(issued() - before).toBe(3);
  });

  it("never prints a token revoked with tokenmint revoke", async () => {
    const env = { ...(await freshCache()), ECHO_SECRET: "echo-secret" };
    const args = ["issue", "echo", "--plugin", ECHO_PLUGIN, "--endpoint", echo.url];
    const before = echo.server.count("issue");
    const first = JSON.parse((await runTokenmint(args, { env })).stdout) as { id: string; value: string };
    const again = JSON.parse((await runTokenmint(args, { env })).stdout) as { id: string };
    expect(again.id).toBe(first.id);
    expect(echo.server.count("issue") - before).toBe(1);
    const revoked = await runTokenmint(["revoke", "echo", first.id, "--plugin", ECHO_PLUGIN, "--endpoint", echo.url], { env });
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toContain("removed 1 revoked token(s) from the token cache");
    const after = JSON.parse((await runTokenmint(args, { env })).stdout) as { id: string; value: string };
    expect(after.id).not.toBe(first.id);
    expect(after.value).not.toBe(first.value);
    expect(echo.server.count("issue") - before).toBe(2);
  });

  it("never caches tokens of a provider that declares them not reusable", async () => {
    const env = { ...(await freshCache()), ECHO_SECRET: "echo-secret" };
    const args = ["issue", "oneshot", "--plugin", ONESHOT_PLUGIN, "--endpoint", echo.url, "--format", "raw"];
    const before = echo.server.count("issue");
    const a = await issueRaw(args, env);
    const b = await issueRaw(args, env);
    expect(a).not.toBe(b);
    expect(echo.server.count("issue") - before).toBe(2);
    await expect(stat(join(env.XDG_CACHE_HOME, "tokenmint", "oneshot.json"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("caches an OCI token together with the private key it is bound to", async () => {
    const env = await freshCache();
    const c = oci.credentials as Record<string, string>;
    const keyFile = join(dir, "oci_api_key.pem");
    await writeFile(keyFile, String(c["privateKeyPem"]), { mode: 0o600 });
    const args = ["issue", "oci", "--endpoint", oci.url, "--tenancy", String(c["tenancy"]), "--user", String(c["user"]), "--fingerprint", String(c["fingerprint"]), "--key-file", keyFile, "--region", "us-ashburn-1"];
    const first = JSON.parse((await runTokenmint(args, { env })).stdout) as { value: string; privateKey: string };
    const second = JSON.parse((await runTokenmint(args, { env })).stdout) as { value: string; privateKey: string };
    expect(second.value).toBe(first.value);
    expect(second.privateKey).toBe(first.privateKey); // the token is useless without it
    expect(second.privateKey).toContain("BEGIN PRIVATE KEY");
    const list = await runTokenmint(["cache", "list", "oci", "--json"], { env });
    const rows = list.stdout.trim().split("\n").map((l) => JSON.parse(l) as { withPrivateKey: boolean });
    expect(rows).toEqual([expect.objectContaining({ provider: "oci", status: "valid", withPrivateKey: true })]);
    expect(list.stdout).not.toContain("PRIVATE KEY");
    expect(list.stdout).not.toContain(first.value);
  });
});

describe("tokenmint cache", () => {
  it("lists metadata only and clears one provider or all", async () => {
    const env = { ...(await freshCache()), ECHO_SECRET: "echo-secret" };
    const idcsToken = await issueRaw(idcsArgs(), env);
    const echoToken = await issueRaw(["issue", "echo", "--plugin", ECHO_PLUGIN, "--endpoint", echo.url, "--format", "raw"], env);
    const list = await runTokenmint(["cache", "list", "--json"], { env });
    expect(list.code).toBe(0);
    const rows = list.stdout.trim().split("\n").map((l) => JSON.parse(l) as { provider: string; status: string; key: string; expiresAt: string });
    expect(rows.map((r) => r.provider).sort()).toEqual(["echo", "idcs"]);
    for (const r of rows) {
      expect(r.status).toBe("valid");
      expect(r.key).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(Date.parse(r.expiresAt)).toBeGreaterThan(Date.now());
    }
    for (const secret of [idcsToken, echoToken, idcs.credentials.secretApp.clientSecret, "echo-secret"]) expect(list.stdout + list.stderr).not.toContain(secret);
    const table = await runTokenmint(["cache", "list", "idcs"], { env });
    expect(table.stdout).not.toContain(idcsToken);

    const clearEcho = await runTokenmint(["cache", "clear", "echo"], { env });
    expect(JSON.parse(clearEcho.stdout)).toMatchObject({ removed: 1, provider: "echo" });
    const left = (await runTokenmint(["cache", "list", "--json"], { env })).stdout.trim().split("\n").map((l) => (JSON.parse(l) as { provider: string }).provider);
    expect(left).toEqual(["idcs"]);
    const before = issued();
    expect(JSON.parse((await runTokenmint(["cache", "clear"], { env })).stdout)).toMatchObject({ removed: 1 });
    expect((await runTokenmint(["cache", "list", "--json"], { env })).stdout).toBe("");
    expect(await issueRaw(idcsArgs(), env)).not.toBe(idcsToken);
    expect(issued() - before).toBe(1);
  });

  it("rejects unknown subcommands and bad provider names with usage errors", async () => {
    const env = await freshCache();
    const none = await runTokenmint(["cache"], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("list or clear");
    expect((await runTokenmint(["cache", "purge"], { env })).code).toBe(2);
    const bad = await runTokenmint(["cache", "clear", "../etc"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("not a provider id");
  });
});
