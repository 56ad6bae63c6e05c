// reject(), withToken() against a real local resource server, and the blocking refresh mode.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LogEvent, Secret, type StoreEvent, type Token, TokenmintError, type TokenSource, type TokenStore } from "../src/index.js";
import { isUnauthorized, MemoryTokenStore, TokenManager } from "../src/tokens/index.js";

const HOUR = 3_600_000;

function makeToken(value: string, issuedAt: number, lifetimeMs = HOUR): Token {
  return { provider: "test", value: new Secret(value), tokenType: "Bearer", issuedAt: new Date(issuedAt), expiresAt: new Date(issuedAt + lifetimeMs), scopes: [], raw: {} };
}

function countingSource(clock: { now: number }, key = "k") {
  const state = { calls: 0, fail: false, sameValue: undefined as string | undefined };
  const source: TokenSource = {
    key,
    async issue() {
      state.calls++;
      if (state.fail) throw new TokenmintError("provider_unavailable", "upstream down", { provider: "test" });
      return makeToken(state.sameValue ?? `token-${state.calls}`, clock.now);
    },
  };
  return { source, state };
}

// A resource server that refuses the tokens it is told are revoked, as a real API answers 401.
let server: Server;
let url: string;
const revoked = new Set<string>();
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    const auth = req.headers.authorization ?? "";
    const value = auth.replace(/^Bearer /, "");
    if (value === "" || revoked.has(value)) {
      res.writeHead(401, { "content-type": "application/json", "www-authenticate": 'Bearer error="invalid_token"' });
      res.end(JSON.stringify({ error: "invalid_token" }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, token: value }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const call = (t: Token, o: { signal?: AbortSignal | undefined }) => fetch(url, { headers: { authorization: `Bearer ${t.value.reveal()}` }, signal: o.signal ?? null });

describe("reject()", () => {
  it("never serves a rejected token again, though it has not expired, and drops it from the store", async () => {
    const clock = { now: 1_000_000 };
    const { source, state } = countingSource(clock);
    const store = new MemoryTokenStore();
    const manager = new TokenManager({ store, now: () => clock.now });
    const first = await manager.getToken(source);
    expect(first.value.reveal()).toBe("token-1");
    await manager.reject(first);
    expect(await store.get("k")).toBeUndefined();
    const second = await manager.getToken(source);
    expect(second.value.reveal()).toBe("token-2");
    expect(state.calls).toBe(2);
    // Even if some other process writes the refused token back into the shared store:
    manager.clear();
    await store.set("k", first);
    expect((await manager.getToken(source)).value.reveal()).toBe("token-3");
  });

  it("leaves a newer token of the store alone", async () => {
    const clock = { now: 1_000_000 };
    const { source } = countingSource(clock);
    const store = new MemoryTokenStore();
    const manager = new TokenManager({ store, now: () => clock.now });
    const first = await manager.getToken(source);
    const newer = makeToken("from-another-process", clock.now);
    await store.set("k", newer);
    await manager.reject(first);
    expect((await store.get("k"))?.value.reveal()).toBe("from-another-process");
    expect((await manager.getToken(source)).value.reveal()).toBe("from-another-process");
  });

  it("refuses a provider that hands back the token that was just refused", async () => {
    const clock = { now: 1_000_000 };
    const { source, state } = countingSource(clock);
    state.sameValue = "always-the-same";
    const manager = new TokenManager({ now: () => clock.now });
    await manager.reject(await manager.getToken(source));
    await expect(manager.getToken(source)).rejects.toMatchObject({ code: "invalid_token" });
  });
});

describe("withToken()", () => {
  it("retries once with a new token after a 401 and never reuses the refused one", async () => {
    const clock = { now: Date.now() };
    const { source, state } = countingSource(clock);
    const manager = new TokenManager({ now: () => clock.now });
    const ok = await manager.withToken(source, call);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { token: string }).token).toBe("token-1");
    revoked.add("token-1"); // revoked at the provider before its expiry
    const before = requests;
    const retried = await manager.withToken(source, call);
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { token: string }).token).toBe("token-2");
    expect(requests - before).toBe(2);
    expect(state.calls).toBe(2);
    expect((await manager.getToken(source)).value.reveal()).toBe("token-2");
  });

  it("returns the 401 when the new token is refused too, or when retry is off", async () => {
    const clock = { now: Date.now() };
    const { source, state } = countingSource(clock, "k2");
    const manager = new TokenManager({ now: () => clock.now });
    revoked.add("token-1").add("token-2");
    const refused = await manager.withToken(source, call);
    expect(refused.status).toBe(401);
    expect(state.calls).toBe(2);
    revoked.add("token-3");
    const once = await manager.withToken(source, call, { retry: false });
    expect(once.status).toBe(401);
    expect(state.calls).toBe(3);
    for (const v of ["token-1", "token-2", "token-3"]) revoked.delete(v);
  });

  it("treats a thrown error with status 401 as a refusal, and passes other errors through", async () => {
    const clock = { now: Date.now() };
    const { source, state } = countingSource(clock, "k3");
    const manager = new TokenManager({ now: () => clock.now });
    let attempt = 0;
    const result = await manager.withToken(source, async (t) => {
      attempt++;
      if (attempt === 1) throw new TokenmintError("invalid_credentials", "refused", { status: 401 });
      return t.value.reveal();
    });
    expect(result).toBe("token-2");
    expect(state.calls).toBe(2);
    await expect(
      manager.withToken(source, async () => {
        throw new TokenmintError("access_denied", "no", { status: 403 });
      }),
    ).rejects.toMatchObject({ code: "access_denied" });
    expect(state.calls).toBe(2);
    expect(isUnauthorized({ response: { status: 401 } })).toBe(true);
    expect(isUnauthorized({ statusCode: 401 })).toBe(true);
    expect(isUnauthorized(new Error("401"))).toBe(false);
  });
});

