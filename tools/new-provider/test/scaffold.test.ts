// The scaffold, end to end: `new-provider demo` into a temporary copy of the workspace, then the new
// package's build, typecheck, lint and tests as real child processes, the CLI finding it by its package
// metadata, and the refusals. Also measures the time from the scaffold to green tests (the guide quotes it).
import { mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idProblem, parseArgs, providerNames, ScaffoldError, scaffold } from "../src/index.js";
import { BIOME, CODEGEN_CLI, changedPaths, cliCopy, REPO, runNode, SCAFFOLD_CLI, snapshot, startNode, TSC, TSX, VITEST, workspaceCopy } from "./helpers.js";

let root: string;
let cleanup: () => Promise<void>;
let before: Map<string, string>;
const timings: Record<string, number> = {};

beforeAll(async () => {
  ({ root, cleanup } = await workspaceCopy());
  before = await snapshot(root);
});
afterAll(async () => {
  await cleanup?.();
});

describe("provider ids", () => {
  it("accepts package-name-safe ids and derives every name from them", () => {
    for (const id of ["acme", "my-idp", "a1", "oauth2", "x".repeat(40)]) expect(idProblem(id)).toBeUndefined();
    expect(providerNames("my-idp")).toEqual({
      id: "my-idp",
      packageName: "@tokenmint/provider-my-idp",
      packageDir: "packages/provider-my-idp",
      specPath: "specs/providers/my-idp.json",
      pascal: "MyIdp",
      camel: "myIdp",
      env: "MY_IDP",
      displayName: "My Idp",
    });
  });

  it("refuses ids that are not valid package names or provider ids, naming the rule", () => {
    for (const id of ["", "Acme", "my_idp", "-x", "x-", "a--b", "1abc", "@scope/x", "../evil", "a b", "é", "x".repeat(41)]) {
      expect(idProblem(id), id).toMatch(/provider id/);
    }
  });
});

describe("--capabilities", () => {
  const capabilities = (...argv: string[]) => {
    const parsed = parseArgs(["acme", ...argv], "/");
    return typeof parsed === "string" ? parsed : parsed.capabilities;
  };

  it("defaults to issue, takes list and revoke in any order, commas or repeated flags, in descriptor order", () => {
    expect(capabilities()).toEqual(["issue"]);
    expect(capabilities("--capabilities", "revoke, issue,list")).toEqual(["issue", "list", "revoke"]);
    expect(capabilities("--capabilities=list,issue")).toEqual(["issue", "list"]);
    expect(capabilities("--capabilities", "revoke", "--capabilities", "issue,revoke")).toEqual(["issue", "revoke"]);
  });

  it("refuses what it cannot generate, and a list without issue, naming the way out", () => {
    expect(capabilities("--capabilities", "list,revoke")).toMatch(/must include issue/);
    expect(capabilities("--capabilities", "issue,get")).toMatch(/does not generate get/);
    expect(capabilities("--capabilities", "issue,refresh")).toMatch(/does not generate refresh/);
    expect(capabilities("--capabilities", "issue,delete")).toMatch(/unknown capability "delete"/);
    expect(capabilities("--capabilities", ",")).toMatch(/at least issue/);
    expect(capabilities("--capabilities")).toMatch(/needs a value/);
  });
});

