// The file store and its lock files, with real child processes that share the store and get SIGKILLed.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Secret, type Token, type TokenSource } from "../src/index.js";
import { acquireFileLock, FileTokenStore, TokenManager, withFileLock } from "../src/tokens/index.js";

const WORKER = fileURLToPath(new URL("./fixtures/token-store-worker.ts", import.meta.url));
const CORE_DIR = fileURLToPath(new URL("..", import.meta.url));

function token(value: string, lifetimeMs = 3_600_000): Token {
  const now = Date.now();
  return { provider: "test", value: new Secret(value), tokenType: "Bearer", issuedAt: new Date(now), expiresAt: new Date(now + lifetimeMs), scopes: [], raw: {} };
}

const tempDir = () => mkdtemp(join(tmpdir(), "tokenmint-filestore-"));

/** The pid of a process that has exited (so it is certainly dead). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

function startWorker(args: string[]): { child: ChildProcessWithoutNullStreams; lines: string[]; waitFor(line: string, timeoutMs?: number): Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, ...args], { cwd: CORE_DIR, stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  let stderr = "";
  const waiters: { line: string; resolve: () => void }[] = [];
  let buffer = "";
  child.stdout.on("data", (d: Buffer) => {
    buffer += d.toString();
    let i = buffer.indexOf("\n");
    while (i >= 0) {
      const l = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(l);
      for (const w of waiters.filter((w) => w.line === l)) w.resolve();
      i = buffer.indexOf("\n");
    }
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    child,
    lines,
    exited,
    waitFor(line, timeoutMs = 20_000) {
      if (lines.includes(line)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker did not print ${line} (stderr: ${stderr.slice(0, 500)})`)), timeoutMs);
        waiters.push({
          line,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          if (!lines.includes(line)) reject(new Error(`worker exited before printing ${line} (stderr: ${stderr.slice(0, 500)})`));
        });
      });
    },
  };
}

describe("file lock", () => {
  it("takes over at once a lock left by a process that is gone", async () => {
    const path = join(await tempDir(), "a.lock");
    await writeFile(path, JSON.stringify({ pid: deadPid(), host: hostname(), nonce: "left-behind", acquiredAt: Date.now(), expiresAt: Date.now() + 60_000 }));
    const started = Date.now();
    const lock = await acquireFileLock(path, { waitMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lock.tookOver).toBe(true);
    const owner = JSON.parse(await readFile(path, "utf8")) as { pid: number; host: string; expiresAt: number };
    expect(owner.pid).toBe(process.pid);
    expect(owner.host).toBe(hostname());
    expect(owner.expiresAt).toBeGreaterThan(Date.now());
    await lock.release();
    await expect(stat(path)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("waits for a lock of another machine until it expires, then takes it over", async () => {
    const path = join(await tempDir(), "b.lock");
    const expiresAt = Date.now() + 400;
    await writeFile(path, JSON.stringify({ pid: 1, host: "some-other-host", nonce: "n", acquiredAt: Date.now(), expiresAt }));
    const lock = await acquireFileLock(path, { waitMs: 5_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(lock.tookOver).toBe(true);
    await lock.release();
  });

  it("gives up with a timeout naming the holder, never a torn state", async () => {
    const path = join(await tempDir(), "c.lock");
    await writeFile(path, JSON.stringify({ pid: 4242, host: "some-other-host", nonce: "n", acquiredAt: Date.now(), expiresAt: Date.now() + 60_000 }));
    await expect(acquireFileLock(path, { waitMs: 150 })).rejects.toMatchObject({ code: "timeout", message: expect.stringContaining("process 4242 on some-other-host") });
    const ac = new AbortController();
    const pending = acquireFileLock(path, { signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toMatchObject({ code: "aborted" });
  });

  it("renews a held lock so a slow holder keeps it, and releases only its own", async () => {
    const path = join(await tempDir(), "d.lock");
    // A 1 s lifetime renewed every third of it: a renewal may run up to ~660 ms late (a loaded CI
    // machine) before the lock lapses.
    const held = await acquireFileLock(path, { ttlMs: 1000 });
    await new Promise((r) => setTimeout(r, 2500)); // two and a half lifetimes: only renewal keeps it valid
    await expect(acquireFileLock(path, { ttlMs: 1000, waitMs: 200 })).rejects.toMatchObject({ code: "timeout" });
    expect(await held.stillHeld()).toBe(true);
    // Someone else's lock replaces it (as after an expiry): releasing must leave theirs alone.
    const theirs = JSON.stringify({ pid: 1, host: "some-other-host", nonce: "theirs", acquiredAt: Date.now(), expiresAt: Date.now() + 60_000 });
    await writeFile(path, theirs);
    expect(await held.stillHeld()).toBe(false);
    await held.release();
    expect(await readFile(path, "utf8")).toBe(theirs);
  });

  it("serialises holders in one process without polling, in order", async () => {
    const path = join(await tempDir(), "e.lock");
    const order: number[] = [];
    let inside = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        withFileLock(path, async () => {
          inside++;
          expect(inside).toBe(1);
          await new Promise((r) => setTimeout(r, 1));
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe("FileTokenStore shared by processes", () => {
  it("loses no update when four processes write different keys at once", async () => {
    const path = join(await tempDir(), "tokens.json");
    const workers = ["a", "b", "c", "d"].map((p) => startWorker(["set-keys", path, p, "25"]));
    await Promise.all(workers.map((w) => w.waitFor("ready")));
    for (const w of workers) w.child.stdin.end("go\n");
    await Promise.all(workers.map((w) => w.waitFor("done")));
    await Promise.all(workers.map((w) => w.exited));
    const store = new FileTokenStore({ path });
    const keys = await store.keys();
    expect(keys).toHaveLength(100);
    expect((await store.get("c-7"))?.value.reveal()).toBe("c-7");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  }, 60_000);

  it("never leaves a torn or empty file when writers are SIGKILLed at random points", async () => {
    const dir = await tempDir();
    const path = join(dir, "tokens.json");
    for (let round = 0; round < 8; round++) {
      const w = startWorker(["write-loop", path, "5000"]);
      await w.waitFor("ready");
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 120));
      w.child.kill("SIGKILL");
      await w.exited;
      const text = await readFile(path, "utf8");
      const parsed = JSON.parse(text) as { version: number; entries: Record<string, unknown> };
      expect(parsed.version).toBe(1);
      const store = new FileTokenStore({ path });
      for (const key of await store.keys()) expect((await store.get(key))?.value.reveal()).toMatch(/^v\d+-\d+$/);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    }
    // The last writer may have died holding the lock: the next one takes it over at once.
    const started = Date.now();
    await new FileTokenStore({ path, lockTtlMs: 60_000 }).set("after", token("after"));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await new FileTokenStore({ path }).get("after"))?.value.reveal()).toBe("after");
    expect((await readdir(dir)).filter((f) => f.endsWith(".lock"))).toEqual([]);
  }, 90_000);

  it("lets another process refresh at once when the lock holder is killed mid-refresh", async () => {
    const path = join(await tempDir(), "tokens.json");
    const holder = startWorker(["hold-refresh", path, "shared-key"]);
    await holder.waitFor("refreshing"); // it holds the key's lock, waiting for its upstream call
    let calls = 0;
    const source: TokenSource = { key: "shared-key", issue: async () => token(`fresh-${++calls}`) };
    const manager = new TokenManager({ store: new FileTokenStore({ path, lockTtlMs: 10_000 }) });
    const pending = manager.getToken(source);
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(0); // waiting on the live holder's lock
    const killedAt = Date.now();
    holder.child.kill("SIGKILL");
    await holder.exited;
    expect((await pending).value.reveal()).toBe("fresh-1");
    expect(Date.now() - killedAt).toBeLessThan(10_000); // well within the lock's expiry: the dead pid is noticed
    expect(calls).toBe(1);
  }, 60_000);

  it("sweeps temporary files of writers that died, once it takes over their lock", async () => {
    const dir = await tempDir();
    const path = join(dir, "tokens.json");
    const dead = deadPid();
    const leftover = join(dir, `.tokens.json.${dead}.0123456789ab.tmp`);
    await writeFile(leftover, "{\"version\":1,\"entr");
    const old = new Date(Date.now() - 10_000);
    await utimes(leftover, old, old);
    await writeFile(`${path}.lock`, JSON.stringify({ pid: dead, host: hostname(), nonce: "n", acquiredAt: Date.now(), expiresAt: Date.now() + 60_000 }));
    await new FileTokenStore({ path }).set("k", token("v"));
    expect(await readdir(dir)).toEqual(["tokens.json"]);
  });
});

describe("TokenManager over a shared FileTokenStore", () => {
  it("refreshes once for two managers that reach the refresh window together", async () => {
    const path = join(await tempDir(), "tokens.json");
    const clock = { now: Date.now() };
    let calls = 0;
    const source: TokenSource = {
      key: "k",
      issue: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 20));
        return { ...token(`t${calls}`), issuedAt: new Date(clock.now), expiresAt: new Date(clock.now + 3_600_000) };
      },
    };
    const managers = [0, 1].map(() => new TokenManager({ store: new FileTokenStore({ path }), now: () => clock.now }));
    await Promise.all(managers.map((m) => m.getToken(source)));
    expect(calls).toBe(1);
    clock.now += 57 * 60_000; // inside the 5-minute refresh window
    await Promise.all(managers.map((m) => m.getToken(source))); // served at once; refreshes start behind
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(2);
    for (const m of managers) expect((await m.getToken(source)).value.reveal()).toBe("t2");
  });
});

describe("FileTokenStore", () => {
  it("reads what another instance wrote, and reuses its parse while the file is unchanged", async () => {
    const path = join(await tempDir(), "tokens.json");
    const a = new FileTokenStore({ path });
    const b = new FileTokenStore({ path });
    await a.set("k", token("one"));
    const first = await b.get("k");
    expect(first?.value.reveal()).toBe("one");
    expect(await b.get("k")).toBe(first); // same object: the file was not read again
    await a.set("k", token("two"));
    expect((await b.get("k"))?.value.reveal()).toBe("two");
    expect(await b.deleteWhere((t) => t.value.reveal() === "two")).toBe(1);
    expect(await a.get("k")).toBeUndefined();
    await a.set("x", token("x"));
    await a.set("y", token("y"));
    expect(await b.clear()).toBe(2);
    expect(await a.keys()).toEqual([]);
  });

  it("fails with a clear configuration error on a file that is not a store, and on bad options", async () => {
    const path = join(await tempDir(), "tokens.json");
    await writeFile(path, "{ not json");
    await expect(new FileTokenStore({ path }).get("k")).rejects.toMatchObject({ code: "configuration", message: expect.stringContaining("not valid JSON") });
    await writeFile(path, JSON.stringify({ something: "else" }));
    await expect(new FileTokenStore({ path }).set("k", token("v"))).rejects.toMatchObject({ code: "configuration", message: expect.stringContaining("not a tokenmint store") });
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ something: "else" }); // a foreign file is never overwritten
    expect(() => new FileTokenStore({ path, lockTtlMs: -1 })).toThrow(/lockTtlMs/);
  });
});
