// src/config.ts of a new provider: options, environment variables, validation.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the TypeScript source (template literals included) that the scaffold writes.
import { type OptionalKind, type SourceFileStructure, StructureKind, VariableDeclarationKind } from "ts-morph";
import type { ProviderNames } from "../names.js";
import { importFrom, lines } from "../ts.js";

export function configTemplate(n: ProviderNames): OptionalKind<SourceFileStructure> {
  const prop = (name: string, type: string, doc: string, readonly = false) => ({ name, type, hasQuestionToken: !readonly, isReadonly: readonly, docs: doc === "" ? [] : [doc] });
  return {
    statements: [
      importFrom("@tokenmint/core", ["type ConfigContext", "type Logger", "Secret", "TokenmintError"]),
      importFrom("./generated/index.js", ["PROVIDER_ID"]),
      {
        kind: StructureKind.Interface,
        name: `${n.pascal}Options`,
        isExported: true,
        docs: [`Options of the ${n.displayName} client. Anything left out is read from the environment (\`${n.env}_*\`).`],
        properties: [
          prop("endpoint", "string | undefined", `Base URL of the token service, e.g. \`https://auth.example.com\`. Env: ${n.env}_ENDPOINT.`),
          prop("clientId", "string | undefined", `The client id. Env: ${n.env}_CLIENT_ID.`),
          prop("clientSecret", "string | Secret | undefined", `The client secret (wrapped in a Secret at once). Env: ${n.env}_CLIENT_SECRET.`),
          prop("attemptTimeoutMs", "number | undefined", "Longest time one HTTP attempt may take. Default 30 s."),
          prop("maxAttempts", "number | undefined", "Attempts per retry-safe request, the first included. Default: the transport's."),
          prop("userAgent", "string | undefined", ""),
          prop("logger", "Logger | undefined", "Receives redacted request/response events (the CLI's --debug)."),
        ],
      },
      {
        kind: StructureKind.Interface,
        name: "ResolvedConfig",
        isExported: true,
        docs: ["The checked configuration a client runs with."],
        properties: [
          prop("endpoint", "string", "No trailing slash.", true),
          prop("clientId", "string", "", true),
          prop("clientSecret", "Secret", "", true),
          prop("attemptTimeoutMs", "number | undefined", "", true),
          prop("maxAttempts", "number | undefined", "", true),
          prop("userAgent", "string | undefined", "", true),
          prop("logger", "Logger | undefined", "", true),
        ],
      },
      {
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [{ name: "LOOPBACK", initializer: `new Set(["localhost", "127.0.0.1", "[::1]"])` }],
      },
      {
        kind: StructureKind.Function,
        name: "configurationError",
        parameters: [
          { name: "message", type: "string" },
          { name: "hint", type: "string", hasQuestionToken: true },
        ],
        returnType: "TokenmintError",
        statements: ["return new TokenmintError(\"configuration\", message, { provider: PROVIDER_ID, hint });"],
      },
      {
        kind: StructureKind.Function,
        name: "resolveConfig",
        isExported: true,
        docs: [
          "Explicit options first, then the environment. Everything that can be checked without a call is checked here, so a bad configuration fails when the client is built, naming the option and its variable.",
        ],
        parameters: [
          { name: "options", type: `${n.pascal}Options` },
          { name: "context", type: "ConfigContext", initializer: "{}" },
        ],
        returnType: "ResolvedConfig",
        statements: lines(
          "const env = context.env ?? process.env;",
          `const endpoint = options.endpoint ?? env["${n.env}_ENDPOINT"];`,
          `const clientId = options.clientId ?? env["${n.env}_CLIENT_ID"];`,
          `const secret = options.clientSecret ?? env["${n.env}_CLIENT_SECRET"];`,
          `if (endpoint === undefined || endpoint === "") throw configurationError("no endpoint", "pass endpoint or set ${n.env}_ENDPOINT");`,
          `if (clientId === undefined || clientId === "") throw configurationError("no client id", "pass clientId or set ${n.env}_CLIENT_ID");`,
          `if (secret === undefined || secret.length === 0) throw configurationError("no client secret", "pass clientSecret or set ${n.env}_CLIENT_SECRET");`,
          "let url: URL;",
          "try {",
          "  url = new URL(endpoint);",
          "} catch {",
          "  throw configurationError(\"the endpoint is not a URL\", \"e.g. https://auth.example.com\");",
          "}",
          "// Plain http only to a loopback emulator: a client secret must never cross a network in clear.",
          "if (url.protocol !== \"https:\" && !(url.protocol === \"http:\" && LOOPBACK.has(url.hostname))) {",
          "  throw configurationError(`the endpoint must be an https URL (got ${url.protocol}//${url.host})`, \"http is accepted only for loopback emulators\");",
          "}",
          "return {",
          "  endpoint: url.href.replace(/\\/+$/, \"\"),",
          "  clientId,",
          "  clientSecret: secret instanceof Secret ? secret : new Secret(secret),",
          "  attemptTimeoutMs: options.attemptTimeoutMs,",
          "  maxAttempts: options.maxAttempts,",
          "  userAgent: options.userAgent,",
          "  logger: options.logger ?? context.logger,",
          "};",
        ),
      },
    ],
  };
}
