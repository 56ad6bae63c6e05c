// test/provider.test.ts of a new provider: the provider against its own emulator, on loopback.
import { type FunctionDeclarationStructure, type OptionalKind, type SourceFileStructure, StructureKind, VariableDeclarationKind } from "ts-morph";
import type { CapabilitySet } from "../capabilities.js";
import type { ProviderNames } from "../names.js";
import { importFrom, lines } from "../ts.js";

function it(title: string, ...body: string[]): string {
  return lines(`it(${JSON.stringify(title)}, async () => {`, ...body.map((l) => (l === "" ? "" : `  ${l}`)), "});");
}

/** issue -> list -> revoke -> list (or the part of it the capabilities allow), on an emulator of its own. */
function endToEnd(n: ProviderNames, caps: CapabilitySet): string {
  const title = caps.list && caps.revoke ? "issue -> list (page by page) -> revoke -> list, on an emulator of its own" : caps.list ? "lists the tokens it issued, page by page, without their values" : "revokes a token it issued by id; the emulator forgets it";
  const body = [
    `await withEmulator(async (${caps.list ? "c, own" : "c"}) => {`,
    "  const issued: Token[] = [];",
    "  for (const scope of [\"read\", \"write\", \"read write\"]) issued.push(await c.issue({ scope }));",
    "  const ids = issued.map((t) => t.id!);",
    "  for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);",
  ];
  if (caps.list) {
    body.push(
      "  const before = own.server.count(\"list\");",
      "  const listed = await c.listAll({ pageSize: 2 });",
      "  expect(own.server.count(\"list\") - before).toBe(2);",
      "  expect(listed.map((r) => r.id)).toEqual(ids);",
      `  expect(listed[2]).toMatchObject({ provider: "${n.id}", client: own.credentials.clientId, extras: { scope: "read write" } });`,
      "  for (const record of listed) {",
      "    expect(record.expiresAt!.getTime() - record.createdAt!.getTime()).toBe(3600_000);",
      "    expect(Math.abs(record.createdAt!.getTime() - Date.now())).toBeLessThan(60_000);",
      "    for (const token of issued) expect(JSON.stringify(record)).not.toContain(token.value.reveal());",
      "  }",
    );
  }
  if (caps.revoke) {
    body.push("  await c.revoke(ids[1]!);");
    if (caps.list) body.push("  expect((await c.listAll()).map((r) => r.id)).toEqual([ids[0], ids[2]]);");
    body.push(
      "  await expect(c.revoke(ids[1]!)).rejects.toMatchObject({ code: \"not_found\", status: 404, providerCode: \"token_not_found\" });",
      "  await expect(c.revoke(\"0b7e4c35-9d1e-4f4b-8c9a-7e115f2c1e0a\")).rejects.toMatchObject({ code: \"not_found\" });",
      "  await c.revoke(ids[0]!);",
      "  await c.revoke(ids[2]!);",
    );
    if (caps.list) body.push("  expect(await c.listAll()).toEqual([]);");
  }
  body.push("});");
  return it(title, ...body);
}

