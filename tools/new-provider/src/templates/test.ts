// test/provider.test.ts of a new provider: the provider against its own emulator, on loopback.
import { type OptionalKind, type SourceFileStructure, StructureKind, VariableDeclarationKind } from "ts-morph";
import type { ProviderNames } from "../names.js";
import { importFrom, lines } from "../ts.js";

function it(title: string, ...body: string[]): string {
  return lines(`it(${JSON.stringify(title)}, async () => {`, ...body.map((l) => (l === "" ? "" : `  ${l}`)), "});");
}

export function testTemplate(n: ProviderNames): OptionalKind<SourceFileStructure> {
  const client = `${n.pascal}Client`;
  const cases = [
    it(
      "declares the provider, its emulator and its CLI",
      `expect(provider.descriptor).toMatchObject({ id: "${n.id}", capabilities: ["issue"] });`,
      `expect(provider.emulator).toBe("${n.packageName}/emulator");`,
      "expect(provider.cli).toBe(" + n.camel + "Cli);",
      "expect(JSON.parse(JSON.stringify(emu.credentials))).toEqual(emu.credentials);",
    ),
    it(
      "issues a token and verifies it against the emulator's JWKS",
      "const token = await (await client()).issue({ scope: \"read\" });",
      `expect(token).toMatchObject({ provider: "${n.id}", tokenType: "Bearer", scopes: [{ raw: "read", name: "read" }] });`,
      "expect(token.expiresAt!.getTime() - token.issuedAt!.getTime()).toBe(3600_000);",
      "expect(token.requestId).toMatch(/^[0-9a-f-]{36}$/);",
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
      "expect(lines).toHaveLength(3);",
    ),
  ];
  return {
    statements: [
      importFrom("node:os", ["tmpdir"]),
      importFrom("node:util", ["inspect"]),
      importFrom("@tokenmint/core", ["Secret"]),
      importFrom("vitest", ["afterAll", "beforeAll", "describe", "expect", "it"]),
      importFrom("../src/emulator/index.js", [`type ${n.pascal}Emulator`, "startEmulator"]),
      importFrom("../src/index.js", [`create${client}`, `${n.camel}Cli`], { defaultImport: "provider" }),
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
      `describe(${JSON.stringify(`${n.id} provider against its emulator`)}, () => {\n${cases.map((c) => c.replace(/^(?=.)/gm, "  ")).join("\n\n")}\n});`,
    ],
  };
}
