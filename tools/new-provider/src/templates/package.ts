// The non-source files of a new provider package: package.json, tsconfigs, vitest config, README.
import { type OptionalKind, type SourceFileStructure, StructureKind } from "ts-morph";
import type { CapabilitySet } from "../capabilities.js";
import type { ProviderNames } from "../names.js";
import { importFrom, lines } from "../ts.js";

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** package.json, in the shape of the workspace's provider packages (see packages/provider-idcs). */
export function packageJsonTemplate(n: ProviderNames, rootPackage: { engines?: unknown }): string {
  // As every provider package: sources for the workspace's tests, declarations, and the bundle that
  // tools/bundle makes from tsc's output (one file per export: a cold import reads a few files).
  const entry = (sub: string) => ({ "tokenmint-source": `./src/${sub}.ts`, types: `./dist/${sub}.d.ts`, default: `./dist/bundle/${sub}.js` });
  return json({
    name: n.packageName,
    version: "0.1.0",
    description: `tokenmint provider for ${n.displayName}: access tokens through tokenmint's canonical contract, plus an offline emulator.`,
    license: "Apache-2.0",
    type: "module",
    sideEffects: false,
    engines: rootPackage.engines ?? { node: ">=20.16" },
    files: ["dist", "README.md"],
    exports: { ".": entry("index"), "./emulator": entry("emulator/index"), "./cli": entry("cli/index"), "./package.json": "./package.json" },
    // How the tokenmint CLI finds provider packages: no list of providers lives anywhere else.
    tokenmint: { provider: true },
    scripts: { build: "tsc -b && tokenmint-bundle", typecheck: "tsc -p tsconfig.test.json", test: "vitest run" },
    dependencies: { "@tokenmint/core": "workspace:*" },
    devDependencies: { "@tokenmint/bundle": "workspace:*" },
  });
}

export function tsconfigTemplate(): string {
  return json({
    extends: "../../tsconfig.base.json",
    compilerOptions: { rootDir: "src", outDir: "dist", tsBuildInfoFile: "dist/.tsbuildinfo" },
    include: ["src"],
    references: [{ path: "../core" }],
  });
}

export function tsconfigTestTemplate(): string {
  return json({
    extends: "../../tsconfig.base.json",
    compilerOptions: { noEmit: true, composite: false, incremental: false, declaration: false, declarationMap: false, rootDir: "." },
    include: ["src", "test"],
  });
}

export function vitestConfigTemplate(): OptionalKind<SourceFileStructure> {
  return {
    statements: [
      importFrom("vitest/config", ["defineConfig"]),
      {
        kind: StructureKind.ExportAssignment,
        isExportEquals: false,
        leadingTrivia: "// Resolve workspace packages to their TypeScript sources so tests never run against a stale build.\n",
        expression: lines(
          "defineConfig({",
          "  resolve: { conditions: [\"tokenmint-source\"] },",
          "  ssr: { resolve: { conditions: [\"tokenmint-source\"] } },",
          "  test: { include: [\"test/**/*.test.ts\"], testTimeout: 30_000, hookTimeout: 30_000 },",
          "})",
        ),
      },
    ],
  };
}

