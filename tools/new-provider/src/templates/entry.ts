// src/cli/index.ts and src/index.ts of a new provider: how the tokenmint CLI drives it (core's ProviderCli,
// with a demo against the emulator), and the provider definition the CLI finds by package metadata.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the TypeScript source (template literals included) that the scaffold writes.
import { type OptionalKind, type SourceFileStructure, StructureKind, VariableDeclarationKind, type VariableStatementStructure } from "ts-morph";
import type { CapabilitySet } from "../capabilities.js";
import type { ProviderNames } from "../names.js";
import { importFrom, lines } from "../ts.js";

/** The `list` operation of the CLI declaration. */
function listOperation(n: ProviderNames): string[] {
  return [
    "  list: {",
    "    description: \"list the client's tokens (ids, scopes, creation and expiry; never values), every page\",",
    "    flags: listFlags,",
    `    examples: ["tokenmint list ${n.id} --endpoint https://auth.example.com --client-id my-app --client-secret-file secret.txt"],`,
    "    run: (client, values, options) => client.list({ pageSize: cliNumber(values, \"page-size\", PROVIDER_ID, { min: 1, integer: true }) }, options),",
    "  },",
  ];
}

/** The `revoke` operation of the CLI declaration; its dry run looks the token up when the provider can list. */
function revokeOperation(n: ProviderNames, caps: CapabilitySet): string[] {
  const dryRun = caps.list
    ? [
        "    if (options.dryRun) {",
        "      for await (const record of client.list({}, options)) if (record.id === id) return { dryRun: true, ids: [id], records: [record] };",
        "      throw new TokenmintError(\"not_found\", `the client has no token ${id}`, { provider: PROVIDER_ID });",
        "    }",
      ]
    : ["    // Nothing to look the token up with (no list): a dry run only echoes the id.", "    if (options.dryRun) return { dryRun: true, ids: [id] };"];
  return [
    "  revoke: {",
    "    description: \"revoke one of the client's tokens by id (try --dry-run first)\",",
    "    flags: [],",
    `    examples: ["tokenmint revoke ${n.id} 0b7e4c35-9d1e-4f4b-8c9a-7e115f2c1e0a --endpoint https://auth.example.com --client-id my-app --client-secret-file secret.txt"],`,
    "    async run(client, id, _values, options) {",
    `      if (id === undefined) throw new TokenmintError("configuration", "give the id of the token to revoke", { provider: PROVIDER_ID, hint: ${JSON.stringify(caps.list ? `tokenmint list ${n.id} ... shows the ids` : "the id is the `id` of the token issue returned")} });`,
    ...dryRun.map((l) => `  ${l}`),
    "      await client.revoke(id, options);",
    "      return { dryRun: false, ids: [id] };",
    "    },",
    "  },",
  ];
}

/** Demo lines of list and revoke, after the token is issued and verified. */
function demoLines(caps: CapabilitySet): string[] {
  const out: string[] = [];
  if (caps.list) {
    out.push(
      "    const listed = await client.listAll({}, options);",
      "    if (!listed.some((r) => r.id === token.id)) throw new Error(\"the token just issued is not in the listing\");",
      "    log(`list: ${listed.length} token(s), the new one (${token.id}) included`);",
    );
  }
  if (caps.revoke) {
    out.push("    await client.revoke(token.id!, options);");
    if (caps.list) {
      out.push(
        "    const left = await client.listAll({}, options);",
        "    if (left.some((r) => r.id === token.id)) throw new Error(\"a revoked token is still listed\");",
        "    log(`revoked ${token.id}: ${left.length} token(s) left`);",
      );
    } else {
      out.push(
        "    const again = await client.revoke(token.id!, options).then(",
        "      () => undefined,",
        "      (error: unknown) => error,",
        "    );",
        "    if (!(again instanceof TokenmintError) || again.code !== \"not_found\") throw new Error(\"revoking a revoked token again was not refused with not_found\");",
        "    log(`revoked ${token.id}; revoking it again: ${again.code}`);",
      );
    }
  }
  return out;
}