/** The cases of the list capability (beyond the end-to-end one). */
function listCases(caps: CapabilitySet): string[] {
  const cases = [
    it(
      "stops at a limit, refuses a bad page size before any call, and maps a foreign page token to invalid_request",
      "const c = await client();",
      "await c.issue();",
      "await c.issue();",
      "const before = emu.server.count(\"list\");",
      "expect(() => c.list({ pageSize: 0 })).toThrow(/pageSize/);",
      "expect(() => c.list({ pageSize: 101 })).toThrow(/pageSize/);",
      "expect(() => c.list({ limit: -1 })).toThrow(/limit/);",
      "await expect(c.listPage({ pageSize: 1.5 })).rejects.toMatchObject({ code: \"invalid_request\" });",
      "expect(emu.server.count(\"list\")).toBe(before);",
      "expect(await c.listAll({ pageSize: 1, limit: 1 })).toHaveLength(1);",
      "expect(emu.server.count(\"list\") - before).toBe(1);",
      "await expect(c.listPage({ pageToken: \"bm90LWEtY3Vyc29y\" })).rejects.toMatchObject({ code: \"invalid_request\", status: 400, providerCode: \"invalid_request\" });",
    ),
    it(
      "retries a page after a 503, stops on an aborted signal before any call, and refuses a page token returned twice",
      "const c = await client();",
      "await c.issue();",
      "let before = emu.server.count(\"list\");",
      "emu.server.faults.inject({ route: \"list\", kind: \"status\", status: 503, body: { error: \"temporarily_unavailable\" } });",
      "expect((await c.listAll()).length).toBeGreaterThan(0);",
      "expect(emu.server.count(\"list\") - before).toBe(2);",
      "const controller = new AbortController();",
      "controller.abort();",
      "before = emu.server.count(\"list\");",
      "await expect(c.listAll({}, { signal: controller.signal })).rejects.toMatchObject({ code: \"aborted\" });",
      "expect(emu.server.count(\"list\")).toBe(before);",
      "// A service that hands back the same cursor would make the listing loop for ever.",
      "emu.server.faults.inject({ route: \"list\", kind: \"body\", status: 200, body: { tokens: [], next_page_token: \"again\" }, times: 2 });",
      "await expect(c.listAll()).rejects.toMatchObject({ code: \"invalid_response\" });",
    ),
    it(
      "rejects a malformed listing as invalid_response, naming the field",
      "emu.server.faults.inject({ route: \"list\", kind: \"body\", status: 200, body: { tokens: [{ token_id: \"t\", client_id: \"c\", created_at: \"yesterday\" }] } });",
      "const error = await rejection((await client()).listAll());",
      "expect(error).toMatchObject({ code: \"invalid_response\" });",
      "expect((error as Error).message).toContain(\"/tokens/0/created_at\");",
    ),
    it(
      "runs the CLI's list operation",
      "const c = await provider.createClient(cliOptions(), { env: {} });",
      "const token = await c.issue();",
      "const records: TokenRecord[] = [];",
      "for await (const record of CLI.list!.run(c, { \"page-size\": 1 }, {})) records.push(record);",
      "expect(records.map((r) => r.id)).toContain(token.id);",
      "await expect(async () => CLI.list!.run(c, { \"page-size\": 0 }, {})).rejects.toMatchObject({ code: \"configuration\" });",
    ),
  ];
  if (caps.revoke) {
    cases.splice(
      0,
      0,
      it(
        "keeps its place when tokens are revoked between pages (the cursor names the last token, not an offset)",
        "await withEmulator(async (c) => {",
        "  const ids: string[] = [];",
        "  for (let i = 0; i < 5; i++) ids.push((await c.issue()).id!);",
        "  const seen: string[] = [];",
        "  for await (const record of c.list({ pageSize: 2 })) {",
        "    seen.push(record.id);",
        "    // After the first page, revoke a token already returned: an offset would now skip one.",
        "    if (seen.length === 2) await c.revoke(ids[0]!);",
        "  }",
        "  expect(seen).toEqual(ids);",
        "});",
      ),
    );
  }
  return cases;
}

