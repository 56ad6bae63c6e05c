// src/emulator/index.ts of a new provider: a loopback token service on core's emulator kit, with the
// spec's routes, real client authentication, RFC 6749 error bodies, JWT access tokens and a JWKS; with
// list and/or revoke, a store of the issued tokens that the listing pages through (cursor pagination)
// and revocation deletes from.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the TypeScript source (template literals included) that the scaffold writes.
import { type FunctionDeclarationStructure, type InterfaceDeclarationStructure, type OptionalKind, type SourceFileStructure, StructureKind, VariableDeclarationKind, type VariableStatementStructure } from "ts-morph";
import type { CapabilitySet } from "../capabilities.js";
import type { ProviderNames } from "../names.js";
import { importFrom, lines } from "../ts.js";

/** The store of issued tokens, and the list and revoke routes over it (when the scaffold generates them). */
function storeLines(caps: CapabilitySet): string[] {
  const out = [
    "// Every token issued, by id, in issue order (a Map keeps insertion order): what list pages through and revoke deletes.",
    "const tokens = new Map<string, StoredToken>();",
    "let sequence = 0;",
    "/** Expired tokens leave the store, as a real service forgets them (and a long-running emulator stays small). */",
    "function prune(now: number): void {",
    "  for (const [id, t] of tokens) if (t.expiresAt <= now) tokens.delete(id);",
    "}",
  ];
  if (caps.list) {
    out.push(
      "",
      "/** GET: the client's tokens after the cursor, oldest first. The cursor is the sequence number of the last token returned, so tokens revoked or issued meanwhile never make a listing skip or repeat another. */",
      "function list(request: EmulatorRequest): EmulatorResponse {",
      "  const refused = authenticate(request);",
      "  if (refused !== undefined) return refused;",
      "  const sizeParam = request.query.get(\"page_size\");",
      "  const size = sizeParam === null ? DEFAULT_PAGE_SIZE : /^[0-9]{1,4}$/.test(sizeParam) ? Number(sizeParam) : Number.NaN;",
      "  if (!(size >= 1 && size <= MAX_PAGE_SIZE)) return oauthError(400, \"invalid_request\", `page_size must be an integer from 1 to ${MAX_PAGE_SIZE}`);",
      "  const pageToken = request.query.get(\"page_token\");",
      "  const after = pageToken === null ? 0 : readCursor(pageToken);",
      "  if (after === undefined) return oauthError(400, \"invalid_request\", \"page_token is not a page token of this service\");",
      "  prune(request.now());",
      "  const rest = [...tokens.values()].filter((t) => t.clientId === clientId && t.sequence > after);",
      "  const page = rest.slice(0, size);",
      "  const last = page.at(-1);",
      "  return json(",
      "    200,",
      "    {",
      "      tokens: page.map((t) => ({ token_id: t.id, client_id: t.clientId, scope: t.scope, created_at: new Date(t.createdAt).toISOString(), expires_at: new Date(t.expiresAt).toISOString() })),",
      "      ...(rest.length > page.length && last !== undefined ? { next_page_token: cursor(last.sequence) } : {}),",
      "    },",
      "    { \"cache-control\": \"no-store\", \"x-request-id\": randomUUID() },",
      "  );",
      "}",
    );
  }
  if (caps.revoke) {
    out.push(
      "",
      "/** DELETE: removes one of the client's tokens; 404 for an id it does not have (unknown, another client's, expired, revoked). */",
      "function revoke(request: EmulatorRequest): EmulatorResponse {",
      "  const refused = authenticate(request);",
      "  if (refused !== undefined) return refused;",
      "  prune(request.now());",
      "  const token = tokens.get(request.params[\"token_id\"] ?? \"\");",
      "  if (token === undefined || token.clientId !== clientId) return oauthError(404, \"token_not_found\", \"the client has no token with this id\");",
      "  tokens.delete(token.id);",
      "  return empty(204, { \"x-request-id\": randomUUID() });",
      "}",
    );
  }
  return out;
}