export function cliTemplate(n: ProviderNames, caps: CapabilitySet): OptionalKind<SourceFileStructure> {
  const client = `${n.pascal}Client`;
  return {
    statements: [
      importFrom("@tokenmint/core", ["type CliFlag", "type CliValues", "type ProviderCli", "TokenmintError"]),
      importFrom("@tokenmint/core/cli", ["cliList", ...(caps.list ? ["cliNumber"] : []), "cliSecret", "cliString", "demoCredentials"]),
      importFrom("../client.js", [`create${client}`, `type ${client}`]),
      importFrom("../config.js", [`type ${n.pascal}Options`]),
      importFrom("../generated/index.js", ["PROVIDER_ID"]),
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
      ...(caps.list
        ? [
            {
              kind: StructureKind.VariableStatement,
              declarationKind: VariableDeclarationKind.Const,
              declarations: [{ name: "listFlags", type: "readonly CliFlag[]", initializer: `[{ name: "page-size", description: "tokens per request, 1 to 100 (default: the service's)", type: "number" }]` }],
            } satisfies VariableStatementStructure,
          ]
        : []),
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
        docs: [`How the \`tokenmint\` CLI drives this provider (${caps.all.map((c) => `\`tokenmint ${c} ${n.id} ...\``).join(", ")}, \`tokenmint demo\`).`],
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
              ...(caps.list ? listOperation(n) : []),
              ...(caps.revoke ? revokeOperation(n, caps) : []),
              "  async demo(emulator, log, options) {",
              "    const c = demoCredentials(emulator.credentials, PROVIDER_ID);",
              `    const client = await create${client}({ endpoint: emulator.url, clientId: c("clientId"), clientSecret: c("clientSecret") }, { env: {} });`,
              "    const token = await client.issue({ scope: [\"read\"] }, options);",
              "    log(`client credentials: token for ${token.scopes.map((s) => s.raw).join(\" \")}, expires ${token.expiresAt?.toISOString()}`);",
              "    const verified = await client.verify(token, { ...options, audience: c(\"audience\") });",
              "    log(`verified against the JWKS: sub=${String(verified.claims.sub)}, kid=${String(verified.header.kid)}`);",
              ...demoLines(caps),
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

export function indexTemplate(n: ProviderNames, caps: CapabilitySet): OptionalKind<SourceFileStructure> {
  const client = `${n.pascal}Client`;
  const more = ["refresh", "list", "get", "revoke"].filter((c) => !(caps.all as readonly string[]).includes(c)).map((c) => JSON.stringify(c));
  return {
    statements: [
      importFrom("@tokenmint/core", ["defineProvider"]),
      importFrom("./client.js", [`create${client}`, `type ${client}`]),
      importFrom("./config.js", [`type ${n.pascal}Options`]),
      { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./client.js", namedExports: [`create${client}`, client, ...(caps.list ? [`type ${n.pascal}ListQuery`, `type ${n.pascal}PageRequest`] : []), `type ${n.pascal}TokenRequest`, ...(caps.list ? [`type ${n.pascal}TokenPage`] : []), "type VerifyOptions"] },
      { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./config.js", namedExports: [`type ${n.pascal}Options`, "type ResolvedConfig", "resolveConfig"] },
      { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./errors.js", namedExports: [`extract${n.pascal}Error`] },
      // The emulator's bundle imports what the main entry holds from the main entry (tools/bundle): export it.
      { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./generated/index.js", namedExports: ["type Jwks", "OPERATIONS", "PROVIDER_ID", ...(caps.list ? ["type TokenList"] : []), "type TokenResponse", ...(caps.list ? ["type TokenSummary"] : [])] },
      { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./token.js", namedExports: [...(caps.list ? ["recordFromSummary"] : []), "tokenFromResponse", "toScope"] },
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
              `    // Add ${more.slice(0, -1).join(", ")}${more.length > 1 ? " or " : ""}${more.at(-1)} as the client gains those methods.`,
              `    capabilities: [${caps.all.map((c) => JSON.stringify(c)).join(", ")}],`,
              "    // Bearer tokens of one client configuration and one request: any holder of the same config may reuse them.",
              "    reusableTokens: true,",
              "  },",
              `  createClient: (options, context) => create${client}(options, context),`,
              `  emulator: "${n.packageName}/emulator",`,
              "  // The CLI's flags and commands are the `./cli` entry, loaded on demand: importing the provider does not load them.",
              `  loadCli: () => import("./cli/index.js").then((m) => m.${n.camel}Cli),`,
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
