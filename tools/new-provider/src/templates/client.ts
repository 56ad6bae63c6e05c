// src/errors.ts, src/token.ts and src/client.ts of a new provider: the error mapper, the mapping of a
// token response to the canonical Token, and the client.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the TypeScript source (template literals included) that the scaffold writes.
import { type FunctionDeclarationStructure, type MethodDeclarationStructure, type OptionalKind, type SourceFileStructure, type StatementStructures, StructureKind, VariableDeclarationKind } from "ts-morph";
import type { CapabilitySet } from "../capabilities.js";
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

export function tokenTemplate(n: ProviderNames, caps: CapabilitySet): OptionalKind<SourceFileStructure> {
  const manages = caps.list || caps.revoke;
  return {
    statements: [
      importFrom("@tokenmint/core", ["type Scope", "type Token", ...(caps.list ? ["type TokenRecord"] : []), "TokenmintError"]),
      importFrom("./generated/index.js", ["PROVIDER_ID", "type TokenResponse", ...(caps.list ? ["type TokenSummary"] : [])]),
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
          ...(manages ? [`  // The provider's id of the token (not a secret): what ${[caps.list ? "list shows" : "", caps.revoke ? "revoke takes (the CLI forgets revoked ids from its cache)" : ""].filter((s) => s !== "").join(" and ")}.`, "  id: response.token_id,"] : []),
          "  ...(context.requestId === undefined ? {} : { requestId: context.requestId }),",
          "  // Secret fields of the response stay wrapped (the generated parser made them Secrets).",
          "  raw: { ...response },",
          "};",
        ),
      },
      ...(caps.list
        ? [
            {
              kind: StructureKind.Function,
              name: "recordFromSummary",
              isExported: true,
              docs: ["Maps one listed token to the canonical TokenRecord: metadata only (a listing never holds a value). Fields this mapping does not name stay in `extras`, under the provider's names."],
              parameters: [{ name: "summary", type: "TokenSummary" }],
              returnType: "TokenRecord",
              statements: lines(
                "const { token_id, client_id, created_at, expires_at, ...extras } = summary;",
                "return {",
                "  provider: PROVIDER_ID,",
                "  id: token_id,",
                "  client: client_id,",
                "  createdAt: created_at,",
                "  ...(expires_at === undefined ? {} : { expiresAt: expires_at }),",
                "  extras,",
                "};",
              ),
            } satisfies FunctionDeclarationStructure,
          ]
        : []),
    ],
  };
}

/** Declarations the list capability adds to src/client.ts: its query and page types, and the checks of both. */
function listDeclarations(n: ProviderNames): StatementStructures[] {
  const ro = (name: string, type: string, doc: string) => ({ name, type: `${type} | undefined`, isReadonly: true, hasQuestionToken: true, docs: [doc] });
  return [
    {
      kind: StructureKind.Interface,
      name: `${n.pascal}ListQuery`,
      isExported: true,
      docs: ["A listing of the client's tokens (every page, fetched as the iteration goes)."],
      properties: [ro("pageSize", "number", "Tokens per request, 1 to 100 (MAX_PAGE_SIZE). Default: the service's (50)."), ro("limit", "number", "Stop after this many tokens.")],
    },
    {
      kind: StructureKind.Interface,
      name: `${n.pascal}PageRequest`,
      isExported: true,
      docs: ["One page of the listing."],
      properties: [ro("pageSize", "number", "Tokens per page, 1 to 100 (MAX_PAGE_SIZE)."), ro("pageToken", "string", "The previous page's `nextPageToken`; absent for the first page.")],
    },
    {
      kind: StructureKind.Interface,
      name: `${n.pascal}TokenPage`,
      isExported: true,
      properties: [
        { name: "records", type: "TokenRecord[]", isReadonly: true, docs: ["The page's tokens, oldest first: metadata, never values."] },
        { name: "nextPageToken", type: "string | undefined", isReadonly: true, docs: ["Pass it as `pageToken` for the next page; undefined on the last page."] },
      ],
    },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      docs: ["The largest `page_size` of the spec's listTokens."],
      declarations: [{ name: "MAX_PAGE_SIZE", initializer: "100" }],
    },
    {
      kind: StructureKind.Function,
      name: "checkPageSize",
      docs: ["Refuses a page size the service would refuse, before any call."],
      parameters: [{ name: "pageSize", type: "number | undefined" }],
      returnType: "void",
      statements: lines(
        "if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)) {",
        "  throw new TokenmintError(\"invalid_request\", `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`, { provider: PROVIDER_ID });",
        "}",
      ),
    },
  ];
}

