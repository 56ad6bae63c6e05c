// src/cli.ts and src/index.ts of a new provider: how the tokenmint CLI drives it (core's ProviderCli,
// with a demo against the emulator), and the provider definition the CLI finds by package metadata.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the TypeScript source (template literals included) that the scaffold writes.
import { type OptionalKind, type SourceFileStructure, StructureKind, VariableDeclarationKind } from "ts-morph";
import type { ProviderNames } from "../names.js";
import { importFrom, lines } from "../ts.js";

export function cliTemplate(n: ProviderNames): OptionalKind<SourceFileStructure> {
  const client = `${n.pascal}Client`;
  return {
    statements: [
      importFrom("@tokenmint/core", ["type CliFlag", "type CliValues", "cliList", "cliSecret", "cliString", "demoCredentials", "type ProviderCli", "TokenmintError"]),
      importFrom("./client.js", [`create${client}`, `type ${client}`]),
      importFrom("./config.js", [`type ${n.pascal}Options`]),
      importFrom("./generated/index.js", ["PROVIDER_ID"]),
      {
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [
          {
            name: "configFlags",
            type: "readonly CliFlag[]",
            initializer: lines(
              "[",
              `  { name: "endpoint", description: "base URL of the token service", type: "string", env: "${n.env}_ENDPOINT" },`,
              `  { name: "client-id", description: "the client id", type: "string", env: "${n.env}_CLIENT_ID" },`,
              `  { name: "client-secret", description: "the client secret", type: "string", secret: true, env: "${n.env}_CLIENT_SECRET" },`,
              "]",
            ),
          },
        ],
      },
      {
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [{ name: "issueFlags", type: "readonly CliFlag[]", initializer: `[{ name: "scope", description: "scopes to ask for (repeat the flag or separate with commas)", type: "list" }]` }],
      },
      {
        kind: StructureKind.Function,
        name: "optionsFromCli",
        isExported: true,
        docs: ["CLI flag values -> client options, through core's readers (cliString, cliSecret, cliList, cliBoolean, cliNumber): the same semantics in every provider."],
        parameters: [{ name: "values", type: "CliValues" }],
        returnType: `${n.pascal}Options`,
        statements: lines(
          "return {",
          "  endpoint: cliString(values, \"endpoint\", PROVIDER_ID),",
          "  clientId: cliString(values, \"client-id\", PROVIDER_ID),",
          "  clientSecret: cliSecret(values, \"client-secret\", PROVIDER_ID),",
          "};",
        ),
      },
      {
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        isExported: true,
        docs: ["How the `tokenmint` CLI drives this provider (`tokenmint issue " + n.id + " ...`, `tokenmint demo`)."],
        declarations: [
          {
            name: `${n.camel}Cli`,
            type: `ProviderCli<${n.pascal}Options, ${client}>`,
            initializer: lines(
              "{",
              "  config: { flags: configFlags, toOptions: optionsFromCli },",
              "  issue: {",
              "    description: \"get an access token (client credentials)\",",
              "    flags: issueFlags,",
              `    examples: ["tokenmint issue ${n.id} --endpoint https://auth.example.com --client-id my-app --client-secret-file secret.txt --scope read"],`,
              "    run: (client, values, options) => client.issue({ scope: cliList(values, \"scope\", PROVIDER_ID) }, options),",
              "  },",
              "  async demo(emulator, log, options) {",
              "    const c = demoCredentials(emulator.credentials, PROVIDER_ID);",
              `    const client = await create${client}({ endpoint: emulator.url, clientId: c("clientId"), clientSecret: c("clientSecret") }, { env: {} });`,
              "    const token = await client.issue({ scope: [\"read\"] }, options);",
              "    log(`client credentials: token for ${token.scopes.map((s) => s.raw).join(\" \")}, expires ${token.expiresAt?.toISOString()}`);",
              "    const verified = await client.verify(token, { ...options, audience: c(\"audience\") });",
              "    log(`verified against the JWKS: sub=${String(verified.claims.sub)}, kid=${String(verified.header.kid)}`);",
              `    const wrong = await create${client}({ endpoint: emulator.url, clientId: c("clientId"), clientSecret: "not-the-secret" }, { env: {} });`,
              "    const refused = await wrong.issue({}, options).then(",
              "      () => undefined,",
              "      (error: unknown) => error,",
              "    );",
              "    if (!(refused instanceof TokenmintError) || refused.code !== \"invalid_credentials\") throw new Error(\"a wrong client secret was not refused with invalid_credentials\");",
              "    log(`a wrong secret is refused: ${refused.code} (${refused.providerCode})`);",
              "  },",
              "}",
            ),
          },
        ],
      },
    ],
  };
}

export function indexTemplate(n: ProviderNames): OptionalKind<SourceFileStructure> {
  const client = `${n.pascal}Client`;
  return {
    statements: [
      importFrom("@tokenmint/core", ["defineProvider"]),
      importFrom("./cli.js", [`${n.camel}Cli`]),
      importFrom("./client.js", [`create${client}`, `type ${client}`]),
      importFrom("./config.js", [`type ${n.pascal}Options`]),
      { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./cli.js", namedExports: [`${n.camel}Cli`, "optionsFromCli"] },
      { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./client.js", namedExports: [`create${client}`, client, `type ${n.pascal}TokenRequest`, "type VerifyOptions"] },
      { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./config.js", namedExports: [`type ${n.pascal}Options`, "type ResolvedConfig", "resolveConfig"] },
      { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./errors.js", namedExports: [`extract${n.pascal}Error`] },
      // The emulator's bundle imports what the main entry holds from the main entry (tools/bundle): export it.
      { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./generated/index.js", namedExports: ["type Jwks", "OPERATIONS", "PROVIDER_ID", "type TokenResponse"] },
      { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./token.js", namedExports: ["tokenFromResponse", "toScope"] },
      {
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        docs: [`The ${n.displayName} provider plugin. The CLI finds it through \`"tokenmint": { "provider": true }\` in package.json.`],
        declarations: [
          {
            name: "provider",
            initializer: lines(
              `defineProvider<${n.pascal}Options, ${client}>({`,
              "  descriptor: {",
              `    id: "${n.id}",`,
              `    displayName: ${JSON.stringify(n.displayName)},`,
              "    // Add \"refresh\", \"list\", \"get\" or \"revoke\" as the client gains those methods.",
              "    capabilities: [\"issue\"],",
              "    // Bearer tokens of one client configuration and one request: any holder of the same config may reuse them.",
              "    reusableTokens: true,",
              "  },",
              `  createClient: (options, context) => create${client}(options, context),`,
              `  emulator: "${n.packageName}/emulator",`,
              `  cli: ${n.camel}Cli,`,
              "})",
            ),
          },
        ],
      },
      { kind: StructureKind.ExportAssignment, isExportEquals: false, expression: "provider" },
      { kind: StructureKind.ExportDeclaration, namedExports: ["provider"] },
    ],
  };
}