/** The cases of the revoke capability (beyond the end-to-end one). */
function revokeCases(caps: CapabilitySet): string[] {
  const dryRun = caps.list
    ? [
        "expect(await CLI.revoke!.run(c, token.id, {}, { dryRun: true })).toEqual({ dryRun: true, ids: [token.id], records: [expect.objectContaining({ id: token.id })] });",
        "expect((await c.listAll()).map((r) => r.id)).toContain(token.id);",
      ]
    : ["expect(await CLI.revoke!.run(c, token.id, {}, { dryRun: true })).toEqual({ dryRun: true, ids: [token.id] });"];
  const after = caps.list
    ? ["await expect(CLI.revoke!.run(c, token.id, {}, { dryRun: true })).rejects.toMatchObject({ code: \"not_found\" });"]
    : ["await expect(CLI.revoke!.run(c, token.id, {}, { dryRun: false })).rejects.toMatchObject({ code: \"not_found\" });"];
  return [
    it(
      "revokes once when the answer is lost (the repeat's 404 means done), and refuses a bad id before any call",
      "const c = await client();",
      "const token = await c.issue();",
      "const before = emu.server.count(\"revoke\");",
      "// The emulator revokes, then drops the connection: the client repeats the DELETE (retry-safe) and reads 404 as done.",
      "emu.server.faults.inject({ route: \"revoke\", kind: \"reset-after\" });",
      "await c.revoke(token.id!);",
      "expect(emu.server.count(\"revoke\") - before).toBe(2);",
      ...(caps.list ? ["expect((await c.listAll()).map((r) => r.id)).not.toContain(token.id);"] : []),
      "await expect(c.revoke(token.id!)).rejects.toMatchObject({ code: \"not_found\" });",
      "const n = emu.server.count(\"revoke\");",
      "for (const id of [\"\", \"..\", \"../jwks\", \"a/b\", \"x\".repeat(129)]) await expect(c.revoke(id)).rejects.toMatchObject({ code: \"invalid_request\" });",
      "expect(emu.server.count(\"revoke\")).toBe(n);",
    ),
    it(
      "runs the CLI's revoke operation: an id is required, --dry-run revokes nothing",
      "const c = await provider.createClient(cliOptions(), { env: {} });",
      "const token = await c.issue();",
      "await expect(CLI.revoke!.run(c, undefined, {}, { dryRun: false })).rejects.toMatchObject({ code: \"configuration\" });",
      ...dryRun,
      "expect(await CLI.revoke!.run(c, token.id, {}, { dryRun: false })).toEqual({ dryRun: false, ids: [token.id] });",
      ...after,
    ),
  ];
}

