// The command line under every fault of the matrix: each provider's CLI commands (issue, list, revoke as
// the provider has them) run as child processes of the built `tokenmint` binary, with --debug, against
// emulators whose every secret is a canary, with each of the 13 faults on every request. Per run: the
// outcome is the library's (the "every request" column of FAULT-MATRIX.md for the same operation), a
// failure exits with the code of its canonical error and prints that code, no secret shows in stdout,
// stderr or any file, and no half-written file is left (output files, the token cache). Each command has
// its own emulator and runs its faults one after another; at most 4 children run at once.
import { generateKeyPair, randomUUID } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { exitCodeFor } from "@tokenmint/cli";
import { type ErrorCode, ERROR_CODES, type LogEvent, Secret } from "@tokenmint/core";
import type { EmulatorServer } from "@tokenmint/core/emulator";
import { startEmulator as startOci } from "@tokenmint/provider-oci/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CanaryRegistry } from "../src/canary.js";
import { fileProblems, filesUnder, libraryOutcomes, type LibraryOutcome, pool } from "../src/cli-faults.js";
import { type ChildResult, runTokenmint } from "../src/cli-child.js";
import { epochSeconds, FAULT_IDS, faultRequest, kitFault, type ProviderFaultParts } from "../src/matrix/faults.js";
import { errorBody as huaweiErrorBody, huaweiCanaryEmulator } from "../src/matrix/huaweicloud.js";
import { canaryDomain, errorBody as idcsErrorBody, accessToken as idcsAccessToken } from "../src/matrix/idcs.js";
import { intersightCanaryEmulator, errorBody as intersightErrorBody } from "../src/matrix/intersight.js";
import { oauth2CanaryServer, oauth2Client, errorBody as oauth2ErrorBody, signedAccessToken } from "../src/matrix/oauth2.js";
import { errorBody as ociErrorBody, expiredBody as ociExpiredBody } from "../src/matrix/oci.js";
import type { FaultId, FaultRequest } from "../src/matrix/types.js";

const generate = promisify(generateKeyPair);
/** Child processes at once: enough to keep the run short, few enough for 2 cores. */
const CONCURRENCY = 4;
/**
 * --timeout per fault: 3 s for a Retry-After of 1-2 s (one or two waits, then a wait that would pass the
 * deadline ends the call with rate_limited; the first answer must arrive before the deadline even on a
 * busy machine, OCI generating its key pair first), 0.5 s for slow headers (the deadline is what ends
 * those calls: the CLI's per-attempt timeout is 30 s), and past the retry policy's worst case otherwise
 * (4 attempts, backoff up to 200 + 400 + 800 ms), so that no outcome depends on jitter.
 */
const TIMEOUT: Partial<Record<FaultId, string>> = { "429-seconds": "3", "429-date": "3", "slow-headers": "0.5" };
const DEFAULT_TIMEOUT = "5";