/** Declarations the revoke capability adds to src/client.ts: the check of a token id that goes into a path. */
function revokeDeclarations(): StatementStructures[] {
  return [
    {
      kind: StructureKind.Function,
      name: "tokenIdSegment",
      docs: [
        "Checks a token id and returns it as a path segment, before any call. The emulator's ids are UUIDs; unreserved characters (RFC 3986 section 2.3) only, so an id can never change the path (`..`, `/`, `?`). Widen it, percent-encoding, if the provider's ids need more.",
      ],
      parameters: [{ name: "tokenId", type: "unknown" }],
      returnType: "string",
      statements: lines(
        "if (typeof tokenId !== \"string\" || tokenId.length === 0) throw new TokenmintError(\"invalid_request\", \"the token id must be a non-empty string\", { provider: PROVIDER_ID });",
        "if (tokenId.length > 128 || tokenId === \".\" || tokenId === \"..\" || !/^[A-Za-z0-9._~-]+$/.test(tokenId)) {",
        "  throw new TokenmintError(\"invalid_request\", \"the token id is not a valid id\", { provider: PROVIDER_ID, hint: \"ids contain only letters, digits and - . _ ~\" });",
        "}",
        "return encodeURIComponent(tokenId);",
      ),
    },
  ];
}

/** The client methods of the list capability: one page, every page lazily, every page collected. */
function listMethods(n: ProviderNames): OptionalKind<MethodDeclarationStructure>[] {
  return [
    {
      name: "listPage",
      isAsync: true,
      returnType: `Promise<${n.pascal}TokenPage>`,
      docs: ["Fetches one page of the client's tokens (GET, retry-safe: repeated on 5xx, resets and timeouts)."],
      parameters: [
        { name: "request", type: `${n.pascal}PageRequest`, initializer: "{}" },
        { name: "options", type: "CallOptions", initializer: "{}" },
      ],
      statements: lines(
        "checkPageSize(request.pageSize);",
        "if (request.pageToken === \"\") throw new TokenmintError(\"invalid_request\", \"pageToken is empty\", { provider: PROVIDER_ID });",
        "const url = new URL(`${this.config.endpoint}${OPERATIONS.listTokens.path}`);",
        "if (request.pageSize !== undefined) url.searchParams.set(\"page_size\", String(request.pageSize));",
        "if (request.pageToken !== undefined) url.searchParams.set(\"page_token\", request.pageToken);",
        "const response = await this.#transport.send(",
        "  { method: OPERATIONS.listTokens.method, url, headers: { accept: \"application/json\", authorization: this.#authorization() } },",
        "  { ...options, retrySafe: OPERATIONS.listTokens.retrySafe, successStatuses: OPERATIONS.listTokens.successStatuses, operation: \"listTokens\" },",
        ");",
        "const body = parseTokenList(response.json(), { provider: PROVIDER_ID, source: `response of GET ${OPERATIONS.listTokens.path}` });",
        "return { records: body.tokens.map(recordFromSummary), nextPageToken: body.next_page_token };",
      ),
    },
    {
      name: "list",
      returnType: "AsyncIterable<TokenRecord>",
      docs: [
        "Lists the client's tokens, oldest first, following `next_page_token` page after page as the iteration goes (stop iterating to stop fetching). The query is checked at the call, before any request; `options.signal` and `options.deadline` apply to every page.",
      ],
      parameters: [
        { name: "query", type: `${n.pascal}ListQuery`, initializer: "{}" },
        { name: "options", type: "CallOptions", initializer: "{}" },
      ],
      statements: lines(
        "checkPageSize(query.pageSize);",
        "const limit = query.limit;",
        "if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new TokenmintError(\"invalid_request\", \"limit must be a non-negative integer\", { provider: PROVIDER_ID });",
        "const page = (pageToken: string | undefined) => this.listPage({ pageSize: query.pageSize, pageToken }, options);",
        "return {",
        "  async *[Symbol.asyncIterator]() {",
        "    let yielded = 0;",
        "    let pageToken: string | undefined;",
        "    const seen = new Set<string>();",
        "    while (limit === undefined || yielded < limit) {",
        "      const { records, nextPageToken } = await page(pageToken);",
        "      for (const record of records) {",
        "        if (limit !== undefined && yielded >= limit) return;",
        "        yielded++;",
        "        yield record;",
        "      }",
        "      if (nextPageToken === undefined) return;",
        "      // A cursor returned twice would make the listing loop for ever: report it instead of following it.",
        "      if (seen.has(nextPageToken)) throw new TokenmintError(\"invalid_response\", \"listTokens returned a page token it had returned before\", { provider: PROVIDER_ID });",
        "      seen.add(nextPageToken);",
        "      pageToken = nextPageToken;",
        "    }",
        "  },",
        "};",
      ),
    },
    {
      name: "listAll",
      isAsync: true,
      returnType: "Promise<TokenRecord[]>",
      docs: ["{@link list} collected into an array."],
      parameters: [
        { name: "query", type: `${n.pascal}ListQuery`, initializer: "{}" },
        { name: "options", type: "CallOptions", initializer: "{}" },
      ],
      statements: lines("const records: TokenRecord[] = [];", "for await (const record of this.list(query, options)) records.push(record);", "return records;"),
    },
  ];
}

