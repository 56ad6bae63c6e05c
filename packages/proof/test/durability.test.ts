// Durability: a child process writes tokens.tok files, the file token store and the OCI db-token files in
// tight loops and is SIGKILLed at a random moment, 50 times over the same directories. After every kill
// each file is the previous version intact or a new one complete, never torn, and mode 0600 (the
// temporary files a kill leaves behind included: they hold the same secrets, so later writes remove them).
import { spawn } from "node:child_process";
import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { removeStaleTempFiles } from "@tokenmint/core";
import { FileTokenStore } from "@tokenmint/core/tokens";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const WORKER = fileURLToPath(new URL("./fixtures/durability-worker.mjs", import.meta.url));
const KILLS = 50;
/** Large values widen the window in which a kill lands mid-write. */
const PAD_BYTES = 64 * 1024;
const VALUE = /^(tok|refresh|store|oci)\.(\d+)\.x+\.(\d+)\.end$/;

let dir: string;
let keysFile: string;
let keys: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tokenmint-proof-durability-"));
  keys = Array.from({ length: 3 }, () => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString());
  keysFile = join(dir, "keys.json");
  await writeFile(keysFile, JSON.stringify(keys), { mode: 0o600 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Starts the writer, waits until every loop has completed a write, lets it run `ms`, then SIGKILLs it. */
function runAndKill(ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, dir, keysFile, String(PAD_BYTES)], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let killed = false;
    const guard = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      if (!killed && d.toString().includes("ready")) {
        killed = true;
        setTimeout(() => child.kill("SIGKILL"), ms);
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(guard);
      if (signal === "SIGKILL" && killed) resolve();
      else reject(new Error(`the writer ended on its own (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

/** A value written whole: both sequence numbers there and equal, the padding complete. */
function wellFormed(value: string, kind: string): boolean {
  const m = VALUE.exec(value);
  return m !== null && m[1] === kind && m[2] === m[3] && value.length === `${kind}.${m[2]}.`.length + PAD_BYTES + `.${m[3]}.end`.length;
}

async function mode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

async function checkEverything(problems: string[], iteration: number, tempFiles: Set<string>): Promise<void> {
  const at = (what: string) => problems.push(`after kill ${iteration}: ${what}`);
  // tokens.tok, tokens1.tok, ...: never overwritten, so each is complete.
  const tokDir = join(dir, "tok");
  const tokNames = (await readdir(tokDir).catch(() => [] as string[])).sort();
  for (const name of tokNames) {
    const path = join(tokDir, name);
    if ((await mode(path)) !== 0o600) at(`${name} has mode ${(await mode(path)).toString(8)}`);
    if (name.startsWith(".")) {
      tempFiles.add(path);
      continue;
    }
    try {
      const json = JSON.parse(await readFile(path, "utf8")) as { app_access_token: string; app_refresh_token: string };
      if (!wellFormed(json.app_access_token, "tok") || !wellFormed(json.app_refresh_token, "refresh")) at(`${name} holds a torn value`);
    } catch {
      at(`${name} is not complete JSON`);
    }
  }
  // Keep the newest tokens.tok as "the previous file" for the next rounds; the others only cost disk.
  const complete = tokNames.filter((n) => !n.startsWith("."));
  for (const name of complete.slice(0, -1)) await rm(join(tokDir, name));

  // The file token store: one JSON file replaced by rename.
  const storeDir = join(dir, "store");
  for (const name of await readdir(storeDir).catch(() => [] as string[])) {
    const path = join(storeDir, name);
    if ((await mode(path)) !== 0o600) at(`store/${name} has mode ${(await mode(path)).toString(8)}`);
    if (name.endsWith(".tmp")) tempFiles.add(path);
  }
  try {
    const store = new FileTokenStore({ path: join(storeDir, "tokens.json") });
    for (const key of await store.keys()) {
      const token = await store.get(key);
      if (token === undefined || !wellFormed(token.value.reveal(), "store")) at(`store entry ${key} is torn`);
    }
  } catch (error) {
    at(`the store cannot be read: ${String(error)}`);
  }

  // ~/.oci/db-token: token, private key, public key, each replaced atomically.
  const ociDir = join(dir, "db-token");
  for (const name of await readdir(ociDir).catch(() => [] as string[])) {
    const path = join(ociDir, name);
    if ((await mode(path)) !== 0o600) at(`db-token/${name} has mode ${(await mode(path)).toString(8)}`);
    if (name.startsWith(".")) {
      tempFiles.add(path);
      continue;
    }
    const text = await readFile(path, "utf8");
    try {
      if (name === "token" && !wellFormed(text, "oci")) at("db-token/token is torn");
      if (name === "oci_db_key.pem" && !keys.includes(text)) at("db-token/oci_db_key.pem is not one of the keys written");
      if (name === "oci_db_key_public.pem") createPublicKey(text);
      if (name === "oci_db_key.pem") createPrivateKey(text);
    } catch {
      at(`db-token/${name} does not parse`);
    }
  }
}

describe("durability under SIGKILL", () => {
  it(`tokens.tok, the file token store and the OCI key files survive ${KILLS} kills at random points`, async () => {
    const problems: string[] = [];
    const tempFiles = new Set<string>();
    for (let i = 0; i < KILLS; i++) {
      await runAndKill(Math.floor(Math.random() * 60));
      await checkEverything(problems, i, tempFiles);
    }
    // A later write of the same target removes a killed writer's temporary file once it is 2 s old
    // (writeFileAtomic, the file store's sweep); what the last kills left is removed here, at any age:
    // every writer is dead, so each of them must be recognised as stale.
    const present = async (path: string) => (await stat(path).catch(() => undefined)) !== undefined;
    const leftAtEnd = (await Promise.all([...tempFiles].map(async (path) => ((await present(path)) ? path : undefined)))).filter((p) => p !== undefined);
    for (const path of leftAtEnd) {
      const target = /^\.(.+)\.\d+\.[0-9a-f]{12}\.tmp$/.exec(basename(path));
      if (target !== null) await removeStaleTempFiles(join(dirname(path), target[1]!), { minAgeMs: 0 });
    }
    const stillThere = (await Promise.all(leftAtEnd.map(async (path) => ((await present(path)) ? path : undefined)))).filter((p) => p !== undefined);
    process.stdout.write(
      `\nDurability: ${KILLS} SIGKILLs at random points; ${tempFiles.size} temporary files left behind by writes cut short (all 0600), ${tempFiles.size - leftAtEnd.length} of them removed by later writes, the other ${leftAtEnd.length} (the newest) recognised as stale at the end; ${problems.length} problems\n`,
    );
    expect(problems).toEqual([]);
    expect(stillThere).toEqual([]);
    // Every target exists after the runs (the writer got through whole writes between kills).
    expect((await readdir(join(dir, "tok"))).some((n) => n.endsWith(".tok"))).toBe(true);
    expect(await readdir(join(dir, "db-token"))).toEqual(expect.arrayContaining(["token", "oci_db_key.pem", "oci_db_key_public.pem"]));
    // Kills landed mid-write often enough for the test to mean something: each leaves a temporary file.
    expect(tempFiles.size).toBeGreaterThan(0);
  }, 120_000);
});
