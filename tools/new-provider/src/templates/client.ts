// src/errors.ts, src/token.ts and src/client.ts of a new provider: the error mapper, the mapping of a
// token response to the canonical Token, and the client.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the TypeScript source (template literals included) that the scaffold writes.
import { type OptionalKind, type SourceFileStructure, StructureKind, VariableDeclarationKind } from "ts-morph";
import type { ProviderNames } from "../names.js";
import { importFrom, lines } from "../ts.js";

export function errorsTemplate(n: ProviderNames): OptionalKind<SourceFileStructure> {
  return {
    statements: [
      importFrom("@tokenmint/core", ["createErrorMapper", "type ErrorMapper", "type ProviderErrorBody"]),
      importFrom("./generated/index.js", ["ERROR_MAP", "PROVIDER_ID"]),
      {
        kind: StructureKind.Function,
        name: `extract${n.pascal}Error`,
        isExported: true,
        docs: [
          "Reads the provider's error body (`{error, error_description}`, RFC 6749 section 5.2) for core's error mapper, which applies the spec's generated ERROR_MAP. Return undefined for bodies of another shape: they map by HTTP status. Never copy secrets into the result.",
        ],
        parameters: [{ name: "body", type: "unknown" }],
        returnType: "ProviderErrorBody | undefined",
        statements: lines(
          "if (body === null || typeof body !== \"object\" || Array.isArray(body)) return undefined;",
          "const record = body as Record<string, unknown>;",
          "const code = record[\"error\"];",
          "if (typeof code !== \"string\" || code === \"\") return undefined;",
          "const description = record[\"error_description\"];",
          "return { code, message: typeof description === \"string\" ? description : undefined };",
        ),
      },
      {
        kind: StructureKind.Function,
        name: `${n.camel}ErrorMapper`,
        isExported: true,
        returnType: "ErrorMapper",
        statements: `return createErrorMapper({ provider: PROVIDER_ID, table: ERROR_MAP, extract: extract${n.pascal}Error });`,
      },
    ],
  };
}

export function tokenTemplate(n: ProviderNames): OptionalKind<SourceFileStructure> {
  return {
    statements: [
      importFrom("@tokenmint/core", ["type Scope", "type Token", "TokenmintError"]),
      importFrom("./generated/index.js", ["PROVIDER_ID", "type TokenResponse"]),
      {
        kind: StructureKind.Interface,
        name: "ResponseContext",
        isExported: true,
        properties: [
          { name: "issuedAt", type: "Date", isReadonly: true, docs: ["When the request was sent (expiry counts from here, never from a clock the server skews)."] },
          { name: "requested", type: "readonly string[]", isReadonly: true, docs: ["Scopes asked for: the granted ones when the answer names none (RFC 6749 section 5.1)."] },
          { name: "requestId", type: "string | undefined", isReadonly: true },
        ],
      },
      {
        kind: StructureKind.Function,
        name: "toScope",
        isExported: true,
        docs: [`One scope string in canonical form. ${n.displayName} scopes have no resource part yet: split them here when they do.`],
        parameters: [{ name: "raw", type: "string" }],
        returnType: "Scope",
        statements: "return { raw, name: raw };",
      },
      {
        kind: StructureKind.Function,
        name: "tokenFromResponse",
        isExported: true,
        docs: ["Maps a parsed token response to the canonical Token."],
        parameters: [
          { name: "response", type: "TokenResponse" },
          { name: "context", type: "ResponseContext" },
        ],
        returnType: "Token",
        statements: lines(
          "if (response.token_type.toLowerCase() !== \"bearer\") {",
          "  throw new TokenmintError(\"invalid_response\", `the token endpoint returned token_type ${JSON.stringify(response.token_type)}, expected Bearer`, { provider: PROVIDER_ID, requestId: context.requestId });",
          "}",
          "const granted = response.scope === undefined ? context.requested : response.scope.split(\" \").filter((s) => s.length > 0);",
          "return {",
          "  provider: PROVIDER_ID,",
          "  value: response.access_token,",
          "  tokenType: \"Bearer\",",
          "  issuedAt: context.issuedAt,",
          "  ...(response.expires_in === undefined ? {} : { expiresAt: new Date(context.issuedAt.getTime() + response.expires_in * 1000) }),",
          "  scopes: granted.map(toScope),",
          "  ...(context.requestId === undefined ? {} : { requestId: context.requestId }),",
          "  // Secret fields of the response stay wrapped (the generated parser made them Secrets).",
          "  raw: { ...response },",
          "};",
        ),
      },
    ],
  };
}