/** Secrets the user never asks to see: they may appear nowhere. */
const config = new CanaryRegistry();
/** Issued values: only in the files the user asked for (--out, --save), never on stdout, stderr or in the cache. */
const issued = new CanaryRegistry();
const GENERIC_LEAKS: readonly [string, RegExp][] = [
  ["a JWT", /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ["a PEM private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
];
const nullLogger = (_e: LogEvent) => {};

/** What one run of a command needs, made before the fault is injected. */
interface CellSetup {
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** After the run: problems with what happened on the server (a token left, two created, an orphan not reported). */
  after?(result: ChildResult, failed: boolean, fault: FaultId): Promise<string[]> | string[];
}

/** One CLI command of one provider, on its own emulator. */
interface Lane {
  /** e.g. "huaweicloud issue". */
  readonly name: string;
  /** The library operation it is held to, as FAULT-MATRIX.md names it. */
  readonly library: string;
  readonly server: EmulatorServer;
  readonly route: string;
  parts(request: FaultRequest): Promise<Omit<ProviderFaultParts, "route">>;
  setup(dirs: { readonly cell: string; readonly out: string }): Promise<CellSetup>;
  close(): Promise<void>;
}

/** What kind of check a problem failed. */
type ProblemKind = "exit" | "files" | "server" | "leak";
interface Problem {
  readonly kind: ProblemKind;
  readonly text: string;
}

interface CellOutcome {
  readonly lane: string;
  readonly fault: FaultId;
  readonly library: LibraryOutcome;
  /** "n/a", "ok", the canonical code printed, or what went wrong. */
  readonly code: string;
  readonly exit: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly elapsedMs: number;
  readonly problems: readonly Problem[];
}

let work: string;
let lanes: Lane[] = [];
let outcomes: CellOutcome[] = [];
/** Failed Huawei creates whose token the command reported by id. */
let orphansReported = 0;

async function secretFile(dir: string, name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}

const expiredTimes = () => ({ iat: epochSeconds() - 7200, exp: epochSeconds() - 3600 });

async function ociLane(): Promise<Lane> {
  const emu = await startOci();
  const pair = await generate("rsa", { modulusLength: 2048 });
  const passphrase = config.mint("OCIPASS");
  config.addPem(pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), "oci API key");
  const encrypted = pair.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase }).toString();
  config.addPem(encrypted, "oci API key (encrypted)");
  const user = await emu.addUser({ publicKeyPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString() });
  const flags = ["--endpoint", emu.url, "--tenancy", emu.credentials.tenancy, "--user", user.user, "--fingerprint", user.fingerprint, "--key-file", await secretFile(work, "oci_api_key.pem", encrypted), "--pass-phrase-file", await secretFile(work, "oci_pass", passphrase)];
  return {
    name: "oci issue --save --out",
    library: "oci issue (API key, generated key pair, files saved)",
    server: emu.server,
    route: "generateScopedAccessToken",
    parts: async (request) => ({ errorBody: ociErrorBody, missingFields: {}, expired: request.id === "expired-on-arrival" ? await ociExpiredBody(emu, issued) : undefined, jsonBody: true }),
    setup: async ({ out }) => ({ args: ["issue", "oci", ...flags, "--save", "--save-dir", join(out, "db-token"), "--out", join(out, "token.json")] }),
    close: () => emu.close(),
  };
}

async function idcsLane(): Promise<Lane> {
  const d = await canaryDomain(config);
  const flags = ["--domain-url", d.emu.url, "--client-id", d.clientId, "--client-secret-file", await secretFile(work, "idcs_secret", d.clientSecret), "--client-auth", "client_secret_post"];
  const alice = ["--grant", "password", "--username", d.username, "--password-file", await secretFile(work, "idcs_password", d.password), "--audience", d.audience, "--scope", "orders.read"];
  return {
    name: "idcs issue --grant password --format tok --out",
    library: "idcs issue: password (client_secret_post), tokens.tok saved",
    server: d.emu.server,
    route: "token",
    parts: async (request) => ({
      errorBody: idcsErrorBody,
      missingFields: { token_type: "Bearer", expires_in: 3600 },
      expired: request.id === "expired-on-arrival" ? { access_token: await idcsAccessToken(d, issued, expiredTimes()), token_type: "Bearer" } : undefined,
      jsonBody: true,
    }),
    setup: async ({ out }) => ({ args: ["issue", "idcs", ...flags, ...alice, "--format", "tok", "--out", out] }),
    close: () => d.emu.close(),
  };
}

