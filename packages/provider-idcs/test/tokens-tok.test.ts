import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isTokenmintError, Secret } from "@tokenmint/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type IdcsEmulator, startEmulator } from "../src/emulator/index.js";
import { formatTokensTok, parseTokensTok, readTokensTok, readTokensTokAsToken, tokensTokName, writeTokensTok } from "../src/index.js";
import { assertionAppClient, rejection } from "./helpers.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "idcs-tok-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const plain = (access: string, refresh?: string) => ({ accessToken: new Secret(access), refreshToken: refresh === undefined ? undefined : new Secret(refresh) });

describe("tokens.tok writing", () => {
  it("uses the console's format (seed 003)", () => {
    expect(formatTokensTok(new Secret("eyJ4NXQjUzI.a.b"))).toBe('{"app_access_token":"eyJ4NXQjUzI.a.b"}');
    expect(formatTokensTok("a", "r")).toBe('{"app_access_token":"a","app_refresh_token":"r"}');
  });

  it("names files tokens.tok, tokens1.tok, tokens2.tok, ... and never overwrites", async () => {
    expect(tokensTokName(0)).toBe("tokens.tok");
    const paths = [];
    for (let i = 0; i < 3; i++) paths.push(await writeTokensTok(plain(`token-${i}`), { dir }));
    expect(paths).toEqual([join(dir, "tokens.tok"), join(dir, "tokens1.tok"), join(dir, "tokens2.tok")]);
    expect(await readFile(join(dir, "tokens.tok"), "utf8")).toBe('{"app_access_token":"token-0"}');
    expect(await readFile(join(dir, "tokens2.tok"), "utf8")).toBe('{"app_access_token":"token-2"}');
    // The lowest free number is taken, as a browser does; other files and odd names do not matter.
    await rm(join(dir, "tokens1.tok"));
    await writeFile(join(dir, "tokens01.tok"), "x");
    expect(await writeTokensTok(plain("token-again"), { dir })).toBe(join(dir, "tokens1.tok"));
    expect(await readFile(join(dir, "tokens.tok"), "utf8")).toBe('{"app_access_token":"token-0"}');
  });

  it("writes mode 0600 and leaves no temporary file", async () => {
    const path = await writeTokensTok(plain("t", "r"), { dir });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(["tokens.tok"]);
  });

  it("gives concurrent writers distinct names", async () => {
    const paths = await Promise.all(Array.from({ length: 12 }, (_, i) => writeTokensTok(plain(`c${i}`), { dir })));
    expect(new Set(paths).size).toBe(12);
    const names = (await readdir(dir)).sort();
    expect(names).toHaveLength(12);
    const contents = await Promise.all(paths.map((p) => readFile(p, "utf8")));
    expect(new Set(contents).size).toBe(12);
  });

  it("creates the directory when missing", async () => {
    const nested = join(dir, "a", "b");
    expect(await writeTokensTok(plain("t"), { dir: nested })).toBe(join(nested, "tokens.tok"));
  });
});

describe("tokens.tok reading", () => {
  it("round-trips, with secrets wrapped", async () => {
    const path = await writeTokensTok(plain("access-1", "refresh-1"), { dir });
    const file = await readTokensTok(path);
    expect(file.accessToken).toBeInstanceOf(Secret);
    expect(file.accessToken.reveal()).toBe("access-1");
    expect(file.refreshToken?.reveal()).toBe("refresh-1");
    expect(JSON.stringify(file)).not.toContain("access-1");
  });

  it("reads the refresh token under refresh_token too", () => {
    expect(parseTokensTok('{"app_access_token":"a","refresh_token":"r"}').refreshToken?.reveal()).toBe("r");
  });

  it("refuses files that are not the console's format, without quoting them", async () => {
    for (const text of ["not json SECRETISH", '{"access_token":"SECRETISH"}', '{"app_access_token":42}', "[]"]) {
      const path = join(dir, "bad.tok");
      await writeFile(path, text);
      const error = await rejection(readTokensTok(path));
      expect(isTokenmintError(error, "configuration")).toBe(true);
      expect((error as Error).message).not.toContain("SECRETISH");
    }
    expect(isTokenmintError(await rejection(readTokensTok(join(dir, "missing.tok"))), "configuration")).toBe(true);
  });
});

describe("tokens.tok with the emulator", () => {
  let emu: IdcsEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu?.close();
  });

  it("a saved token can be read back, verified and refreshed", async () => {
    const client = await assertionAppClient(emu, "client_secret_basic");
    const alice = emu.credentials.users.alice;
    const orders = emu.credentials.resourceServers.orders.audience;
    const token = await client.issue({ grant: "password", username: alice.username, password: alice.password, scope: { kind: "resource", audience: orders, scopes: ["orders.read"] }, includeRefreshToken: true });
    const path = await writeTokensTok(token, { dir });
    const text = await readFile(path, "utf8");
    expect(Object.keys(JSON.parse(text))).toEqual(["app_access_token", "app_refresh_token"]);

    const back = await readTokensTokAsToken(path);
    expect(back.value.reveal()).toBe(token.value.reveal());
    expect(Math.abs(back.expiresAt!.getTime() - token.expiresAt!.getTime())).toBeLessThan(2000);
    expect(back.scopes.map((s) => s.raw)).toEqual([`${orders}orders.read`, "offline_access"]);
    expect((await client.verify(back, { audience: orders })).claims.sub).toBe(alice.username);
    const refreshed = await client.refresh(back);
    expect(refreshed.value.reveal()).not.toBe(token.value.reveal());
  });
});
