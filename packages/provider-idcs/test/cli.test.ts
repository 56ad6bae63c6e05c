import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secret, type Token } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IdcsEmulator, startEmulator } from "../src/emulator/index.js";
import { idcsCli, optionsFromCli, requestFromCli } from "../src/cli/index.js";
import idcs, { createIdcsClient, formatTokensTok, readTokensTok, writeTokensTok } from "../src/index.js";
import { noEnv } from "./helpers.js";

let emu: IdcsEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "idcs-cli-"));
});
afterAll(async () => {
  await emu?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("provider definition", () => {
  it("declares the provider and its emulator, whose credentials are JSON-safe", () => {
    expect(idcs.descriptor).toMatchObject({ id: "idcs", capabilities: ["issue", "refresh"] });
    expect(idcs.emulator).toBe("@tokenmint/provider-idcs/emulator");
    expect(JSON.parse(JSON.stringify(emu.credentials))).toEqual(emu.credentials);
    expect(emu.credentials.domainUrl).toBe(emu.url);
  });

  it("creates clients from options and the environment, and refuses incomplete configuration", async () => {
    const app = emu.credentials.secretApp;
    const fromEnv = await idcs.createClient({}, { env: { IDCS_DOMAIN_URL: `${emu.url}/oauth2/v1/token`, IDCS_CLIENT_ID: app.clientId, IDCS_CLIENT_SECRET: app.clientSecret } });
    expect(fromEnv.config.domainUrl).toBe(emu.url);
    expect(fromEnv.config.clientAuth).toBe("client_secret_basic");
    await expect(fromEnv.issue({ grant: "client_credentials" })).resolves.toBeDefined();
    await expect(createIdcsClient({ domainUrl: emu.url }, noEnv)).rejects.toMatchObject({ code: "configuration" });
    await expect(createIdcsClient({ domainUrl: emu.url, clientId: "x" }, noEnv)).rejects.toMatchObject({ code: "configuration" });
    await expect(createIdcsClient({ domainUrl: emu.url, clientId: "x", clientAuth: "private_key_jwt", clientSecret: "s" }, noEnv)).rejects.toMatchObject({ code: "configuration" });
    const same = await idcs.createClient({ domainUrl: emu.url, clientId: app.clientId, clientSecret: app.clientSecret }, noEnv);
    const other = await idcs.createClient({ domainUrl: emu.url, clientId: app.clientId, clientSecret: "other" }, noEnv);
    expect(same.configKey).toBe(fromEnv.configKey);
    expect(other.configKey).not.toBe(same.configKey);
    expect(same.configKey).not.toContain(app.clientSecret);
  });
});

describe("CLI mapping", () => {
  it("maps flags to options and requests", async () => {
    const options = optionsFromCli({ "domain-url": "idcs-x.identity.oraclecloud.com", "client-id": "c", "client-secret": new Secret("s"), "app-grants": ["password", "refresh_token"], "audience-without-refresh": ["https://r.example.com:443"] });
    expect(options).toMatchObject({ domainUrl: "idcs-x.identity.oraclecloud.com", clientId: "c", app: { grants: ["password", "refresh_token"] }, resourceServers: [{ audience: "https://r.example.com:443", refreshTokenAllowed: false }] });
    expect(await requestFromCli({ role: ["Me"] })).toEqual({ grant: "client_credentials", scope: { kind: "idcs", roles: ["Me"], scopes: undefined }, includeRefreshToken: false });
    expect(await requestFromCli({ grant: "password", username: "u", password: new Secret("p"), audience: "https://a:443", scope: ["read"], "include-refresh-token": true })).toMatchObject({
      grant: "password",
      username: "u",
      scope: { kind: "resource", audience: "https://a:443", scopes: ["read"] },
      includeRefreshToken: true,
    });
    await expect(requestFromCli({ grant: "password" })).rejects.toMatchObject({ code: "configuration" });
    await expect(requestFromCli({ grant: "magic" })).rejects.toMatchObject({ code: "configuration" });
  });

  it("reads lists as every provider does: repeated flags and commas (the CLI hands lists as arrays)", async () => {
    // `--app-grants password,refresh_token --app-roles Me` arrives as ["password,refresh_token"], ["Me"].
    expect(optionsFromCli({ "app-grants": ["password,refresh_token"], "app-roles": ["Me"] }).app).toEqual({ grants: ["password", "refresh_token"], roles: ["Me"] });
    expect(await requestFromCli({ role: ["Me, Identity Domain Administrator"] })).toMatchObject({ scope: { kind: "idcs", roles: ["Me", "Identity Domain Administrator"] } });
    await expect(requestFromCli({ grant: "password", username: "u", password: ["p1", "p2"] })).rejects.toMatchObject({ code: "configuration", message: "--password takes one secret value, not a list" });
  });

  it("refreshes from a console tokens.tok and saves tokens<n>.tok", async () => {
    const app = emu.credentials.secretApp;
    const client = await idcsCli.config.toOptions({ "domain-url": emu.url, "client-id": app.clientId, "client-secret": new Secret(app.clientSecret) });
    const c = await idcs.createClient(client, noEnv);
    const alice = emu.credentials.users.alice;
    const first = await idcsCli.issue!.run(c, { grant: "password", username: alice.username, password: new Secret(alice.password), role: ["Me"], "include-refresh-token": true }, {});
    const path = await writeTokensTok(first, { dir });
    const refreshed = await idcsCli.issue!.run(c, { grant: "refresh_token", "tokens-file": path }, {});
    expect(refreshed.value.reveal()).not.toBe(first.value.reveal());
    expect(await idcsCli.save!(refreshed, { dir, overwrite: true })).toEqual([join(dir, "tokens1.tok")]);
  });

  it("declares tokens.tok as its `--format tok`, written and read by tokens-tok.ts", async () => {
    const format = idcsCli.formats?.find((f) => f.name === "tok");
    expect(format).toBeDefined();
    const token: Token = { provider: "idcs", value: new Secret("a.b.c"), refreshToken: new Secret("r1"), tokenType: "Bearer", scopes: [], raw: {} };
    expect(format!.render(token)).toBe(formatTokensTok("a.b.c", "r1"));
    const into = join(dir, "format");
    await mkdir(into);
    expect(await format!.writeInto(token, into)).toBe(join(into, "tokens.tok"));
    expect(await format!.writeInto(token, into)).toBe(join(into, "tokens1.tok"));
    expect(await readFile(join(into, "tokens1.tok"), "utf8")).toBe('{"app_access_token":"a.b.c","app_refresh_token":"r1"}');
    expect((await stat(join(into, "tokens1.tok"))).mode & 0o777).toBe(0o600);
    expect((await readTokensTok(join(into, "tokens.tok"))).refreshToken?.reveal()).toBe("r1");
    // The reading side, for `tokenmint decode|verify <file>.tok`.
    expect(format!.fileExtension).toBe(".tok");
    expect((await format!.read!(join(into, "tokens1.tok"))).reveal()).toBe("a.b.c");
  });

  it("runs the demo against the emulator", async () => {
    const lines: string[] = [];
    const work = join(dir, "demo");
    await idcsCli.demo!({ url: emu.url, credentials: emu.credentials }, (line) => lines.push(line), { workDir: work });
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.at(-1)).toContain("refused before any call");
    expect(await readdir(work)).toEqual(["tokens.tok"]);
  });
});