async function huaweiLanes(): Promise<Lane[]> {
  // One emulator per command: a fault on one command's route must not reach another's set-up calls.
  const [permanent, temporary, revoking] = await Promise.all([huaweiCanaryEmulator(config, "permanent", nullLogger), huaweiCanaryEmulator(config, "temporary", nullLogger), huaweiCanaryEmulator(config, "permanent", nullLogger)]);
  const envOf = (h: typeof permanent): Record<string, string> => ({
    HUAWEICLOUD_SDK_AK: h.credentials.accessKey,
    HUAWEICLOUD_SDK_SK: h.credentials.secretKey,
    ...(h.credentials.securityToken === undefined ? {} : { HUAWEICLOUD_SDK_SECURITY_TOKEN: h.credentials.securityToken }),
  });
  /** The id the answer of the last expired-on-arrival cell names. */
  let expiredId: string | undefined;
  const whereFlags = (emu: typeof permanent.emu, where: { identityStoreId: string; tenantId: string }) => ["--endpoint", emu.url, "--identity-store-id", where.identityStoreId, "--tenant-id", where.tenantId];
  const issue: Lane = {
    name: "huaweicloud issue --out",
    library: "huaweicloud issue (create bearer token)",
    server: permanent.emu.server,
    route: "createBearerToken",
    parts: async () => {
      const now = Date.now();
      expiredId = randomUUID();
      return {
        errorBody: huaweiErrorBody,
        missingFields: { token_id: randomUUID(), creation_time: now },
        expired: { token_id: expiredId, token: issued.mint("HWEXPIREDTOKEN"), creation_time: now - 2 * 86_400_000, expiration_time: now - 86_400_000 },
        jsonBody: true,
      };
    },
    async setup({ out }) {
      // A tenant per run, so the tokens each run creates are counted.
      const where = permanent.emu.addTenant();
      return {
        args: ["issue", "huaweicloud", ...whereFlags(permanent.emu, where), "--out", join(out, "token.json")],
        env: envOf(permanent),
        after(result, failed, fault) {
          const created = permanent.emu.listTokens(where.identityStoreId, where.tenantId);
          for (const t of created) issued.add(t.value, "huawei created token");
          const problems: string[] = [];
          if (created.length > 1) problems.push(`${created.length} tokens created by one command`);
          // A token a failed command made is reported by id, as the library reports it: found by the
          // orphan check, or named by the answer that brought it expired (the injected answer names
          // another id than the emulator's token: that one is the id a real service would have made).
          const made = fault === "expired-on-arrival" ? expiredId : created[0]?.tokenId;
          if (failed && created.length === 1) {
            if (made !== undefined && result.stderr.includes(made)) orphansReported++;
            else problems.push("a token was created but its id is not in the report");
          }
          return problems;
        },
      };
    },
    close: () => permanent.emu.close(),
  };
  const listWhere = temporary.emu.addTenant();
  for (let i = 0; i < 3; i++) issued.add((await temporary.plain.issue(listWhere)).value.reveal(), "huawei listed token");
  const list: Lane = {
    name: "huaweicloud list (temporary credentials)",
    library: "huaweicloud list (temporary credentials)",
    server: temporary.emu.server,
    route: "listBearerTokens",
    parts: async () => ({ errorBody: huaweiErrorBody, missingFields: {}, expired: undefined, jsonBody: true }),
    setup: async () => ({
      args: ["list", "huaweicloud", ...whereFlags(temporary.emu, listWhere)],
      env: envOf(temporary),
      after: (result, failed) => (failed || result.stdout.trim().split("\n").length === 3 ? [] : [`listed ${result.stdout.trim().split("\n").length} records, not 3`]),
    }),
    close: () => temporary.emu.close(),
  };
  const revoke: Lane = {
    name: "huaweicloud revoke <id>",
    library: "huaweicloud revoke",
    server: revoking.emu.server,
    route: "deleteBearerToken",
    parts: async () => ({ errorBody: huaweiErrorBody, missingFields: undefined, expired: undefined, jsonBody: false }),
    async setup() {
      const where = revoking.emu.addTenant();
      const token = await revoking.plain.issue(where);
      issued.add(token.value.reveal(), "huawei token to revoke");
      return {
        args: ["revoke", "huaweicloud", token.id!, ...whereFlags(revoking.emu, where)],
        env: envOf(revoking),
        after: (_result, failed) => (!failed && revoking.emu.listTokens(where.identityStoreId, where.tenantId).length !== 0 ? ["revoked, yet the token is still there"] : []),
      };
    },
    close: () => revoking.emu.close(),
  };
  return [issue, list, revoke];
}

async function intersightLanes(): Promise<Lane[]> {
  const [forList, forRevoke] = await Promise.all([intersightCanaryEmulator(config, nullLogger), intersightCanaryEmulator(config, nullLogger)]);
  const flagsOf = async (emu: typeof forList.emu, name: string) => ["--endpoint", emu.url, "--key-id", emu.credentials.rsa.keyId, "--key-file", await secretFile(work, name, emu.credentials.rsa.privateKeyPem)];
  const listFlags = await flagsOf(forList.emu, "intersight-list.pem");
  const revokeFlags = await flagsOf(forRevoke.emu, "intersight-revoke.pem");
  const records = forList.emu.store.size;
  return [
    {
      name: "intersight list --page-size 10",
      library: "intersight list (every page)",
      server: forList.emu.server,
      route: "GetIamOAuthTokenList",
      parts: async () => ({ errorBody: intersightErrorBody, missingFields: { Results: [] }, expired: undefined, jsonBody: true }),
      setup: async () => ({
        args: ["list", "intersight", ...listFlags, "--page-size", "10"],
        after: (result, failed) => (failed || result.stdout.trim().split("\n").length === records ? [] : [`listed ${result.stdout.trim().split("\n").length} records, not ${records}`]),
      }),
      close: () => forList.emu.close(),
    },
    {
      name: "intersight revoke <moid>",
      library: "intersight revoke",
      server: forRevoke.emu.server,
      route: "DeleteIamOAuthToken",
      parts: async () => ({ errorBody: intersightErrorBody, missingFields: undefined, expired: undefined, jsonBody: false }),
      async setup() {
        const moid = forRevoke.emu.login({ clientName: "proof-cli" }).Moid;
        return { args: ["revoke", "intersight", moid, ...revokeFlags], after: (_result, failed) => (!failed && forRevoke.emu.store.get(moid) !== undefined ? ["revoked, yet the record is still there"] : []) };
      },
      close: () => forRevoke.emu.close(),
    },
  ];
}