export function emulatorTemplate(n: ProviderNames, caps: CapabilitySet): OptionalKind<SourceFileStructure> {
  const manages = caps.list || caps.revoke;
  const ro = (name: string, type: string, docs: string[] = []) => ({ name, type, isReadonly: true, docs });
  const opt = (name: string, type: string, doc: string) => ({ name, type: `${type.includes("=>") ? `(${type})` : type} | undefined`, hasQuestionToken: true, docs: [doc] });
  return {
    statements: [
      importFrom("node:crypto", ["randomBytes", "randomUUID", "timingSafeEqual"]),
      importFrom("@tokenmint/core", ["type EmulatorHandle"]),
      importFrom("@tokenmint/core/emulator", ["createEmulatorServer", "createTokenSigner", "type EmulatorRequest", "type EmulatorResponse", "type EmulatorServer", ...(caps.revoke ? ["empty"] : []), "json", "type TokenSigner"]),
      importFrom("../generated/index.js", ["OPERATIONS"]),
      ...(caps.list
        ? [
            {
              kind: StructureKind.VariableStatement,
              declarationKind: VariableDeclarationKind.Const,
              docs: ["`page_size` of listTokens when the request has none, and the largest it takes (the spec's)."],
              declarations: [{ name: "DEFAULT_PAGE_SIZE", initializer: "50" }],
            } satisfies VariableStatementStructure,
            {
              kind: StructureKind.VariableStatement,
              declarationKind: VariableDeclarationKind.Const,
              declarations: [{ name: "MAX_PAGE_SIZE", initializer: "100" }],
            } satisfies VariableStatementStructure,
          ]
        : []),
      ...(manages
        ? [
            {
              kind: StructureKind.Interface,
              name: "StoredToken",
              docs: ["A token the emulator issued (its value is not kept: the service never shows it again)."],
              properties: [ro("id", "string"), ro("clientId", "string"), ro("scope", "string"), ro("createdAt", "number", ["Epoch ms."]), ro("expiresAt", "number", ["Epoch ms."]), ro("sequence", "number", ["Issue order, for the listing's cursor."])],
            } satisfies InterfaceDeclarationStructure,
          ]
        : []),
      {
        kind: StructureKind.Interface,
        name: `${n.pascal}EmulatorOptions`,
        isExported: true,
        properties: [
          opt("host", "string", "Default 127.0.0.1."),
          opt("port", "number", "Default 0 (any free port)."),
          opt("accessTokenLifetimeSec", "number", "Access token lifetime, seconds. Default 3600."),
          opt("scopes", "readonly string[]", 'Scopes the client may ask for. Default ["read", "write"].'),
          opt("audience", "string", 'The `aud` of issued tokens. Default "api://default".'),
          opt("now", "() => number", "Clock, for tests (epoch ms)."),
        ],
      },
      {
        kind: StructureKind.Interface,
        name: `${n.pascal}EmulatorCredentials`,
        isExported: true,
        docs: ["JSON-safe credentials of the emulated client (`tokenmint emulate --json` prints them)."],
        indexSignatures: [{ keyName: "key", keyType: "string", returnType: "unknown", isReadonly: true }],
        properties: [ro("endpoint", "string"), ro("clientId", "string"), ro("clientSecret", "string"), ro("scopes", "readonly string[]"), ro("audience", "string"), ro("issuer", "string"), ro("jwksUri", "string")],
      },
      {
        kind: StructureKind.Interface,
        name: `${n.pascal}Emulator`,
        isExported: true,
        extends: ["EmulatorHandle"],
        properties: [
          ro("provider", `"${n.id}"`),
          ro("url", "string"),
          ro("credentials", `${n.pascal}EmulatorCredentials`),
          ro("server", "EmulatorServer", ["The kit's server: `faults.inject(...)`, `count(route)`, the request log."]),
          ro("signer", "TokenSigner", ["Signs access tokens; tests use it to mint tokens of their own (expired, wrong audience, ...)."]),
        ],
        methods: [{ name: "close", returnType: "Promise<void>" }],
      },
      {
        kind: StructureKind.Function,
        name: "oauthError",
        docs: ["An RFC 6749 section 5.2 error body; 401 answers carry the WWW-Authenticate challenge section 5.2 asks for."],
        parameters: [
          { name: "status", type: "number" },
          { name: "error", type: "string" },
          { name: "description", type: "string" },
        ],
        returnType: "EmulatorResponse",
        statements: lines(
          "const headers: Record<string, string> = { \"cache-control\": \"no-store\", \"x-request-id\": randomUUID() };",
          `if (status === 401) headers["www-authenticate"] = 'Basic realm="${n.id}"';`,
          "return json(status, { error, error_description: description }, headers);",
        ),
      },
      {
        kind: StructureKind.Function,
        name: "sameSecret",
        docs: ["Constant-time comparison, as a real server does."],
        parameters: [
          { name: "a", type: "string" },
          { name: "b", type: "string" },
        ],
        returnType: "boolean",
        statements: lines("const x = Buffer.from(a);", "const y = Buffer.from(b);", "return x.length === y.length && timingSafeEqual(x, y);"),
      },
      {
        kind: StructureKind.Function,
        name: "basicCredentials",
        docs: ["The client id and secret of an HTTP Basic header (RFC 6749 section 2.3.1: each form-encoded)."],
        parameters: [{ name: "header", type: "string | undefined" }],
        returnType: "{ id: string; secret: string } | undefined",
        statements: lines(
          "const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? \"\");",
          "if (!match) return undefined;",
          "const decoded = Buffer.from(match[1]!, \"base64\").toString(\"utf8\");",
          "const colon = decoded.indexOf(\":\");",
          "if (colon < 0) return undefined;",
          "const decode = (s: string) => decodeURIComponent(s.replace(/\\+/g, \" \"));",
          "try {",
          "  return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };",
          "} catch {",
          "  return undefined;",
          "}",
        ),
      },
      ...(caps.list
        ? [
            {
              kind: StructureKind.Function,
              name: "cursor",
              docs: ["An opaque page token: the sequence number of the last token of the page."],
              parameters: [{ name: "sequence", type: "number" }],
              returnType: "string",
              statements: "return Buffer.from(`v1:${sequence}`).toString(\"base64url\");",
            } satisfies FunctionDeclarationStructure,
            {
              kind: StructureKind.Function,
              name: "readCursor",
              docs: ["The sequence number of a page token, or undefined for a token this service did not make."],
              parameters: [{ name: "token", type: "string" }],
              returnType: "number | undefined",
              statements: lines("const match = /^v1:([0-9]{1,15})$/.exec(Buffer.from(token, \"base64url\").toString(\"utf8\"));", "return match ? Number(match[1]) : undefined;"),
            } satisfies FunctionDeclarationStructure,
          ]
        : []),
      ...(caps.revoke
        ? [
            {
              kind: StructureKind.Function,
              name: "kitPath",
              docs: ["An OpenAPI path template (`/tokens/{token_id}`) as the emulator kit's router writes it (`/tokens/:token_id`)."],
              parameters: [{ name: "path", type: "string" }],
              returnType: "string",
              statements: "return path.replace(/\\{([A-Za-z_][A-Za-z0-9_]*)\\}/g, \":$1\");",
            } satisfies FunctionDeclarationStructure,
          ]
        : []),
      {
        kind: StructureKind.Function,
        name: "startEmulator",
        isExported: true,
        isAsync: true,
        docs: [
          lines(
            `Starts an emulated ${n.displayName} token service on a loopback port, with one client whose secret is random per start.`,
            "",
            "@example",
            "const emu = await startEmulator();",
            `const client = await create${n.pascal}Client({ endpoint: emu.url, clientId: emu.credentials.clientId, clientSecret: emu.credentials.clientSecret });`,
            "await emu.close();",
          ),
        ],
        parameters: [{ name: "options", type: `${n.pascal}EmulatorOptions`, initializer: "{}" }],
        returnType: `Promise<${n.pascal}Emulator>`,
        statements: lines(
          `const clientId = \`${n.id}-client-\${randomUUID().slice(0, 8)}\`;`,
          "const clientSecret = randomBytes(24).toString(\"base64url\");",
          "const scopes = [...(options.scopes ?? [\"read\", \"write\"])];",
          "const audience = options.audience ?? \"api://default\";",
          "const lifetime = options.accessTokenLifetimeSec ?? 3600;",
          "const signer = await createTokenSigner({ alg: \"RS256\" });",
          "let issuer = \"\";",
          "",
          `/** HTTP Basic client authentication (RFC 6749 section 2.3.1), as ${manages ? "every route but the JWKS takes it" : "the token endpoint takes it"}; undefined when it passes. */`,
          "function authenticate(request: EmulatorRequest): EmulatorResponse | undefined {",
          "  const client = basicCredentials(request.headers[\"authorization\"]);",
          "  if (client === undefined) return oauthError(401, \"invalid_client\", \"client authentication (HTTP Basic) is required\");",
          "  if (client.id !== clientId || !sameSecret(client.secret, clientSecret)) return oauthError(401, \"invalid_client\", \"client authentication failed\");",
          "  return undefined;",
          "}",
          "",
          ...(manages ? [...storeLines(caps), ""] : []),
          "async function token(request: EmulatorRequest): Promise<EmulatorResponse> {",
          "  if (!(request.headers[\"content-type\"] ?? \"\").toLowerCase().startsWith(\"application/x-www-form-urlencoded\")) {",
          "    return oauthError(400, \"invalid_request\", \"the body must be application/x-www-form-urlencoded\");",
          "  }",
          "  const refused = authenticate(request);",
          "  if (refused !== undefined) return refused;",
          "  const form = request.form();",
          "  const grant = form.get(\"grant_type\");",
          "  if (grant === null) return oauthError(400, \"invalid_request\", \"grant_type is missing\");",
          "  if (grant !== \"client_credentials\") return oauthError(400, \"unsupported_grant_type\", `grant_type ${grant} is not supported`);",
          "  const asked = (form.get(\"scope\") ?? \"\").split(\" \").filter((s) => s.length > 0);",
          "  const unknown = asked.find((s) => !scopes.includes(s));",
          "  if (unknown !== undefined) return oauthError(400, \"invalid_scope\", `scope ${unknown} is not allowed for this client`);",
          "  const granted = asked.length > 0 ? asked : scopes;",
          ...(manages
            ? [
                "  const now = request.now();",
                "  const iat = Math.floor(now / 1000);",
                "  const tokenId = randomUUID();",
                "  const accessToken = await signer.sign({ iss: issuer, sub: clientId, aud: audience, client_id: clientId, scope: granted.join(\" \"), iat, exp: iat + lifetime, jti: tokenId });",
                "  prune(now);",
                "  tokens.set(tokenId, { id: tokenId, clientId, scope: granted.join(\" \"), createdAt: iat * 1000, expiresAt: (iat + lifetime) * 1000, sequence: ++sequence });",
                "  return json(200, { access_token: accessToken, token_type: \"Bearer\", expires_in: lifetime, scope: granted.join(\" \"), token_id: tokenId }, { \"cache-control\": \"no-store\", \"x-request-id\": randomUUID() });",
              ]
            : [
                "  const iat = Math.floor(request.now() / 1000);",
                "  const accessToken = await signer.sign({ iss: issuer, sub: clientId, aud: audience, client_id: clientId, scope: granted.join(\" \"), iat, exp: iat + lifetime, jti: randomUUID() });",
                "  return json(200, { access_token: accessToken, token_type: \"Bearer\", expires_in: lifetime, scope: granted.join(\" \") }, { \"cache-control\": \"no-store\", \"x-request-id\": randomUUID() });",
              ]),
          "}",
          "",
          "const server = await createEmulatorServer({",
          `  name: "${n.id}",`,
          "  host: options.host ?? \"127.0.0.1\",",
          "  port: options.port ?? 0,",
          "  now: options.now,",
          "  // An RFC 6749-shaped answer for unknown paths, as the client would parse it.",
          "  notFound: () => oauthError(404, \"not_found\", \"no such endpoint\"),",
          "  routes: [",
          "    { name: \"token\", method: OPERATIONS.requestToken.method, path: OPERATIONS.requestToken.path, handler: token },",
          "    { name: \"jwks\", method: OPERATIONS.getSigningKeys.method, path: OPERATIONS.getSigningKeys.path, handler: () => json(200, signer.jwks()) },",
          ...(caps.list ? ["    { name: \"list\", method: OPERATIONS.listTokens.method, path: OPERATIONS.listTokens.path, handler: list },"] : []),
          ...(caps.revoke ? ["    { name: \"revoke\", method: OPERATIONS.revokeToken.method, path: kitPath(OPERATIONS.revokeToken.path), handler: revoke },"] : []),
          "  ],",
          "});",
          "issuer = server.url;",
          "return {",
          `  provider: "${n.id}",`,
          "  url: server.url,",
          "  credentials: { endpoint: server.url, clientId, clientSecret, scopes, audience, issuer, jwksUri: `${server.url}${OPERATIONS.getSigningKeys.path}` },",
          "  server,",
          "  signer,",
          "  close: () => server.close(),",
          "};",
        ),
      },
    ],
  };
}