describe("refreshMode: blocking", () => {
  it("makes callers wait for the refresh of a token inside its refresh window", async () => {
    const clock = { now: 1_000_000 };
    const { source, state } = countingSource(clock);
    const manager = new TokenManager({ now: () => clock.now, refreshMode: "blocking" });
    await manager.getToken(source);
    clock.now += HOUR - 4 * 60_000;
    expect((await manager.getToken(source)).value.reveal()).toBe("token-2");
    expect(state.calls).toBe(2);
  });

  it("does not hand out a stored token that is due for refresh", async () => {
    const clock = { now: 1_000_000 };
    const store = new MemoryTokenStore();
    await store.set("k", makeToken("old", clock.now - HOUR + 4 * 60_000));
    const { source, state } = countingSource(clock);
    const manager = new TokenManager({ store, now: () => clock.now, refreshMode: "blocking" });
    expect((await manager.getToken(source)).value.reveal()).toBe("token-1");
    expect(state.calls).toBe(1);
    expect((await store.get("k"))?.value.reveal()).toBe("token-1");
  });

  it("serves the still-valid token with a warning when the refresh fails, then backs off", async () => {
    const clock = { now: 1_000_000 };
    const { source, state } = countingSource(clock);
    const events: LogEvent[] = [];
    const manager = new TokenManager({ now: () => clock.now, refreshMode: "blocking", refreshRetryMs: 1_000, logger: (e) => events.push(e) });
    await manager.getToken(source);
    state.fail = true;
    clock.now += HOUR - 4 * 60_000;
    expect((await manager.getToken(source)).value.reveal()).toBe("token-1");
    expect(events.some((e) => e.level === "warn" && e.message.startsWith("token refresh failed"))).toBe(true);
    await manager.getToken(source);
    expect(state.calls).toBe(2); // backing off
    clock.now += 5 * 60_000; // expired now: never served
    await expect(manager.getToken(source)).rejects.toMatchObject({ code: "provider_unavailable" });
  });

  it("rejects an unknown refresh mode", () => {
    expect(() => new TokenManager({ refreshMode: "sometimes" as never })).toThrow(/refreshMode/);
  });
});

describe("announcements through a store that has announce/watch", () => {
  // Two "processes" sharing one backing store and one bus, as RedisTokenStore does with pub/sub.
  function sharedStores() {
    const backing = new MemoryTokenStore();
    const listeners = new Set<{ from: number; listener: (event: StoreEvent) => void }>();
    const make = (from: number): TokenStore => ({
      get: (key) => backing.get(key),
      set: (key, token) => backing.set(key, token),
      delete: (key) => backing.delete(key),
      async announce(event) {
        for (const l of listeners) if (l.from !== from) l.listener(event);
      },
      watch(listener) {
        const entry = { from, listener };
        listeners.add(entry);
        return () => listeners.delete(entry);
      },
    });
    return { a: make(1), b: make(2), listeners };
  }

  it("drops a token another process rejected or invalidated from this manager's memory, and stops listening on close()", async () => {
    const clock = { now: Date.parse("2026-01-01T00:00:00Z") };
    const { source, state } = countingSource(clock);
    const { a, b, listeners } = sharedStores();
    const managerA = new TokenManager({ store: a, now: () => clock.now });
    const managerB = new TokenManager({ store: b, now: () => clock.now });
    const first = await managerA.getToken(source);
    expect((await managerB.getToken(source)).value.reveal()).toBe(first.value.reveal());
    await managerA.reject(first);
    const second = await managerB.getToken(source); // B loads anew: first is refused here too
    expect(second.value.reveal()).not.toBe(first.value.reveal());
    expect((await managerA.getToken(source)).value.reveal()).toBe(second.value.reveal());
    expect(state.calls).toBe(2);
    await managerB.invalidate(source.key);
    const third = await managerA.getToken(source);
    expect(third.value.reveal()).not.toBe(second.value.reveal());
    expect(state.calls).toBe(3);
    expect(listeners.size).toBe(2);
    managerA.close();
    managerB.close();
    expect(listeners.size).toBe(0);
  });

  it("logs, and still resolves, when the announcement fails", async () => {
    const clock = { now: Date.parse("2026-01-01T00:00:00Z") };
    const { source } = countingSource(clock);
    const events: LogEvent[] = [];
    const store: TokenStore = { get: async () => undefined, set: async () => {}, delete: async () => {}, announce: async () => Promise.reject(new Error("bus down")) };
    const manager = new TokenManager({ store, now: () => clock.now, logger: (e) => events.push(e) });
    const token = await manager.getToken(source);
    await manager.reject(token, { key: source.key });
    expect(events.map((e) => e.message)).toContain("could not tell the other processes sharing the token store");
  });
});