async function oauth2Lanes(): Promise<Lane[]> {
  const [basic, keyed, revoking] = await Promise.all([oauth2CanaryServer(config), oauth2CanaryServer(config), oauth2CanaryServer(config)]);
  const secretFlags = async (s: typeof basic, name: string) => ["--issuer", s.emu.url, "--client-id", s.secretClientId, "--client-secret-file", await secretFile(work, name, s.clientSecret)];
  const tokenParts = (s: typeof basic) => async (request: FaultRequest) => ({
    errorBody: oauth2ErrorBody,
    missingFields: { token_type: "Bearer", expires_in: 3600 },
    expired: request.id === "expired-on-arrival" ? { access_token: await signedAccessToken(s, issued, expiredTimes()), token_type: "Bearer" } : undefined,
    jsonBody: true,
  });
  const basicFlags = await secretFlags(basic, "oauth2_basic_secret");
  const keyFlags = ["--issuer", keyed.emu.url, "--client-id", keyed.keyClientId, "--private-key-file", await secretFile(work, "oauth2_client.pem", keyed.privateKeyPem), "--key-id", keyed.keyId, "--client-auth", "private_key_jwt"];
  const revokeFlags = await secretFlags(revoking, "oauth2_revoke_secret");
  const setupClient = await oauth2Client(revoking, "client_secret_basic", undefined, true);
  return [
    {
      name: "oauth2 issue client_credentials (client_secret_basic) --out",
      library: "oauth2 issue: client_credentials (client_secret_basic)",
      server: basic.emu.server,
      route: "token",
      parts: tokenParts(basic),
      setup: async ({ out }) => ({ args: ["issue", "oauth2", ...basicFlags, "--client-auth", "client_secret_basic", "--scope", "read", "--resource", basic.api, "--out", join(out, "token.json")] }),
      close: () => basic.emu.close(),
    },
    {
      name: "oauth2 issue client_credentials (private_key_jwt) --out",
      library: "oauth2 issue: client_credentials (private_key_jwt)",
      server: keyed.emu.server,
      route: "token",
      parts: tokenParts(keyed),
      setup: async ({ out }) => ({ args: ["issue", "oauth2", ...keyFlags, "--scope", "read,write", "--resource", keyed.reports, "--out", join(out, "token.json")] }),
      close: () => keyed.emu.close(),
    },
    {
      name: "oauth2 revoke --token-file (refresh token)",
      library: "oauth2 revoke (refresh token, RFC 7009)",
      server: revoking.emu.server,
      route: "revoke",
      parts: async () => ({ errorBody: oauth2ErrorBody, missingFields: undefined, expired: undefined, jsonBody: false }),
      async setup({ cell }) {
        const token = await setupClient.issue({ grant: "password", username: revoking.username, password: new Secret(revoking.password), scope: "read" });
        const refresh = token.refreshToken!.reveal();
        issued.add(refresh, "oauth2 refresh token to revoke");
        issued.add(token.value.reveal(), "oauth2 access token");
        return {
          args: ["revoke", "oauth2", ...revokeFlags, "--token-file", await secretFile(cell, "refresh-token", refresh), "--token-type-hint", "refresh_token"],
          after: (_result, failed) => (!failed && revoking.emu.directory.refreshTokens.get(refresh)?.active !== false ? ["revoked, yet the refresh token is still active"] : []),
        };
      },
      close: () => revoking.emu.close(),
    },
  ];
}

/** The code the CLI printed (`error: <code>: ...`), or "ok" for a success. */
function printedCode(result: ChildResult): string {
  if (result.code === 0) return "ok";
  const match = /^error: ([a-z_]+): /m.exec(result.stderr);
  return match !== null && (ERROR_CODES as readonly string[]).includes(match[1]!) ? match[1]! : `no canonical code (exit ${result.code})`;
}

