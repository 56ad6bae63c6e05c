// writeFileAtomic: the whole file or the old one, mode 0600, its own temporary file never left behind,
// and the temporary files of the same target left by killed writers (they hold the same secrets) removed.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { removeStaleTempFiles, STALE_TEMP_MIN_AGE_MS, writeFileAtomic } from "../src/index.js";
import { processAlive } from "../src/process-alive.js";

let dir: string;
let live: ChildProcess;
let deadPid: number;

/** A pid whose process has exited (checked: not reused since). */
async function exitedPid(): Promise<number> {
  for (;;) {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await once(child, "exit");
    if (child.pid !== undefined && !processAlive(child.pid)) return child.pid;
  }
}

beforeAll(async () => {
  deadPid = await exitedPid();
  live = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" });
  await once(live, "spawn");
});
afterAll(async () => {
  live.kill("SIGKILL");
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tokenmint-atomic-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const temp = (target: string, pid: number, hex = "0123456789ab") => join(dir, `.${target}.${pid}.${hex}.tmp`);
const longAgo = new Date(Date.now() - 10 * 60_000);

/** A temporary file as a killed writer leaves it: the secret, 0600, its mtime `at`. */
async function leftover(path: string, at: Date = longAgo): Promise<string> {
  await writeFile(path, "half-written-secret", { mode: 0o600 });
  await utimes(path, at, at);
  return path;
}

describe("writeFileAtomic", () => {
  it("writes the whole file at mode 0600, replaces it, and leaves no temporary file", async () => {
    const target = join(dir, "tokens.tok");
    await writeFileAtomic(target, "one");
    await writeFileAtomic(target, "two");
    expect(await readFile(target, "utf8")).toBe("two");
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["tokens.tok"]);
  });

  it("removes a dead writer's temporary file of the same target; live writers' and other targets' stay", async () => {
    expect(processAlive(deadPid)).toBe(false);
    expect(processAlive(live.pid!)).toBe(true);
    const stale = await leftover(temp("tokens.tok", deadPid));
    const staleToo = await leftover(temp("tokens.tok", deadPid, "ba9876543210"));
    const ofLiveProcess = await leftover(temp("tokens.tok", live.pid!));
    const ofThisProcess = await leftover(temp("tokens.tok", process.pid));
    const otherTarget = await leftover(temp("tokens1.tok", deadPid));
    const lookalike = await leftover(join(dir, `.tokens.tok.bak.${deadPid}.0123456789ab.tmp`));
    await mkdir(temp("tokens.tok", deadPid, "dddddddddddd")); // not a regular file: never removed
    await writeFileAtomic(join(dir, "tokens.tok"), "new");
    const left = await readdir(dir);
    expect(left).not.toContain(stale.slice(dir.length + 1));
    expect(left).not.toContain(staleToo.slice(dir.length + 1));
    for (const kept of [ofLiveProcess, ofThisProcess, otherTarget, lookalike, temp("tokens.tok", deadPid, "dddddddddddd")]) expect(left).toContain(kept.slice(dir.length + 1));
    expect(await readFile(join(dir, "tokens.tok"), "utf8")).toBe("new");
  });

  it("with maxAgeMs, also removes a live pid's file older than that (a writer never holds one so long)", async () => {
    const old = await leftover(temp("store.json", live.pid!));
    const recent = await leftover(temp("store.json", live.pid!, "ba9876543210"), new Date());
    expect(await removeStaleTempFiles(join(dir, "store.json"), { maxAgeMs: 60_000 })).toEqual([old]);
    expect(await readdir(dir)).toEqual([recent.slice(dir.length + 1)]);
  });

  it("cleans up even when its own write fails (noOverwrite on an existing name)", async () => {
    const stale = await leftover(temp("token", deadPid));
    await writeFile(join(dir, "token"), "existing");
    await expect(writeFileAtomic(join(dir, "token"), "new", { noOverwrite: true })).rejects.toMatchObject({ code: "EEXIST" });
    expect(await readdir(dir)).toEqual(["token"]);
    expect(await readdir(dir)).not.toContain(stale.slice(dir.length + 1));
  });

  it("spares a dead writer's file younger than the minimum age (a writer on another machine sharing the directory)", async () => {
    const recent = await leftover(temp("token", deadPid), new Date());
    await writeFileAtomic(join(dir, "token"), "x");
    expect(await readdir(dir)).toContain(recent.slice(dir.length + 1));
    expect(await removeStaleTempFiles(join(dir, "token"), { minAgeMs: 0 })).toEqual([recent]);
    expect(STALE_TEMP_MIN_AGE_MS).toBeGreaterThan(0);
    await expect(removeStaleTempFiles(join(dir, "missing", "token"))).resolves.toEqual([]);
  });

  it("removes its own temporary file when the write fails after creating it", async () => {
    // Fails in writeFile, after the temporary file was opened.
    await expect(writeFileAtomic(join(dir, "token"), 42 as unknown as string)).rejects.toThrow();
    // Fails in rename: the target is a directory.
    await mkdir(join(dir, "db-token"));
    await expect(writeFileAtomic(join(dir, "db-token"), "secret")).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(["db-token"]);
  });
});
