// Behaviour of generated code: the golden parsers of the fixture (acme provider, and core through the
// fixture's stand-ins for spec-runtime.ts and secret.ts, which re-export the real runtime).
import { isTokenmintError, Secret, type TokenmintError } from "@tokenmint/core";
import { describe, expect, it } from "vitest";
import * as core from "./fixtures/basic/packages/core/src/generated/index.js";
import * as acme from "./fixtures/basic/packages/provider-acme/src/generated/index.js";

const SECRET = "s3cr3t-VALUE-0042";

function credential(): Record<string, unknown> {
  return {
    id: "cred-abc123",
    secret: SECRET,
    kind: "api_key",
    region: "eu-west-1",
    createdAt: "2024-05-01T12:00:00Z",
    expiresAt: null,
    note: "for CI",
    version: 2,
    scopes: [{ raw: "read:all", name: "read:all" }],
    acmeScopes: ["read", "admin"],
    labels: { team: "core", "a/b": "x" },
    limits: { rps: 10, burst: 1.5, "daily-quota": 0 },
    enabled: true,
    legacyId: "old-1",
    tags: ["x", 3, null],
    metadata: { owner: "ops", extra: { nested: true } },
    anything: [1, "two"],
    path: 'abc/"12\'.json',
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The error a parse throws. */
function failure(parse: () => unknown): TokenmintError {
  try {
    parse();
  } catch (error) {
    if (isTokenmintError(error)) return error;
    throw error;
  }
  throw new Error("expected the parse to fail");
}

function withField(key: string, value: unknown): Record<string, unknown> {
  const c = credential();
  if (value === undefined) delete c[key];
  else c[key] = value;
  return c;
}

describe("a valid value", () => {
  it("round-trips into a fresh object: secrets wrapped, dates decoded, refs parsed", () => {
    const input = deepFreeze(credential());
    const before = JSON.stringify(input);
    const out = acme.parseCredential(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(out).not.toBe(input);
    expect(out.secret).toBeInstanceOf(Secret);
    expect(out.secret?.reveal()).toBe(SECRET);
    expect(out.createdAt).toEqual(new Date("2024-05-01T12:00:00Z"));
    expect(out.expiresAt).toBeNull();
    expect(out.scopes).toEqual([{ raw: "read:all", name: "read:all" }]);
    expect(out.scopes).not.toBe(input["scopes"]);
    expect(out.limits).toEqual({ rps: 10, burst: 1.5, "daily-quota": 0 });
    expect(out.labels).toEqual({ team: "core", "a/b": "x" });
    expect(out.tags).toEqual(["x", 3, null]);
    expect(out.metadata).toEqual({ owner: "ops", extra: { nested: true } });
    expect(out.anything).toEqual([1, "two"]);
    const { secret, createdAt, ...rest } = out;
    const { secret: _s, createdAt: _c, ...restInput } = credential();
    expect(rest).toEqual(restInput);
  });

  it("omits optional properties that are absent", () => {
    const out = acme.parseCredential({ id: "cred-x1y2z3", kind: "certificate", createdAt: "2024-05-01T12:00:00.123+02:00", version: 2, scopes: [{ raw: "r", name: "r" }] });
    expect(Object.keys(out).sort()).toEqual(["createdAt", "id", "kind", "scopes", "version"]);
  });

  it("passes Secret and Date instances through", () => {
    const s = new Secret(SECRET);
    const d = new Date("2030-01-01T00:00:00Z");
    const out = acme.parseCredential({ ...credential(), secret: s, createdAt: d });
    expect(out.secret).toBe(s);
    expect(out.createdAt).toBe(d);
  });

  it("never shows a secret in JSON", () => {
    const out = acme.parseCredential(credential());
    const json = JSON.stringify(out);
    expect(json).not.toContain(SECRET);
    expect(json).toContain('"secret":"[REDACTED]"');
    const headers = acme.parseHeaders({ authorization: "Bearer abc", cookie: "c=1" });
    expect(JSON.stringify(headers)).toBe('{"authorization":"[REDACTED]","cookie":"[REDACTED]"}');
    expect(headers["authorization"]?.reveal()).toBe("Bearer abc");
  });

  it("counts string lengths in code points", () => {
    // 200 emoji are 400 UTF-16 units but 200 characters: allowed.
    expect(acme.parseCredential(withField("note", "😀".repeat(200))).note).toHaveLength(400);
    expect(failure(() => acme.parseCredential(withField("note", "😀".repeat(201)))).details).toEqual({ pointer: "/note", expected: "string of at most 200 characters" });
    // 3 emoji are 6 UTF-16 units but only 3 characters: too short for minLength 6.
    expect(failure(() => acme.parseCredential(withField("id", "😀😀😀"))).details?.["expected"]).toBe("string of 6 to 64 characters");
  });
});

describe("a bad value", () => {
  const cases: [string, unknown, string, string][] = [
    ["id", undefined, "/id", "string"],
    ["id", 42, "/id", "string"],
    ["id", "cred-", "/id", "string of 6 to 64 characters"],
    ["id", "CRED-abc123", "/id", "string matching /^cred-[a-z0-9]+$/"],
    ["kind", "other", "/kind", 'one of "api_key", "oauth_client", "certificate"'],
    ["region", "mars-1", "/region", 'one of "us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1", "ap-northeast-1", "sa-east-1", "ca-central-1"'],
    ["createdAt", "yesterday", "/createdAt", "RFC 3339 date-time"],
    ["createdAt", "2024-02-30T00:00:00Z x", "/createdAt", "RFC 3339 date-time"],
    ["createdAt", new Date(Number.NaN), "/createdAt", "RFC 3339 date-time"],
    ["expiresAt", 5, "/expiresAt", "RFC 3339 date-time or null"],
    ["note", 5, "/note", "string or null"],
    ["version", 3, "/version", "2"],
    ["scopes", [], "/scopes", "array of 1 to 10 items"],
    ["scopes", {}, "/scopes", "array"],
    ["scopes", [{ raw: "r", name: "r" }, { raw: 1, name: "r" }], "/scopes/1/raw", "string"],
    ["acmeScopes", ["read", "root"], "/acmeScopes/1", 'one of "read", "write", "admin"'],
    ["labels", { "a/b~c": 5 }, "/labels/a~1b~0c", "string"],
    ["labels", { long: "x".repeat(33) }, "/labels/long", "string of at most 32 characters"],
    ["limits", { rps: 0 }, "/limits/rps", "integer >= 1 and <= 1000"],
    ["limits", { rps: 1.5 }, "/limits/rps", "integer"],
    ["limits", { burst: 1 }, "/limits/rps", "integer"],
    ["limits", { rps: 1, burst: 100 }, "/limits/burst", "number > 0 and < 100"],
    ["limits", { rps: 1, burst: Number.POSITIVE_INFINITY }, "/limits/burst", "number"],
    ["limits", { rps: 1, "daily-quota": -1 }, "/limits/daily-quota", "integer >= 0"],
    ["limits", { rps: 1, extra: true }, "/limits/extra", 'no property "extra"'],
    ["limits", [], "/limits", "object"],
    ["enabled", "yes", "/enabled", "boolean"],
    ["tags", ["ok", true], "/tags/1", "string or integer or null"],
    ["tags", [1.5], "/tags/0", "string or integer or null"],
    ["metadata", { owner: 1 }, "/metadata/owner", "string"],
    ["path", "abc/12.json", "/path", "string matching /^[a-z]+/\"[0-9]+'\\.json$/"],
    ["secret", 42, "/secret", "string"],
    ["secret", "short", "/secret", "string of at least 8 characters"],
    ["bogus", 1, "/bogus", 'no property "bogus"'],
  ];

  it.each(cases)("%s = %j fails at %s expecting %s", (key, value, pointer, expected) => {
    const error = failure(() => acme.parseCredential(withField(key, value)));
    expect(error.code).toBe("invalid_response");
    expect(error.details).toEqual({ pointer, expected });
    expect(error.message).toMatch(new RegExp(`^${pointer.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: expected `));
    expect(error.message).not.toContain(SECRET);
  });

  it("never puts the value in the message, not even a secret's", () => {
    const error = failure(() => acme.parseCredential(withField("secret", "tiny-pw")));
    expect(error.message).toBe("/secret: expected string of at least 8 characters, got string of length 7");
    const boxed = failure(() => acme.parseCredential(withField("secret", new Secret("tiny-pw"))));
    expect(boxed.message).toBe("/secret: expected string of at least 8 characters, got secret");
    const proof = failure(() => acme.parseIssuedToken({ token: { provider: "acme", value: "", tokenType: "Bearer", scopes: [], raw: {} } }));
    expect(proof.details).toEqual({ pointer: "/token/value", expected: "non-empty string" });
  });

  it("rejects a non-object where an object is expected", () => {
    for (const input of [null, "x", 1, [], undefined]) {
      expect(failure(() => acme.parseCredential(input)).details).toEqual({ pointer: "/", expected: "object" });
    }
  });

  it("applies the options: kind, source, pointer, provider", () => {
    const error = failure(() => acme.parseCredential(withField("kind", "x"), { kind: "configuration", source: "acme.json", pointer: "/credentials/3", provider: "acme" }));
    expect(error.code).toBe("configuration");
    expect(error.provider).toBe("acme");
    expect(error.message).toBe('acme.json: /credentials/3/kind: expected one of "api_key", "oauth_client", "certificate", got string of length 1');
    expect(error.details).toEqual({ pointer: "/credentials/3/kind", expected: 'one of "api_key", "oauth_client", "certificate"' });
  });

  it("keeps the pointer through refs into core and options.pointer", () => {
    const input = { token: { provider: "acme", value: "v", tokenType: "Bearer", scopes: [{ raw: "r", name: "" }], raw: {} } };
    expect(failure(() => acme.parseIssuedToken(input)).details?.["pointer"]).toBe("/token/scopes/0/name");
    expect(failure(() => acme.parseIssuedToken(input, { pointer: "/data" })).details?.["pointer"]).toBe("/data/token/scopes/0/name");
    const tree = { name: "a", children: [{ name: "b", children: [{ name: 3 }] }] };
    expect(failure(() => acme.parseNode(tree)).details?.["pointer"]).toBe("/children/0/children/0/name");
    expect(failure(() => acme.parseMatrix([[1], [2, "3"]])).details).toEqual({ pointer: "/1/1", expected: "number" });
  });
});

describe("unknown properties", () => {
  it("are dropped when additionalProperties is omitted (tolerant reader)", () => {
    const out = acme.parseCredentialList({ items: [], nextPage: null, total: 0, unknown: 1 });
    expect(out).toEqual({ items: [], nextPage: null, total: 0 });
    expect(acme.parseEmpty({ a: 1 })).toEqual({});
  });

  it("are rejected when additionalProperties is false", () => {
    expect(failure(() => acme.parseClosed({ a: 1 })).details).toEqual({ pointer: "/a", expected: 'no property "a"' });
    expect(acme.parseClosed({})).toEqual({});
    expect(failure(() => core.parseScope({ raw: "r", name: "r", extra: "x" })).details).toEqual({ pointer: "/extra", expected: 'no property "extra"' });
  });

  it("are kept as they are when additionalProperties is true", () => {
    const nested = { deep: [1] };
    const out = acme.parseProblem({ code: "E1", nested, "x/y": null });
    expect(out).toEqual({ code: "E1", nested, "x/y": null });
    expect(out["nested"]).toBe(nested);
    const token = core.parseToken({ provider: "p", value: "v", tokenType: "Bearer", scopes: [], raw: { anything: 1 } });
    expect(token.raw).toEqual({ anything: 1 });
  });

  it("are parsed with the schema of additionalProperties", () => {
    expect(acme.parseTyped({ kind: "typed", count: 2, a: 1, b: 0 })).toEqual({ kind: "typed", count: 2, a: 1, b: 0 });
    expect(failure(() => acme.parseTyped({ kind: "typed", a: -1 })).details).toEqual({ pointer: "/a", expected: "integer >= 0" });
    expect(failure(() => acme.parseTyped({ kind: "other" })).details).toEqual({ pointer: "/kind", expected: '"typed"' });
  });

  it('keep a "__proto__" key from JSON as an own property, never as the prototype', () => {
    const out = acme.parseTyped(JSON.parse('{"kind": "typed", "__proto__": 5}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toBe(5);
    const kept = acme.parseProblem(JSON.parse('{"code": "E", "__proto__": {"polluted": true}}'));
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect((kept as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe("other schemas", () => {
  it("nullable, aliases, numbers", () => {
    expect(acme.parseFlexible(null)).toBeNull();
    expect(acme.parseFlexible({ a: "x", b: 1 })).toEqual({ a: "x" });
    expect(acme.parseAlias(credential()).id).toBe("cred-abc123");
    expect(acme.parseRatio(null)).toBeNull();
    expect(acme.parseRatio(0.5)).toBe(0.5);
    expect(failure(() => acme.parseRatio(2)).details).toEqual({ pointer: "/", expected: "number >= 0 and <= 1" });
    expect(acme.parseCount(-1)).toBe(-1);
    expect(failure(() => acme.parseCount(-2)).details?.["expected"]).toBe("integer >= -1");
    expect(acme.parseStatus("revoked")).toBe("revoked");
    expect(acme.parseIssuedToken({ token: { provider: "p", value: "v", tokenType: "Bearer", scopes: [], raw: {} }, proof: null }).proof).toBeNull();
  });

  it("a required property that accepts anything must still be present", () => {
    expect(acme.parseEnvelope({ data: null })).toEqual({ data: null });
    expect(acme.parseEnvelope({ data: [1] })).toEqual({ data: [1] });
    expect(failure(() => acme.parseEnvelope({})).details).toEqual({ pointer: "/data", expected: "any JSON value" });
  });

  it("core Token: secrets wrapped, dates decoded, raw copied", () => {
    const token = core.parseToken({ provider: "p", value: "tok", refreshToken: "ref", tokenType: "Bearer", scopes: [], raw: { a: 1 }, expiresAt: "2030-01-01T00:00:00Z" });
    expect(token.value.reveal()).toBe("tok");
    expect(JSON.stringify(token)).not.toContain("tok\"");
    expect(token.expiresAt).toEqual(new Date("2030-01-01T00:00:00Z"));
    expect(core.parseProviderDescriptor({ id: "oci", displayName: "OCI", capabilities: ["issue"] })).toEqual({ id: "oci", displayName: "OCI", capabilities: ["issue"] });
    expect(failure(() => core.parseProviderDescriptor({ id: "OCI", displayName: "OCI", capabilities: [] }, { kind: "configuration" })).code).toBe("configuration");
  });
});

describe("spec.ts and secrets.ts", () => {
  it("export the provider's tables", () => {
    expect(acme.PROVIDER_ID).toBe("acme");
    expect(acme.OPERATIONS.listCredentials).toEqual({ method: "GET", path: "/v1/credentials", retrySafe: true, successStatuses: [200, 206] });
    expect(acme.OPERATIONS.getCredential.retrySafe).toBe(false);
    expect(Object.keys(acme.OPERATIONS)).toEqual(["createCredential", "getCredential", "issueToken", "listCredentials", "revokeCredential"]);
    expect(acme.ERROR_MAP[0]).toEqual({ status: 401, providerCode: "NotAuthenticated", code: "invalid_credentials", hint: "check the key and the clock" });
    expect(acme.ERROR_MAP.at(-1)).toEqual({ code: "invalid_request" });
    expect(acme.REQUEST_ID_HEADERS).toEqual(["x-acme-request-id", "x-request-id"]);
    expect(acme.SECRET_FIELDS).toEqual({
      Alias: ["/secret"],
      Credential: ["/secret"],
      CredentialList: ["/items/*/secret"],
      Headers: ["/*"],
      IssuedToken: ["/proof", "/token/privateKey", "/token/refreshToken", "/token/value"],
    });
    expect(acme.SECRET_WIRE_NAMES).toEqual(["privateKey", "proof", "refreshToken", "secret", "value"]);
  });

  it("export core's error table and secret fields", () => {
    expect(core.SECRET_FIELDS).toEqual({ Token: ["/privateKey", "/refreshToken", "/value"] });
    expect(core.ERROR_CODES).toContain("invalid_response");
    expect([...core.ERROR_CODES]).toEqual([...core.ERROR_CODES].sort());
    expect(core.ERROR_CODE_INFO.rate_limited).toEqual({ description: expect.any(String), retryable: true, httpStatuses: [429] });
  });
});

describe("speed", () => {
  it("parses ten thousand credentials quickly", () => {
    const inputs = Array.from({ length: 10_000 }, () => credential());
    const start = performance.now();
    for (const input of inputs) acme.parseCredential(input);
    const ms = performance.now() - start;
    // Straight-line code: a few microseconds each even on a slow CI machine.
    expect(ms).toBeLessThan(1000);
  });
});