/** Registers the issued values of a file the command wrote (they may be there: the user asked for them). */
function learnIssued(file: string, text: string, where: string): void {
  if (file.endsWith(".pem")) {
    issued.addPem(text, `${where}: issued key`);
    return;
  }
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    for (const key of ["value", "refreshToken", "app_access_token", "app_refresh_token"]) if (typeof json[key] === "string") issued.add(json[key], `${where}: issued ${key}`);
  } catch {
    issued.add(text.trim(), `${where}: issued (saved)`);
  }
}

async function runCell(lane: Lane, fault: FaultId, library: LibraryOutcome, run: <T>(task: () => Promise<T>) => Promise<T>, cacheKey: string): Promise<CellOutcome> {
  const request = faultRequest(fault, "always");
  const base = { lane: lane.name, fault, library };
  const parts = { route: lane.route, ...(await lane.parts(request)) };
  if (kitFault(request, parts) === undefined) return { ...base, code: "n/a", exit: null, signal: null, elapsedMs: 0, problems: [] };
  const cell = await mkdtemp(join(work, "cell-"));
  const out = join(cell, "out");
  const home = join(cell, "home");
  await mkdir(out);
  await mkdir(home, { mode: 0o700 });
  const setup = await lane.setup({ cell, out });
  const args = [...setup.args, "--debug", "--timeout", TIMEOUT[fault] ?? DEFAULT_TIMEOUT];
  const env = { HOME: home, XDG_CACHE_HOME: join(home, ".cache"), TOKENMINT_CACHE_KEY: cacheKey, ...setup.env };
  // The fault is made and injected when the child starts, not while it waits for a slot (a Retry-After date counts from then).
  const { result, elapsedMs } = await run(async () => {
    const handle = lane.server.faults.inject(kitFault(request, parts)!);
    const started = Date.now();
    try {
      return { result: await runTokenmint(args, { env }), elapsedMs: Date.now() - started };
    } finally {
      handle.cancel();
    }
  });
  const code = printedCode(result);
  const failed = result.code !== 0;
  const problems: Problem[] = [];
  const add = (kind: ProblemKind, texts: readonly string[]) => problems.push(...texts.map((text) => ({ kind, text })));
  if (result.signal !== null) add("exit", [`killed by ${result.signal}`]);
  if (failed && Object.hasOwn(EXIT_OF, code) && result.code !== EXIT_OF[code as ErrorCode]) add("exit", [`exit ${result.code}, but ${code} exits ${EXIT_OF[code as ErrorCode]}`]);
  add("files", await fileProblems(out, join(home, ".cache"), failed));
  add("server", (await setup.after?.(result, failed, fault)) ?? []);

  // Secrets: configuration canaries nowhere; issued values only in the output files asked for.
  const where = `${lane.name} x ${fault}`;
  for (const [stream, text] of [["stdout", result.stdout], ["stderr", result.stderr]] as const) {
    config.observeText(`${where}: ${stream}`, text);
    issued.observeText(`${where}: ${stream}`, text);
    for (const [what, pattern] of GENERIC_LEAKS) if (pattern.test(text)) add("leak", [`${what} in ${stream}`]);
  }
  for (const file of await filesUnder(out)) {
    const text = await readFile(file, "utf8");
    config.observeText(`${where}: ${file}`, text);
    learnIssued(file, text, where);
  }
  for (const file of await filesUnder(home)) {
    const text = await readFile(file, "utf8");
    config.observeText(`${where}: ${file}`, text);
    issued.observeText(`${where}: ${file}`, text);
  }
  await rm(cell, { recursive: true, force: true });
  return { ...base, code, exit: result.code, signal: result.signal, elapsedMs, problems };
}

const EXIT_OF = Object.fromEntries(ERROR_CODES.map((c) => [c, exitCodeFor(c)])) as Record<ErrorCode, number>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "tokenmint-proof-cli-faults-"));
  const cacheKey = config.mint("CACHEKEY");
  lanes = (await Promise.all([ociLane().then((l) => [l]), idcsLane().then((l) => [l]), huaweiLanes(), intersightLanes(), oauth2Lanes()])).flat();
  const library = libraryOutcomes();
  const run = pool(CONCURRENCY);
  outcomes = (
    await Promise.all(
      lanes.map(async (lane) => {
        const out: CellOutcome[] = [];
        for (const fault of FAULT_IDS) out.push(await runCell(lane, fault, library(lane.library, fault), run, cacheKey));
        return out;
      }),
    )
  ).flat();
}, 240_000);