/** The client method of the revoke capability. */
function revokeMethods(): OptionalKind<MethodDeclarationStructure>[] {
  return [
    {
      name: "revoke",
      isAsync: true,
      returnType: "Promise<void>",
      docs: [
        "Revokes one of the client's tokens by id (DELETE, retry-safe in effect: repeated on 5xx, resets and timeouts). A 404 answering a repeat, after an attempt that may have revoked the token, counts as success: the token is gone, as asked. A 404 when no earlier attempt can have revoked it (the first, or after a 429 or a refused connection) is `not_found`, so a wrong id is not taken for success.",
      ],
      parameters: [
        { name: "tokenId", type: "string" },
        { name: "options", type: "CallOptions", initializer: "{}" },
      ],
      statements: lines(
        "const path = OPERATIONS.revokeToken.path.replace(\"{token_id}\", tokenIdSegment(tokenId));",
        "const response = await this.#transport.send(",
        "  { method: OPERATIONS.revokeToken.method, url: `${this.config.endpoint}${path}`, headers: { accept: \"application/json\", authorization: this.#authorization() } },",
        "  // 404 is read here, not by the transport: after a repeat it means \"already revoked\".",
        "  { ...options, retrySafe: OPERATIONS.revokeToken.retrySafe, successStatuses: [...OPERATIONS.revokeToken.successStatuses, 404], operation: \"revokeToken\" },",
        ");",
        "if (response.status === 404 && !response.earlierAttemptMayHaveApplied) throw this.#mapError(response);",
      ),
    },
  ];
}