export function testTemplate(n: ProviderNames, caps: CapabilitySet): OptionalKind<SourceFileStructure> {
  const client = `${n.pascal}Client`;
  const manages = caps.list || caps.revoke;
  const cli = `${n.camel}Cli`;
  const cases = [
    it(
      "declares the provider, its emulator and its CLI",
      `expect(provider.descriptor).toMatchObject({ id: "${n.id}", capabilities: [${caps.all.map((c) => JSON.stringify(c)).join(", ")}] });`,
      `expect(provider.emulator).toBe("${n.packageName}/emulator");`,
      "expect(await provider.loadCli!()).toBe(" + n.camel + "Cli);",
      "expect(JSON.parse(JSON.stringify(emu.credentials))).toEqual(emu.credentials);",
    ),
    it(
      "issues a token and verifies it against the emulator's JWKS",
      "const token = await (await client()).issue({ scope: \"read\" });",
      `expect(token).toMatchObject({ provider: "${n.id}", tokenType: "Bearer", scopes: [{ raw: "read", name: "read" }] });`,
      "expect(token.expiresAt!.getTime() - token.issuedAt!.getTime()).toBe(3600_000);",
      "expect(token.requestId).toMatch(/^[0-9a-f-]{36}$/);",
      ...(manages ? ["expect(token.id).toMatch(/^[0-9a-f-]{36}$/);"] : []),
      "const verified = await (await client()).verify(token, { audience: emu.credentials.audience });",
      "expect(verified.claims).toMatchObject({ sub: emu.credentials.clientId, scope: \"read\" });",
      "await expect((await client()).verify(token, { audience: \"api://other\" })).rejects.toMatchObject({ code: \"invalid_token\" });",
    ),
    it(
      "maps a wrong client secret to invalid_credentials, without the secret in the error",
      "const error = await rejection((await client(\"wrong-secret-value\")).issue());",
      `expect(error).toMatchObject({ code: "invalid_credentials", provider: "${n.id}", status: 401, providerCode: "invalid_client" });`,
      "expect(JSON.stringify(error)).not.toContain(\"wrong-secret-value\");",
      "expect(inspect(error)).not.toContain(\"wrong-secret-value\");",
    ),
    it(
      "maps an unknown scope to invalid_scope and refuses a malformed one before any call",
      "await expect((await client()).issue({ scope: [\"admin\"] })).rejects.toMatchObject({ code: \"invalid_scope\", status: 400 });",
      "const before = emu.server.count(\"token\");",
      "await expect((await client()).issue({ scope: ['bad\"scope'] })).rejects.toMatchObject({ code: \"invalid_scope\" });",
      "expect(emu.server.count(\"token\")).toBe(before);",
    ),
    it(
      "retries a 503 (the token request is declared retry-safe) and a dropped connection",
      "const before = emu.server.count(\"token\");",
      "emu.server.faults.inject({ route: \"token\", kind: \"status\", status: 503, body: { error: \"temporarily_unavailable\" } });",
      "emu.server.faults.inject({ route: \"token\", kind: \"reset-before\" });",
      "await expect((await client()).issue()).resolves.toMatchObject({ tokenType: \"Bearer\" });",
      "expect(emu.server.count(\"token\") - before).toBe(3);",
      "emu.server.faults.inject({ route: \"token\", kind: \"status\", status: 503, times: 3 });",
      "await expect((await client()).issue()).rejects.toMatchObject({ code: \"provider_unavailable\", status: 503 });",
    ),
    it(
      "keeps the access token and the client secret out of JSON and util.inspect",
      "const c = await client();",
      "const token = await c.issue();",
      "for (const text of [JSON.stringify(token), inspect(token, { depth: 5 }), JSON.stringify(c.config), inspect(c, { depth: 5 })]) {",
      "  expect(text).not.toContain(token.value.reveal());",
      "  expect(text).not.toContain(emu.credentials.clientSecret);",
      "}",
    ),
    it(
      "reads its configuration from the environment and refuses an incomplete or insecure one",
      `const env = { ${n.env}_ENDPOINT: emu.url, ${n.env}_CLIENT_ID: emu.credentials.clientId, ${n.env}_CLIENT_SECRET: emu.credentials.clientSecret };`,
      "await expect((await provider.createClient({}, { env })).issue()).resolves.toMatchObject({ tokenType: \"Bearer\" });",
      `await expect(create${client}({}, { env: {} })).rejects.toMatchObject({ code: "configuration" });`,
      `await expect(create${client}({ endpoint: "http://auth.example.com", clientId: "c", clientSecret: "s" }, { env: {} })).rejects.toMatchObject({ code: "configuration" });`,
    ),
    it(
      "runs the CLI's issue operation and the demo against the emulator",
      "const options = " + n.camel + "Cli.config.toOptions({ endpoint: emu.url, \"client-id\": emu.credentials.clientId, \"client-secret\": new Secret(emu.credentials.clientSecret) });",
      "const token = await " + n.camel + "Cli.issue!.run(await provider.createClient(options, { env: {} }), { scope: [\"read,write\"] }, {});",
      "expect(token.scopes.map((s) => s.raw)).toEqual([\"read\", \"write\"]);",
      "const lines: string[] = [];",
      "await " + n.camel + "Cli.demo!({ url: emu.url, credentials: emu.credentials }, (line) => lines.push(line), { workDir: tmpdir() });",
      `expect(lines).toHaveLength(${3 + (caps.list ? 1 : 0) + (caps.revoke ? 1 : 0)});`,
    ),
    ...(manages ? [endToEnd(n, caps)] : []),
    ...(caps.list ? listCases(caps) : []),
    ...(caps.revoke ? revokeCases(caps) : []),
    ...(manages
      ? [
          it(
            `refuses ${[caps.list ? "list" : "", caps.revoke ? "revoke" : ""].filter((s) => s !== "").join(" and ")} with a wrong client secret (invalid_credentials)`,
            "const wrong = await client(\"wrong-secret-value\");",
            ...(caps.list ? ["await expect(wrong.listAll()).rejects.toMatchObject({ code: \"invalid_credentials\", status: 401, providerCode: \"invalid_client\" });"] : []),
            ...(caps.revoke
              ? ["const token = await (await client()).issue();", "await expect(wrong.revoke(token.id!)).rejects.toMatchObject({ code: \"invalid_credentials\", status: 401 });", "await (await client()).revoke(token.id!);"]
              : []),
          ),
        ]
      : []),
  ].map((c) => c.replaceAll("CLI.", `${cli}.`));
  return {
    statements: [
      importFrom("node:os", ["tmpdir"]),
      importFrom("node:util", ["inspect"]),
      importFrom("@tokenmint/core", ["Secret", ...(manages ? ["type Token"] : []), ...(caps.list ? ["type TokenRecord"] : [])]),
      importFrom("vitest", ["afterAll", "beforeAll", "describe", "expect", "it"]),
      importFrom("../src/emulator/index.js", [`type ${n.pascal}Emulator`, "startEmulator"]),
      importFrom("../src/cli/index.js", [`${n.camel}Cli`]),
      importFrom("../src/index.js", [`create${client}`, ...(manages ? [`type ${client}`] : [])], { defaultImport: "provider" }),
      { kind: StructureKind.VariableStatement, declarationKind: VariableDeclarationKind.Let, declarations: [{ name: "emu", type: `${n.pascal}Emulator` }] },
      "beforeAll(async () => {\n  emu = await startEmulator();\n});",
      "afterAll(async () => {\n  await emu?.close();\n});",
      {
        kind: StructureKind.Function,
        name: "client",
        docs: ["A client of the emulator's seeded client; no environment leaks in."],
        parameters: [{ name: "clientSecret", type: "string", initializer: "emu.credentials.clientSecret" }],
        statements: `return create${client}({ endpoint: emu.url, clientId: emu.credentials.clientId, clientSecret, maxAttempts: 3 }, { env: {} });`,
      },
      {
        kind: StructureKind.Function,
        name: "rejection",
        isAsync: true,
        parameters: [{ name: "promise", type: "Promise<unknown>" }],
        returnType: "Promise<unknown>",
        statements: lines("try {", "  await promise;", "} catch (error) {", "  return error;", "}", "throw new Error(\"expected a rejection\");"),
      },
      ...(manages
        ? [
            {
              kind: StructureKind.Function,
              name: "withEmulator",
              isAsync: true,
              docs: ["Runs `test` with a client of an emulator of its own, for tests that count every token."],
              parameters: [{ name: "test", type: `(c: ${client}, own: ${n.pascal}Emulator) => Promise<void>` }],
              returnType: "Promise<void>",
              statements: lines(
                "const own = await startEmulator();",
                "try {",
                `  await test(await create${client}({ endpoint: own.url, clientId: own.credentials.clientId, clientSecret: own.credentials.clientSecret, maxAttempts: 3 }, { env: {} }), own);`,
                "} finally {",
                "  await own.close();",
                "}",
              ),
            } satisfies FunctionDeclarationStructure,
            {
              kind: StructureKind.Function,
              name: "cliOptions",
              docs: ["Client options as the CLI builds them from its flags."],
              statements: `return ${cli}.config.toOptions({ endpoint: emu.url, "client-id": emu.credentials.clientId, "client-secret": new Secret(emu.credentials.clientSecret) });`,
            } satisfies FunctionDeclarationStructure,
          ]
        : []),
      `describe(${JSON.stringify(`${n.id} provider against its emulator`)}, () => {\n${cases.map((c) => c.replace(/^(?=.)/gm, "  ")).join("\n\n")}\n});`,
    ],
  };
}