afterAll(async () => {
  await Promise.all(lanes.map((l) => l.close()));
  await rm(work, { recursive: true, force: true });
  if (outcomes.length === 0) return;
  const rows = outcomes.map((o) => [o.lane, o.fault, o.library.code, o.code, o.exit === null ? "" : String(o.exit), o.code === "n/a" ? "" : `${o.elapsedMs} ms`, o.problems.map((p) => p.text).join("; ")]);
  const header = ["command", "fault (every request)", "library", "CLI", "exit", "elapsed", "problems"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((v, i) => v.padEnd(widths[i]!)).join("  ");
  process.stdout.write(`\nCLI under every fault (${CONCURRENCY} children at once)\n${[line(header), ...rows.map(line)].join("\n")}\n`);
});

const label = (o: CellOutcome) => `${o.lane} x ${o.fault}`;
const ran = () => outcomes.filter((o) => o.code !== "n/a");

const problemsOf = (kind: ProblemKind) => ran().flatMap((o) => o.problems.filter((p) => p.kind === kind).map((p) => `${label(o)}: ${p.text}`));

describe("the CLI under every fault of the matrix", () => {
  it("runs every fault for every provider's commands (issue, list, revoke)", () => {
    expect(outcomes.length).toBe(lanes.length * FAULT_IDS.length);
    const commands = new Set(lanes.map((l) => l.name.split(" ").slice(0, 2).join(" ")));
    for (const c of ["oci issue", "idcs issue", "huaweicloud issue", "huaweicloud list", "huaweicloud revoke", "intersight list", "intersight revoke", "oauth2 issue", "oauth2 revoke"]) expect(commands).toContain(c);
    // Only a fault the library cannot apply either (no body to cut, no token to expire) is not run.
    expect(outcomes.filter((o) => (o.code === "n/a") !== (o.library.code === "n/a")).map(label)).toEqual([]);
    expect(ran().length).toBeGreaterThan(100);
  });

  it("ends as the library does: the same canonical code, or success", () => {
    expect(ran().filter((o) => o.code !== o.library.code).map((o) => `${label(o)}: CLI ${o.code}, library ${o.library.code}`)).toEqual([]);
    expect(ran().filter((o) => o.code !== "ok").length).toBeGreaterThan(90);
  });

  it("a failure prints its canonical code and exits with that code's status; no child had to be killed", () => {
    expect(problemsOf("exit")).toEqual([]);
    for (const o of ran().filter((o) => o.code !== "ok")) expect(o.exit, label(o)).toBe(EXIT_OF[o.code as ErrorCode]);
  });

  it("no half-written file: no output after a failure, complete 0600 files after a success, a whole token cache", () => {
    expect(problemsOf("files")).toEqual([]);
    expect(ran().some((o) => o.code === "ok" && o.lane.includes("--out"))).toBe(true);
  });

  it("on the server: revoked means gone, listings complete, at most one token per create, every token it could not return reported", () => {
    expect(problemsOf("server")).toEqual([]);
    // The check above means something only if failed creates did make tokens (the library finds them for 5 faults).
    expect(orphansReported).toBeGreaterThan(1);
  });

  it("the file check itself finds a half-written file (a check that cannot fail proves nothing)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tokenmint-proof-file-check-"));
    try {
      await mkdir(join(dir, "out"));
      await mkdir(join(dir, "cache"));
      await writeFile(join(dir, "out", "token.json"), '{"value":', { mode: 0o644 });
      await writeFile(join(dir, "cache", ".oci.json.123.tmp"), "x", { mode: 0o600 });
      const problems = await fileProblems(join(dir, "out"), join(dir, "cache"), true);
      expect(problems.join("\n")).toMatch(/files left after a failed command/);
      expect(problems.join("\n")).toMatch(/mode 644/);
      expect(problems.join("\n")).toMatch(/not whole JSON/);
      expect(problems.join("\n")).toMatch(/temporary file left/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("no secret canary in stdout, stderr, the output files or the token cache", () => {
    expect(problemsOf("leak")).toEqual([]);
    expect(config.size).toBeGreaterThan(10);
    expect(issued.size).toBeGreaterThan(20);
    expect(config.findings()).toEqual([]);
    expect(issued.findings()).toEqual([]);
  });
});