describe("new-provider demo in a copy of the workspace", () => {
  it("creates the spec and the package, which build, typecheck, lint and pass their tests, touching nothing else", { timeout: 240_000 }, async () => {
    const scaffolded = await runNode([TSX, SCAFFOLD_CLI, "demo", "--root", root, "--link", "symlink"], root);
    expect(scaffolded.stderr).toBe("");
    expect(scaffolded.code).toBe(0);
    timings["scaffold"] = scaffolded.ms;
    const pkg = join(root, "packages/provider-demo");

    // The package's build script: `tsc -b && tokenmint-bundle`.
    const build = await runNode([TSC, "-b"], pkg);
    expect(build.stdout + build.stderr).toBe("");
    expect(build.code).toBe(0);
    const bundle = await runNode([join(pkg, "node_modules/.bin/tokenmint-bundle")], pkg);
    expect(bundle.code, bundle.stderr).toBe(0);
    timings["build"] = build.ms + bundle.ms;
    const typecheck = await runNode([TSC, "-p", "tsconfig.test.json"], pkg);
    expect(typecheck.stdout + typecheck.stderr).toBe("");
    timings["typecheck"] = typecheck.ms;
    const test = await runNode([VITEST, "run"], pkg);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/Tests\s+8 passed \(8\)/);
    timings["test"] = test.ms;
    const total = timings["scaffold"]! + timings["build"]! + timings["typecheck"]! + timings["test"]!;
    process.stdout.write(`new-provider demo -> green tests: ${(total / 1000).toFixed(1)} s (${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(", ")})\n`);
    expect(total).toBeLessThan(60_000);

    const lint = await runNode([BIOME, "lint", "packages/provider-demo", "specs/providers/demo.json"], root);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    const codegenCheck = await runNode([TSX, CODEGEN_CLI, "--check", "--root", root], root);
    expect(codegenCheck.code, codegenCheck.stderr).toBe(0);

    // Nothing outside the new package and the new spec changed.
    const changed = changedPaths(before, await snapshot(root));
    expect(changed.filter((p) => p !== "packages/provider-demo" && !p.startsWith("packages/provider-demo/") && p !== "specs/providers" && p !== "specs/providers/demo.json")).toEqual([]);
    const manifest = JSON.parse(await readFile(join(pkg, "package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "@tokenmint/provider-demo", tokenmint: { provider: true }, dependencies: { "@tokenmint/core": "workspace:*" } });
    expect(Object.keys(manifest.exports)).toEqual([".", "./emulator", "./cli", "./package.json"]);

    // Same shape as the workspace's provider packages: scripts, export conditions, tooling devDependencies.
    const shape = (m: { scripts: unknown; exports: Record<string, unknown>; devDependencies?: Record<string, string> }, id: string) => ({
      scripts: m.scripts,
      exports: JSON.parse(JSON.stringify(m.exports).replaceAll(`provider-${id}`, "provider-X")),
      tooling: Object.keys(m.devDependencies ?? {}).filter((d) => d.startsWith("@tokenmint/")),
    });
    for (const dir of (await readdir(join(REPO, "packages"))).filter((d) => d.startsWith("provider-") && d !== "provider-oauth2")) {
      const other = JSON.parse(await readFile(join(REPO, "packages", dir, "package.json"), "utf8"));
      expect(shape(manifest, "demo"), dir).toEqual(shape(other, dir.slice("provider-".length)));
    }
    expect(await readFile(join(root, "specs/providers/demo.json"), "utf8")).toContain('"provider": "demo"');
  });

  it("is found by the tokenmint CLI through its package metadata (or --plugin), which runs its emulator and issues from it", async () => {
    // An application directory where the package is installed, as pnpm or npm would link it.
    const app = join(root, "app");
    await mkdir(join(app, "node_modules/@tokenmint"), { recursive: true });
    await symlink(join(root, "packages/provider-demo"), join(app, "node_modules/@tokenmint/provider-demo"), "dir");
    const TOKENMINT_CLI = await cliCopy(root);
    const providers = await runNode([TSX, TOKENMINT_CLI, "providers", "--json"], app);
    expect(providers.code, providers.stderr).toBe(0);
    const rows = providers.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string });
    expect(rows.find((r) => r.id === "demo")).toMatchObject({ id: "demo", package: "@tokenmint/provider-demo", capabilities: ["issue"], emulator: true, cli: ["issue"] });

    // Outside any node_modules that has it, --plugin loads it by path (what a third-party provider's users do).
    const elsewhere = join(root, "elsewhere");
    await mkdir(elsewhere);
    const withoutPlugin = await runNode([TSX, TOKENMINT_CLI, "providers", "--json"], elsewhere);
    expect(withoutPlugin.stdout).not.toContain('"demo"');
    const plugin = await runNode([TSX, TOKENMINT_CLI, "providers", "--json", "--plugin", join(root, "packages/provider-demo/dist/bundle/index.js")], elsewhere);
    expect(plugin.code, plugin.stderr).toBe(0);
    expect(plugin.stdout).toContain('"id":"demo"');

    const emulate = await startNode([TSX, TOKENMINT_CLI, "emulate", "--providers", "demo", "--json"], app);
    try {
      const { url, credentials } = (JSON.parse(emulate.firstLine) as { emulators: Record<string, { url: string; credentials: { clientId: string; clientSecret: string } }> }).emulators["demo"]!;
      const issued = await runNode([TSX, TOKENMINT_CLI, "issue", "demo", "--endpoint", url, "--client-id", credentials.clientId, "--scope", "read", "--format", "json"], app, { DEMO_CLIENT_SECRET: credentials.clientSecret, XDG_CACHE_HOME: join(root, "cache") });
      expect(issued.code, issued.stderr).toBe(0);
      expect(JSON.parse(issued.stdout)).toMatchObject({ provider: "demo", tokenType: "Bearer" });
      expect(issued.stdout + issued.stderr).not.toContain(credentials.clientSecret);
    } finally {
      await emulate.stop();
    }
  });

  it("refuses an existing id, a taken package name and bad ids, writing nothing", async () => {
    const state = await snapshot(root);
    const again = await runNode([TSX, SCAFFOLD_CLI, "demo", "--root", root, "--link", "none"], root);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('provider "demo" exists');
    const bad = await runNode([TSX, SCAFFOLD_CLI, "My_Provider", "--root", root], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("not a valid provider id");
    await expect(scaffold({ root, id: "../evil", link: "none" })).rejects.toMatchObject({ exitCode: 2 });
    await expect(scaffold({ root, id: "fresh", link: "none", capabilities: ["list", "revoke"] })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining("must include issue") });
    const badCapability = await runNode([TSX, SCAFFOLD_CLI, "fresh", "--root", root, "--capabilities", "issue,get"], root);
    expect(badCapability.code).toBe(2);
    expect(badCapability.stderr).toContain("does not generate get");
    expect(changedPaths(state, await snapshot(root))).toEqual([]);

    // A spec without a package, or a package directory holding another name, counts as existing too.
    await writeFile(join(root, "specs/providers/taken.json"), "{}\n");
    await expect(scaffold({ root, id: "taken", link: "none" })).rejects.toThrow(/specs\/providers\/taken\.json is already there/);
    await mkdir(join(root, "tools/odd"), { recursive: true });
    await writeFile(join(root, "tools/odd/package.json"), JSON.stringify({ name: "@tokenmint/provider-odd" }));
    await expect(scaffold({ root, id: "odd", link: "none" })).rejects.toThrow(/tools\/odd is already named @tokenmint\/provider-odd/);
    await expect(scaffold({ root: join(root, "specs"), id: "elsewhere", link: "none" })).rejects.toThrow(/not the tokenmint workspace/);
  });

  it("removes what it wrote when codegen finds a problem in the specs", async () => {
    await writeFile(join(root, "specs/providers/taken.json"), "{ not json");
    const state = await snapshot(root);
    const error = await scaffold({ root, id: "rollback", link: "none" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScaffoldError);
    expect((error as ScaffoldError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(/specs\/providers\/taken\.json:1:3: invalid JSON/);
    expect(changedPaths(state, await snapshot(root))).toEqual([]);
  });

  it("links with pnpm install --offline at the root, and says what to do when that fails", async () => {
    await rm(join(root, "specs/providers/taken.json"));
    const record = join(root, "pnpm-calls.txt");
    // Stand-ins for pnpm (real child processes): one records its arguments and working directory, one fails.
    const fake = join(root, "fake-pnpm.mjs");
    await writeFile(fake, `import { appendFileSync } from "node:fs";\nappendFileSync(${JSON.stringify(record)}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }) + "\\n");\n`);
    const result = await scaffold({ root, id: "linked", link: "pnpm", pnpm: [process.execPath, fake] });
    expect(result.link).toBe("pnpm");
    const calls = (await readFile(record, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(calls).toEqual([{ args: ["install", "--offline"], cwd: root }]);

    const failing = join(root, "fake-pnpm-fails.mjs");
    await writeFile(failing, "process.exit(1);\n");
    const lines: string[] = [];
    const error = await scaffold({ root, id: "unlinked", link: "pnpm", pnpm: [process.execPath, failing], log: (l) => lines.push(l) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 3, message: expect.stringContaining("run `pnpm install`") });
    expect(lines.filter((l) => l.startsWith("linking:"))).toHaveLength(2);
    // The package is kept: only the linking failed.
    expect((await snapshot(root)).has("packages/provider-unlinked/src/index.ts")).toBe(true);
  });
});

describe("new-provider full --capabilities issue,list,revoke in a copy of the workspace", () => {
  let full: string;
  let cleanupFull: () => Promise<void>;
  let fullBefore: Map<string, string>;
  beforeAll(async () => {
    ({ root: full, cleanup: cleanupFull } = await workspaceCopy());
    fullBefore = await snapshot(full);
  });
  afterAll(async () => {
    await cleanupFull?.();
  });

  it("generates list and revoke (spec, client, emulator, CLI, tests), which build, typecheck, lint and pass their tests", { timeout: 240_000 }, async () => {
    const t: Record<string, number> = {};
    const scaffolded = await runNode([TSX, SCAFFOLD_CLI, "full", "--root", full, "--link", "symlink", "--capabilities", "issue,list,revoke"], full);
    expect(scaffolded.stderr).toBe("");
    expect(scaffolded.code).toBe(0);
    expect(scaffolded.stdout).toContain("created @tokenmint/provider-full (issue, list, revoke)");
    t["scaffold"] = scaffolded.ms;
    const pkg = join(full, "packages/provider-full");
    const build = await runNode([TSC, "-b"], pkg);
    expect(build.stdout + build.stderr).toBe("");
    const bundle = await runNode([join(pkg, "node_modules/.bin/tokenmint-bundle")], pkg);
    expect(bundle.code, bundle.stderr).toBe(0);
    t["build"] = build.ms + bundle.ms;
    const typecheck = await runNode([TSC, "-p", "tsconfig.test.json"], pkg);
    expect(typecheck.stdout + typecheck.stderr).toBe("");
    t["typecheck"] = typecheck.ms;
    const test = await runNode([VITEST, "run", "--reporter=verbose"], pkg);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    // The 8 tests of issue, plus issue -> list -> revoke -> list, the cursor under revocation, list limits, list
    // retries/abort/looping cursor, a malformed listing, revoke after a lost answer, wrong secret, and the CLI's list and revoke.
    expect(test.stdout).toMatch(/Tests\s+17 passed \(17\)/);
    for (const title of ["issue -> list (page by page) -> revoke -> list", "keeps its place when tokens are revoked between pages", "revokes once when the answer is lost", "runs the CLI's revoke operation"]) {
      expect(test.stdout).toContain(title);
    }
    t["test"] = test.ms;
    const total = Object.values(t).reduce((a, b) => a + b, 0);
    process.stdout.write(`new-provider full --capabilities issue,list,revoke -> green tests: ${(total / 1000).toFixed(1)} s (${Object.entries(t).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(", ")})\n`);
    expect(total).toBeLessThan(60_000);

    const lint = await runNode([BIOME, "lint", "packages/provider-full", "specs/providers/full.json"], full);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    const codegenCheck = await runNode([TSX, CODEGEN_CLI, "--check", "--root", full], full);
    expect(codegenCheck.code, codegenCheck.stderr).toBe(0);
    const changed = changedPaths(fullBefore, await snapshot(full));
    expect(changed.filter((p) => p !== "packages/provider-full" && !p.startsWith("packages/provider-full/") && p !== "specs/providers" && p !== "specs/providers/full.json")).toEqual([]);

    // The spec declares the operations as the real specs do: retry safety, pagination, the id in the token response.
    const spec = JSON.parse(await readFile(join(full, "specs/providers/full.json"), "utf8"));
    expect(spec.paths["/tokens"].get).toMatchObject({ operationId: "listTokens", "x-tokenmint-retry-safe": true });
    expect(spec.paths["/tokens"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["page_size", "page_token"]);
    expect(spec.components.schemas.TokenList.properties).toHaveProperty("next_page_token");
    expect(spec.paths["/tokens/{token_id}"].delete).toMatchObject({ operationId: "revokeToken", "x-tokenmint-retry-safe": true });
    expect(spec.components.schemas.TokenResponse.required).toContain("token_id");
    const generated = await readFile(join(pkg, "src/generated/spec.ts"), "utf8");
    expect(generated).toContain('listTokens: { method: "GET", path: "/tokens", retrySafe: true, successStatuses: [200] }');
    expect(generated).toContain('revokeToken: { method: "DELETE", path: "/tokens/{token_id}", retrySafe: true, successStatuses: [204] }');
  });

  it("is driven by the tokenmint CLI: issue, list, revoke --dry-run, revoke (which drops the cached token), list", async () => {
    const app = join(full, "app");
    await mkdir(join(app, "node_modules/@tokenmint"), { recursive: true });
    await symlink(join(full, "packages/provider-full"), join(app, "node_modules/@tokenmint/provider-full"), "dir");
    const TOKENMINT_CLI = await cliCopy(full);
    const providers = await runNode([TSX, TOKENMINT_CLI, "providers", "--json"], app);
    expect(providers.code, providers.stderr).toBe(0);
    const row = providers.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string }).find((r) => r.id === "full");
    expect(row).toMatchObject({ capabilities: ["issue", "list", "revoke"], cli: ["issue", "list", "revoke"], emulator: true });

    const emulate = await startNode([TSX, TOKENMINT_CLI, "emulate", "--providers", "full", "--json"], app);
    try {
      const { url, credentials } = (JSON.parse(emulate.firstLine) as { emulators: Record<string, { url: string; credentials: { clientId: string; clientSecret: string } }> }).emulators["full"]!;
      // A token cache of its own, so the test neither reads nor leaves anything in the user's.
      const env = { FULL_CLIENT_SECRET: credentials.clientSecret, XDG_CACHE_HOME: join(full, "cache") };
      const cli = (command: string, ...args: string[]) => runNode([TSX, TOKENMINT_CLI, command, "full", ...args, "--endpoint", url, "--client-id", credentials.clientId], app, env);
      const ids: string[] = [];
      for (const scope of ["read", "write", "read,write"]) {
        const issued = await runNode([TSX, TOKENMINT_CLI, "issue", "full", "--endpoint", url, "--client-id", credentials.clientId, "--scope", scope, "--format", "json"], app, env);
        expect(issued.code, issued.stderr).toBe(0);
        ids.push((JSON.parse(issued.stdout) as { id: string }).id);
      }
      expect(new Set(ids).size).toBe(3);
      const listed = await cli("list", "--page-size", "2", "--json");
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(ids);
      expect(listed.stdout + listed.stderr).not.toContain(credentials.clientSecret);
      expect((await cli("list", "--page-size", "0")).code).toBe(3);

      const dry = await cli("revoke", ids[0]!, "--dry-run");
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain(`"wouldRevoke":["${ids[0]}"]`);
      const revoked = await cli("revoke", ids[0]!);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(JSON.parse(revoked.stdout)).toEqual({ dryRun: false, revoked: [ids[0]] });
      expect(revoked.stderr).toContain("removed 1 revoked token(s) from the token cache");
      const after = await cli("list", "--json");
      expect(after.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(ids.slice(1));
      // The revoked token is not served from the cache again: the same issue gets a new token.
      const again = await runNode([TSX, TOKENMINT_CLI, "issue", "full", "--endpoint", url, "--client-id", credentials.clientId, "--scope", "read", "--format", "json"], app, env);
      expect(again.code, again.stderr).toBe(0);
      expect((JSON.parse(again.stdout) as { id: string }).id).not.toBe(ids[0]);
      const missing = await cli("revoke", ids[0]!);
      expect(missing.code).toBe(5);
      expect((await cli("revoke")).code).toBe(3);
    } finally {
      await emulate.stop();
    }
  });

  it("generates issue,list and issue,revoke alone too: they typecheck, lint and pass their tests", { timeout: 240_000 }, async () => {
    for (const [id, capabilities, tests] of [
      ["listonly", "issue,list", 14],
      ["revokeonly", "issue,revoke", 12],
    ] as const) {
      const scaffolded = await runNode([TSX, SCAFFOLD_CLI, id, "--root", full, "--link", "symlink", "--capabilities", capabilities], full);
      expect(scaffolded.code, scaffolded.stderr).toBe(0);
      const pkg = join(full, "packages", `provider-${id}`);
      const typecheck = await runNode([TSC, "-p", "tsconfig.test.json"], pkg);
      expect(typecheck.stdout + typecheck.stderr, id).toBe("");
      const test = await runNode([VITEST, "run"], pkg);
      expect(test.code, test.stdout + test.stderr).toBe(0);
      expect(test.stdout).toMatch(new RegExp(`Tests\\s+${tests} passed \\(${tests}\\)`));
      const lint = await runNode([BIOME, "lint", `packages/provider-${id}`, `specs/providers/${id}.json`], full);
      expect(lint.code, lint.stdout + lint.stderr).toBe(0);
      const index = await readFile(join(pkg, "src/index.ts"), "utf8");
      expect(index).toContain(`capabilities: [${capabilities.split(",").map((c) => JSON.stringify(c)).join(", ")}]`);
    }
  });
});
