// The non-source files of a new provider package: package.json, tsconfigs, vitest config, README.
import { type OptionalKind, type SourceFileStructure, StructureKind } from "ts-morph";
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
    engines: rootPackage.engines ?? { node: ">=20.11" },
    files: ["dist", "README.md"],
    exports: { ".": entry("index"), "./emulator": entry("emulator/index"), "./package.json": "./package.json" },
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

export function readmeTemplate(n: ProviderNames): string {
  const client = `create${n.pascal}Client`;
  return lines(
    `# ${n.packageName}`,
    "",
    `Access tokens from ${n.displayName} through tokenmint's canonical contract, and an offline emulator of its token service.`,
    "",
    `> Scaffolded by \`pnpm new-provider ${n.id}\`. The client, emulator and tests work as they are, against a`,
    "> token endpoint in the shape of OAuth 2.0 client credentials. Make them the provider's: follow",
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
    "```",
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
    "## Errors",
    "",
    `The spec's error table (\`x-tokenmint.errors\` in [specs/providers/${n.id}.json](../../specs/providers/${n.id}.json)) maps the`,
    "provider's `error` codes to canonical codes: `invalid_client` -> `invalid_credentials`, `invalid_scope` ->",
    "`invalid_scope`, HTTP 429 -> `rate_limited`, 5xx -> `provider_unavailable` (retried).",
    "",
  );
}