export function clientTemplate(n: ProviderNames): OptionalKind<SourceFileStructure> {
  const client = `${n.pascal}Client`;
  return {
    statements: [
      importFrom("@tokenmint/core", [
        "basicCredentials",
        "type CallOptions",
        "type ConfigContext",
        "fingerprint",
        "HttpTransport",
        "JwksCache",
        "type ProviderClient",
        "refuseExpiredOnArrival",
        "type Token",
        "TokenmintError",
        "type VerifiedJwt",
        "verifyJwt",
      ]),
      importFrom("./config.js", [`type ${n.pascal}Options`, "type ResolvedConfig", "resolveConfig"]),
      importFrom("./errors.js", [`${n.camel}ErrorMapper`]),
      importFrom("./generated/index.js", ["type Jwks", "OPERATIONS", "parseJwks", "parseTokenResponse", "PROVIDER_ID", "REQUEST_ID_HEADERS", "SECRET_WIRE_NAMES"]),
      importFrom("./token.js", ["tokenFromResponse"]),
      {
        kind: StructureKind.Interface,
        name: `${n.pascal}TokenRequest`,
        isExported: true,
        docs: ["One token request."],
        properties: [{ name: "scope", type: "string | readonly string[] | undefined", isReadonly: true, hasQuestionToken: true, docs: ["Scopes: one space-separated string or a list."] }],
      },
      {
        kind: StructureKind.Interface,
        name: "VerifyOptions",
        isExported: true,
        extends: ["CallOptions"],
        properties: [
          { name: "audience", type: "string | readonly string[]", isReadonly: true, docs: ["Accepted audiences (`aud`)."] },
          { name: "algorithms", type: "readonly string[] | undefined", isReadonly: true, hasQuestionToken: true, docs: ["Algorithm allowlist. Default RS256."] },
          { name: "clockToleranceSec", type: "number | undefined", isReadonly: true, hasQuestionToken: true },
          { name: "currentDate", type: "Date | undefined", isReadonly: true, hasQuestionToken: true },
        ],
      },
      {
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [{ name: "FORM", initializer: "\"application/x-www-form-urlencoded\"" }],
      },
      {
        kind: StructureKind.Function,
        name: "scopeList",
        parameters: [{ name: "scope", type: `${n.pascal}TokenRequest["scope"]` }],
        returnType: "string[]",
        statements: lines(
          "if (scope === undefined) return [];",
          "const list = typeof scope === \"string\" ? scope.split(\" \") : [...scope];",
          "for (const s of list) {",
          "  if (typeof s !== \"string\") throw new TokenmintError(\"invalid_request\", \"scopes must be strings\", { provider: PROVIDER_ID });",
          "  // RFC 6749 section 3.3: a scope is printable ASCII without space, double quote or backslash.",
          "  if (s !== \"\" && !/^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$/.test(s)) throw new TokenmintError(\"invalid_scope\", `scope ${JSON.stringify(s)} has characters RFC 6749 does not allow`, { provider: PROVIDER_ID });",
          "}",
          "return list.filter((s) => s !== \"\");",
        ),
      },
      {
        kind: StructureKind.Class,
        name: client,
        isExported: true,
        implements: ["ProviderClient"],
        docs: [`The ${n.displayName} client. Build it with {@link create${client}}.`],
        properties: [
          { name: "provider", isReadonly: true, initializer: "PROVIDER_ID" },
          { name: "configKey", type: "string", isReadonly: true, docs: ["Non-secret fingerprint of the configuration (secrets hashed), for the token manager's cache keys."] },
          { name: "config", type: "ResolvedConfig", isReadonly: true },
          { name: "#transport", type: "HttpTransport", isReadonly: true },
          { name: "#jwks", type: "JwksCache", isReadonly: true },
        ],
        ctors: [
          {
            parameters: [{ name: "config", type: "ResolvedConfig" }],
            statements: lines(
              "this.config = config;",
              "this.configKey = fingerprint({ endpoint: config.endpoint, clientId: config.clientId, clientSecret: config.clientSecret });",
              "this.#transport = new HttpTransport({",
              "  provider: PROVIDER_ID,",
              "  attemptTimeoutMs: config.attemptTimeoutMs,",
              "  retry: config.maxAttempts === undefined ? undefined : { maxAttempts: config.maxAttempts },",
              "  requestIdHeaders: REQUEST_ID_HEADERS,",
              "  userAgent: config.userAgent,",
              `  errorFromResponse: ${n.camel}ErrorMapper(),`,
              "  logger: config.logger,",
              "  secretNames: SECRET_WIRE_NAMES,",
              "});",
              "// Keys are kept for 10 minutes; an unknown kid refetches them at once (see verify).",
              "this.#jwks = new JwksCache((options) => this.getSigningKeys(options), 600_000);",
            ),
          },
        ],
        getAccessors: [{ name: "tokenEndpoint", returnType: "string", docs: ["The token endpoint URL."], statements: "return `${this.config.endpoint}${OPERATIONS.requestToken.path}`;" }],
        methods: [
          {
            name: "issue",
            isAsync: true,
            returnType: "Promise<Token>",
            docs: ["Requests an access token (client credentials, HTTP Basic client authentication)."],
            parameters: [
              { name: "request", type: `${n.pascal}TokenRequest`, initializer: "{}" },
              { name: "options", type: "CallOptions", initializer: "{}" },
            ],
            statements: lines(
              "const scopes = scopeList(request.scope);",
              "const form = new URLSearchParams({ grant_type: \"client_credentials\" });",
              "if (scopes.length > 0) form.set(\"scope\", scopes.join(\" \"));",
              "const issuedAt = new Date();",
              "const response = await this.#transport.send(",
              "  {",
              "    method: OPERATIONS.requestToken.method,",
              "    url: this.tokenEndpoint,",
              "    // The secret is revealed only here, in the header that is sent; the transport redacts it from logs.",
              "    headers: { \"content-type\": FORM, accept: \"application/json\", authorization: basicCredentials(this.config.clientId, this.config.clientSecret).reveal() },",
              "    body: form.toString(),",
              "  },",
              "  { ...options, retrySafe: OPERATIONS.requestToken.retrySafe, successStatuses: OPERATIONS.requestToken.successStatuses, operation: \"requestToken\" },",
              ");",
              "const body = parseTokenResponse(response.json(), { provider: PROVIDER_ID, source: `response of POST ${OPERATIONS.requestToken.path}` });",
              "// A token expired on arrival (expires_in 0, a stale answer) is refused here, for every caller.",
              "return refuseExpiredOnArrival(tokenFromResponse(body, { issuedAt, requested: scopes, requestId: response.requestId }));",
            ),
          },
          {
            name: "getSigningKeys",
            isAsync: true,
            returnType: "Promise<Jwks>",
            docs: ["Fetches the public keys that sign access tokens."],
            parameters: [{ name: "options", type: "CallOptions", initializer: "{}" }],
            statements: lines(
              "const response = await this.#transport.send(",
              "  { method: OPERATIONS.getSigningKeys.method, url: `${this.config.endpoint}${OPERATIONS.getSigningKeys.path}`, headers: { accept: \"application/json\" } },",
              "  { ...options, retrySafe: OPERATIONS.getSigningKeys.retrySafe, operation: \"getSigningKeys\" },",
              ");",
              "return parseJwks(response.json(), { provider: PROVIDER_ID, source: `response of GET ${OPERATIONS.getSigningKeys.path}` });",
            ),
          },
          {
            name: "verify",
            isAsync: true,
            returnType: "Promise<VerifiedJwt>",
            docs: ["Verifies an access token against the provider's keys: signature (algorithm allowlist), issuer, audience, expiry."],
            parameters: [
              { name: "token", type: "Token" },
              { name: "options", type: "VerifyOptions" },
            ],
            statements: lines(
              "const once = async (refresh: boolean) =>",
              "  verifyJwt(token.value, {",
              "    jwks: await this.#jwks.get(options, refresh),",
              "    algorithms: options.algorithms ?? [\"RS256\"],",
              "    issuer: this.config.endpoint,",
              "    audience: options.audience,",
              "    clockToleranceSec: options.clockToleranceSec,",
              "    currentDate: options.currentDate,",
              "    requiredClaims: [\"exp\"],",
              "  });",
              "try {",
              "  return await once(false);",
              "} catch (error) {",
              "  // An unknown kid after a key rollover: fetch the keys again, once.",
              "  if (error instanceof TokenmintError && error.providerCode === \"ERR_JWKS_NO_MATCHING_KEY\" && this.#jwks.age() > 1000) return once(true);",
              "  throw error;",
              "}",
            ),
          },
        ],
      },
      {
        kind: StructureKind.Function,
        name: `create${client}`,
        isExported: true,
        isAsync: true,
        docs: [
          lines(
            `Builds a ${n.displayName} client from options and the environment (\`${n.env}_ENDPOINT\`, \`${n.env}_CLIENT_ID\`, \`${n.env}_CLIENT_SECRET\`).`,
            "",
            "@example",
            `const client = await create${client}({ endpoint: "https://auth.example.com", clientId: "my-app", clientSecret });`,
            "const token = await client.issue({ scope: [\"read\"] });",
          ),
        ],
        parameters: [
          { name: "options", type: `${n.pascal}Options`, initializer: "{}" },
          { name: "context", type: "ConfigContext", initializer: "{}" },
        ],
        returnType: `Promise<${client}>`,
        statements: `return new ${client}(resolveConfig(options, context));`,
      },
    ],
  };
}