export function readmeTemplate(n: ProviderNames, caps: CapabilitySet): string {
  const client = `create${n.pascal}Client`;
  const manages = caps.list || caps.revoke;
  const what = [caps.list ? "list" : "", caps.revoke ? "revoke" : ""].filter((s) => s !== "").join(" and ");
  return lines(
    `# ${n.packageName}`,
    "",
    `Access tokens from ${n.displayName} through tokenmint's canonical contract${manages ? ` (issue, ${what})` : ""}, and an offline emulator of its token service.`,
    "",
    `> Scaffolded by \`pnpm new-provider ${n.id}\`. The client, emulator and tests work as they are, against a`,
    `> token endpoint in the shape of OAuth 2.0 client credentials${caps.list ? `${caps.revoke ? "," : " and"} a paginated listing of the issued tokens` : ""}${caps.revoke ? " and revocation by token id" : ""}. Make them the provider's: follow`,
    "> [docs/adding-a-provider.md](../../docs/adding-a-provider.md), then rewrite this README.",
    "",
    "Runtime dependencies: `@tokenmint/core` only.",
    "",
    "## Usage",
    "",
    "```ts",
    `import { ${client} } from "${n.packageName}";`,
    "",
    `const client = await ${client}({ endpoint: "https://auth.example.com", clientId: "my-app", clientSecret });`,
    "const token = await client.issue({ scope: [\"read\"] });",
    "token.value.reveal(); // the access token (a Secret everywhere else)",
    "await client.verify(token, { audience: \"api://default\" });",
    ...(caps.list
      ? [
          "for await (const record of client.list({ pageSize: 50 }, { signal })) record.id; // every page, as the iteration goes",
          "const page = await client.listPage({ pageSize: 10 });  // one page: { records, nextPageToken }",
        ]
      : []),
    ...(caps.revoke ? ["await client.revoke(token.id!, { signal });             // 404 on a repeat after a lost answer counts as done"] : []),
    "```",
    ...(manages
      ? [
          "",
          [
            caps.list ? "`list` follows `next_page_token` (cursor pagination: tokens revoked or issued meanwhile never make it skip or repeat one) and checks `pageSize` (1 to 100) before any call." : "",
            caps.revoke ? "`revoke` takes the token's `id` (`token_id` of the token response), checks it before any call, and is repeated on 5xx, resets and timeouts (retry-safe in the spec)." : "",
            "Every method takes an options bag with `signal` and `deadline`.",
          ]
            .filter((s) => s !== "")
            .join(" "),
        ]
      : []),
    "",
    "| option | environment | meaning |",
    "|---|---|---|",
    `| \`endpoint\` | \`${n.env}_ENDPOINT\` | base URL of the token service (https; http only on loopback) |`,
    `| \`clientId\` | \`${n.env}_CLIENT_ID\` | the client id |`,
    `| \`clientSecret\` | \`${n.env}_CLIENT_SECRET\` | the client secret |`,
    "",
    "## CLI",
    "",
    "```",
    `tokenmint issue ${n.id} --endpoint https://auth.example.com --client-id my-app --client-secret-file secret.txt --scope read`,
    ...(caps.list ? [`tokenmint list ${n.id} --endpoint https://auth.example.com --client-id my-app --client-secret-file secret.txt --page-size 100`] : []),
    ...(caps.revoke ? [`tokenmint revoke ${n.id} <token-id> --dry-run --endpoint https://auth.example.com --client-id my-app --client-secret-file secret.txt`] : []),
    "tokenmint demo",
    "```",
    "",
    "## Emulator",
    "",
    "```ts",
    `import { startEmulator } from "${n.packageName}/emulator";`,
    "const emu = await startEmulator();   // http://127.0.0.1:<port>",
    "emu.credentials;                     // endpoint, clientId, clientSecret, scopes, audience (JSON-safe)",
    "emu.server.faults.inject({ route: \"token\", kind: \"status\", status: 503 });",
    "await emu.close();",
    "```",
    "",
    `Routes (for \`faults.inject({ route })\` and \`server.count(route)\`): \`token\`, \`jwks\`${caps.list ? ", `list`" : ""}${caps.revoke ? ", `revoke`" : ""}.${manages ? " The emulator keeps every token it issues (until it expires or is revoked), so the listing and revocation work on real state." : ""}`,
    "",
    "## Errors",
    "",
    `The spec's error table (\`x-tokenmint.errors\` in [specs/providers/${n.id}.json](../../specs/providers/${n.id}.json)) maps the`,
    "provider's `error` codes to canonical codes: `invalid_client` -> `invalid_credentials`, `invalid_scope` ->",
    `\`invalid_scope\`, ${caps.revoke ? "`token_not_found` -> `not_found`, " : ""}HTTP 429 -> \`rate_limited\`, 5xx -> \`provider_unavailable\` (retried).`,
    "",
  );
}
