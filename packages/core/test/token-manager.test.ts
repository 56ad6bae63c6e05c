import { mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type LogEvent, Secret, type Token, TokenmintError, type TokenSource } from "../src/index.js";
import { FileTokenStore, TokenManager } from "../src/tokens/index.js";

const HOUR = 3_600_000;

function makeToken(value: string, issuedAt: number, lifetimeMs = HOUR): Token {
  return { provider: "test", value: new Secret(value), tokenType: "Bearer", issuedAt: new Date(issuedAt), expiresAt: new Date(issuedAt + lifetimeMs), scopes: [], raw: {} };
}

/** A source whose upstream calls are counted and can be made to fail or hang. */
function countingSource(clock: { now: number }, key = "k") {
  const state = { calls: 0, fail: false, delayMs: 1, lifetimeMs: HOUR };
  const source: TokenSource = {
    key,
    async issue() {
      state.calls++;
      const n = state.calls;
      await new Promise((r) => setTimeout(r, state.delayMs));
      if (state.fail) throw new TokenmintError("provider_unavailable", "upstream down", { provider: "test" });
      return makeToken(`token-${n}`, clock.now, state.lifetimeMs);
    },
  };
  return { source, state };
}

describe("TokenManager", () => {
  it("makes exactly one upstream call for 10,000 concurrent cold callers", async () => {
    const clock = { now: Date.now() };
    const { source, state } = countingSource(clock);
    const manager = new TokenManager({ now: () => clock.now });
    const tokens = await Promise.all(Array.from({ length: 10_000 }, () => manager.getToken(source)));
    expect(state.calls).toBe(1);
    expect(new Set(tokens.map((t) => t.value.reveal())).size).toBe(1);
    await manager.getToken(source);
    expect(state.calls).toBe(1);
  });

  it("refreshes proactively before expiry while serving the cached token", async () => {
    const clock = { now: 1_000_000 };
    const { source, state } = countingSource(clock);
    const manager = new TokenManager({ now: () => clock.now, refreshWindowMs: 5 * 60_000 });
    expect((await manager.getToken(source)).value.reveal()).toBe("token-1");
    clock.now += HOUR - 4 * 60_000; // inside the refresh window, still valid
    expect((await manager.getToken(source)).value.reveal()).toBe("token-1");
    await new Promise((r) => setTimeout(r, 20));
    expect(state.calls).toBe(2);
    expect((await manager.getToken(source)).value.reveal()).toBe("token-2");
  });

  it("keeps serving a still-valid token when the background refresh fails", async () => {
    const clock = { now: 1_000_000 };
    const { source, state } = countingSource(clock);
    const events: LogEvent[] = [];
    const manager = new TokenManager({ now: () => clock.now, logger: (e) => events.push(e), refreshRetryMs: 1000 });
    await manager.getToken(source);
    state.fail = true;
    clock.now += HOUR - 60_000;
    expect((await manager.getToken(source)).value.reveal()).toBe("token-1");
    await new Promise((r) => setTimeout(r, 20));
    expect(events.some((e) => e.level === "warn" && e.message.includes("background token refresh failed"))).toBe(true);
    // No refresh storm: the next attempt waits for refreshRetryMs.
    await manager.getToken(source);
    expect(state.calls).toBe(2);
    clock.now += 1001;
    await manager.getToken(source);
    await new Promise((r) => setTimeout(r, 20));
    expect(state.calls).toBe(3);
  });

  it("never serves an expired token, even when the refresh fails", async () => {
    const clock = { now: 1_000_000 };
    const { source, state } = countingSource(clock);
    const manager = new TokenManager({ now: () => clock.now });
    await manager.getToken(source);
    state.fail = true;
    clock.now += HOUR + 1;
    await expect(manager.getToken(source)).rejects.toMatchObject({ code: "provider_unavailable" });
    state.fail = false;
    expect((await manager.getToken(source)).value.reveal()).toBe("token-3");
  });

  it("treats a token within the expiry margin as expired", async () => {
    const clock = { now: 1_000_000 };
    const { source, state } = countingSource(clock);
    const manager = new TokenManager({ now: () => clock.now, expiryMarginMs: 10_000 });
    await manager.getToken(source);
    clock.now += HOUR - 5_000;
    expect((await manager.getToken(source)).value.reveal()).toBe("token-2");
    expect(state.calls).toBe(2);
  });

  it("rejects a token that is already expired on arrival", async () => {
    const clock = { now: 1_000_000 };
    const { source, state } = countingSource(clock);
    state.lifetimeMs = 1000;
    const manager = new TokenManager({ now: () => clock.now });
    await expect(manager.getToken(source)).rejects.toMatchObject({ code: "invalid_response" });
  });

  it("does not let a refresh that started before invalidate() repopulate the cache", async () => {
    const clock = { now: 1_000_000 };
    const { source, state } = countingSource(clock);
    state.delayMs = 50;
    const manager = new TokenManager({ now: () => clock.now });
    const pending = manager.getToken(source);
    await new Promise((r) => setTimeout(r, 10));
    await manager.invalidate(source.key);
    // The caller that asked before gets a token loaded after the invalidation, not the stale result.
    expect((await pending).value.reveal()).toBe("token-2");
    expect((await manager.getToken(source)).value.reveal()).toBe("token-2");
    expect(state.calls).toBe(2);
  });

  it("lets one caller abort without cancelling the shared call", async () => {
    const clock = { now: Date.now() };
    const { source, state } = countingSource(clock);
    state.delayMs = 50;
    const manager = new TokenManager({ now: () => clock.now });
    const ac = new AbortController();
    const a = manager.getToken(source, { signal: ac.signal });
    const b = manager.getToken(source);
    ac.abort();
    await expect(a).rejects.toMatchObject({ code: "aborted" });
    expect((await b).value.reveal()).toBe("token-1");
    expect(state.calls).toBe(1);
  });

  it("reads through a file store shared by two managers", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tokenmint-store-"));
    const path = join(dir, "sub", "tokens.json");
    const clock = { now: Date.now() };
    const { source, state } = countingSource(clock);
    const first = new TokenManager({ store: new FileTokenStore({ path }) });
    await first.getToken(source);
    const second = new TokenManager({ store: new FileTokenStore({ path }) });
    expect((await second.getToken(source)).value.reveal()).toBe("token-1");
    expect(state.calls).toBe(1);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "sub"))).mode & 0o777).toBe(0o700);
    expect((await readdir(join(dir, "sub"))).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("encrypts values at rest with AES-256-GCM when given a key", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tokenmint-store-"));
    const path = join(dir, "tokens.json");
    const key = new Uint8Array(32).fill(7);
    const store = new FileTokenStore({ path, encryptionKey: key });
    const token = { ...makeToken("CANARY-file-store-value", Date.now()), refreshToken: new Secret("CANARY-refresh") };
    await store.set("k", token);
    const text = await readFile(path, "utf8");
    expect(text).not.toContain("CANARY");
    expect(text).toContain("A256GCM");
    const back = await store.get("k");
    expect(back?.value.reveal()).toBe("CANARY-file-store-value");
    expect(back?.refreshToken?.reveal()).toBe("CANARY-refresh");
    await expect(new FileTokenStore({ path, encryptionKey: new Uint8Array(32).fill(8) }).get("k")).rejects.toMatchObject({ code: "configuration" });
    await expect(new FileTokenStore({ path }).get("k")).rejects.toMatchObject({ code: "configuration" });
  });
});