export function clientTemplate(n: ProviderNames, caps: CapabilitySet): OptionalKind<SourceFileStructure> {
  const client = `${n.pascal}Client`;
  const manages = caps.list || caps.revoke;
  return {
    statements: [
      importFrom("@tokenmint/core", [
        "basicCredentials",
        "type CallOptions",
        "type ConfigContext",
        ...(caps.revoke ? ["type ErrorMapper"] : []),
        "fingerprint",
        "HttpTransport",
        "JwksCache",
        "type ProviderClient",
        "refuseExpiredOnArrival",
        "type Token",
        "TokenmintError",
        ...(caps.list ? ["type TokenRecord"] : []),
        "type VerifiedJwt",
        "verifyJwt",
      ]),
      importFrom("./config.js", [`type ${n.pascal}Options`, "type ResolvedConfig", "resolveConfig"]),
      importFrom("./errors.js", [`${n.camel}ErrorMapper`]),
      importFrom("./generated/index.js", ["type Jwks", "OPERATIONS", "parseJwks", ...(caps.list ? ["parseTokenList"] : []), "parseTokenResponse", "PROVIDER_ID", "REQUEST_ID_HEADERS", "SECRET_WIRE_NAMES"]),
      importFrom("./token.js", [...(caps.list ? ["recordFromSummary"] : []), "tokenFromResponse"]),
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
      ...(caps.list ? listDeclarations(n) : []),
      ...(caps.revoke ? revokeDeclarations() : []),
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
          ...(caps.revoke ? [{ name: "#mapError", type: "ErrorMapper", isReadonly: true }] : []),
          { name: "#jwks", type: "JwksCache", isReadonly: true },
        ],
        ctors: [
          {
            parameters: [{ name: "config", type: "ResolvedConfig" }],
            statements: lines(
              "this.config = config;",
              "this.configKey = fingerprint({ endpoint: config.endpoint, clientId: config.clientId, clientSecret: config.clientSecret });",
              ...(caps.revoke ? [`this.#mapError = ${n.camel}ErrorMapper();`] : []),
              "this.#transport = new HttpTransport({",
              "  provider: PROVIDER_ID,",
              "  attemptTimeoutMs: config.attemptTimeoutMs,",
              "  retry: config.maxAttempts === undefined ? undefined : { maxAttempts: config.maxAttempts },",
              "  requestIdHeaders: REQUEST_ID_HEADERS,",
              "  userAgent: config.userAgent,",
              `  errorFromResponse: ${caps.revoke ? "this.#mapError" : `${n.camel}ErrorMapper()`},`,
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
              ...(manages
                ? ["    headers: { \"content-type\": FORM, accept: \"application/json\", authorization: this.#authorization() },"]
                : [
                    "    // The secret is revealed only here, in the header that is sent; the transport redacts it from logs.",
                    "    headers: { \"content-type\": FORM, accept: \"application/json\", authorization: basicCredentials(this.config.clientId, this.config.clientSecret).reveal() },",
                  ]),
              "    body: form.toString(),",
              "  },",
              "  { ...options, retrySafe: OPERATIONS.requestToken.retrySafe, successStatuses: OPERATIONS.requestToken.successStatuses, operation: \"requestToken\" },",
              ");",
              "const body = parseTokenResponse(response.json(), { provider: PROVIDER_ID, source: `response of POST ${OPERATIONS.requestToken.path}` });",
              "// A token expired on arrival (expires_in 0, a stale answer) is refused here, for every caller.",
              "return refuseExpiredOnArrival(tokenFromResponse(body, { issuedAt, requested: scopes, requestId: response.requestId }));",
            ),
          },
          ...(caps.list ? listMethods(n) : []),
          ...(caps.revoke ? revokeMethods() : []),
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
          ...(manages
            ? [
                {
                  name: "#authorization",
                  returnType: "string",
                  docs: [`HTTP Basic client authentication, which the token endpoint${caps.list && caps.revoke ? ", the listing and revocation" : caps.list ? " and the listing" : " and revocation"} take. The secret is revealed only here, into the header that is sent; the transport redacts it from logs.`],
                  statements: "return basicCredentials(this.config.clientId, this.config.clientSecret).reveal();",
                },
              ]
            : []),
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
