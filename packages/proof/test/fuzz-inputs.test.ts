// Property-based tests of user input parsing, 10,000 runs each: scopes of every provider that has them
// (OCI, IDCS), the ids and filter paths of those that do not (Huawei, Intersight), tokens.tok and
// ~/.oci/config. Only values or TokenmintErrors may come out; valid inputs round-trip; no error message
// repeats a secret value.
import { dbScope, formatDbScope, parseConfigFile, parseDbScope, selectProfile } from "@tokenmint/provider-oci";
import { formatTokensTok, parseScope, parseTokensTok, resolveScopes } from "@tokenmint/provider-idcs";
import { pathId } from "@tokenmint/provider-huaweicloud";
import { isOAuthTokenProperty, OAUTH_TOKEN_PROPERTY_NAMES, resolvePath } from "@tokenmint/provider-intersight";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzSeed, RUNS, typed } from "../src/fuzz.js";

const ocidPart = fc.stringMatching(/^[a-z0-9]{1,12}$/);
const ocid = (type: string) => fc.tuple(fc.constantFrom("oc1", "oc2", "oc19"), fc.constantFrom("", "iad", "eu-frankfurt-1"), ocidPart).map(([realm, region, id]) => `ocid1.${type}.${realm}.${region}.${id}`);
const compartmentName = fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/);
/** Strings near the grammar: its pieces glued with random text. */
const nearScope = fc
  .array(fc.oneof(fc.constantFrom("urn:oracle:db::", "id::", "path::", "::", ":", "*", "ocid1.", "compartment.", "oc1..", "aaaa"), fc.string({ maxLength: 8 }), ocid("database")), { maxLength: 8 })
  .map((parts) => parts.join(""));

describe("scopes", () => {
  it(`OCI database scopes: built ones parse back to themselves; any string parses or is invalid_scope (${RUNS} runs each)`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.record({ kind: fc.constant("id" as const), compartment: ocid("compartment"), database: fc.option(ocid("autonomousdatabase"), { nil: undefined }) }), fc.record({ kind: fc.constant("path" as const), path: fc.array(compartmentName, { minLength: 1, maxLength: 5 }), database: fc.option(ocid("autonomousdatabase"), { nil: undefined }) })), (scope) => {
        const text = scope.kind === "id" ? dbScope.compartment(scope.compartment, scope.database) : dbScope.path(scope.path, scope.database);
        expect(formatDbScope(parseDbScope(text))).toBe(text);
      }),
      { numRuns: RUNS, seed: fuzzSeed(1) },
    );
    fc.assert(
      fc.property(fc.oneof(nearScope, fc.string(), fc.string({ unit: "binary", maxLength: 40 })), (text) => {
        const out = typed(() => parseDbScope(text));
        if (out.ok) expect(formatDbScope(out.value)).toBe(text);
        else expect(out.error.code).toBe("invalid_scope");
      }),
      { numRuns: RUNS, seed: fuzzSeed(2) },
    );
  });

  it(`IDCS scopes: parseScope keeps raw = resource + name; resolveScopes gives scopes or typed errors (${RUNS} runs each)`, () => {
    const audience = fc.oneof(fc.constantFrom("https://orders.example.com:443", "urn:opc:entitlementid=123"), fc.webUrl());
    const piece = fc.oneof(fc.constantFrom("urn:opc:idm:", "urn:opc:resource:consumer::all", "offline_access", "orders.read", "t.user.me", ":443", "/"), fc.string({ maxLength: 10 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 5 }), fc.array(audience, { maxLength: 3 }), (parts, audiences) => {
        const raw = parts.join("");
        const out = typed(() => parseScope(raw, audiences));
        if (out.ok) {
          expect(out.value.raw).toBe(raw);
          if (out.value.resource !== undefined) expect(`${out.value.resource}${out.value.name}`).toBe(raw);
        }
      }),
      { numRuns: RUNS, seed: fuzzSeed(3) },
    );
    const selection = fc.oneof(
      fc.record({ kind: fc.constant("available" as const) }),
      fc.record({ kind: fc.constant("idcs" as const), roles: fc.array(fc.constantFrom("Me", "User Administrator", "Unknown Role", ""), { maxLength: 3 }) }),
      fc.record({ kind: fc.constant("resource" as const), audience, scopes: fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }) }),
      fc.record({ kind: fc.constant("raw" as const), scopes: fc.oneof(fc.string({ maxLength: 60 }), fc.array(fc.array(piece, { maxLength: 4 }).map((p) => p.join("")), { maxLength: 4 })) }),
    );
    fc.assert(
      fc.property(selection, fc.boolean(), (sel, refresh) => {
        const out = typed(() => resolveScopes(sel, refresh, { resourceServers: [{ audience: "https://orders.example.com:443", refreshTokenAllowed: true }] }));
        if (out.ok) for (const s of out.value.scopes) expect(out.value.wire.split(" ")).toContain(s.raw);
        else expect(["invalid_scope", "invalid_request", "unsupported", "configuration"]).toContain(out.error.code);
      }),
      { numRuns: RUNS, seed: fuzzSeed(4) },
    );
  });

  it(`Huawei (no scopes): path ids are accepted exactly when unreserved, and come out unchanged (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^[A-Za-z0-9._~-]{1,40}$/), fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 20 }), fc.constantFrom(".", "..", "a/b", "%2e", "")), (id) => {
        const out = typed(() => pathId("tenantId", id));
        const valid = id !== "." && id !== ".." && /^[A-Za-z0-9._~-]{1,128}$/.test(id);
        expect(out.ok).toBe(valid);
        if (out.ok) expect(out.value).toBe(id);
        else expect(out.error.code).toBe("invalid_request");
      }),
      { numRuns: RUNS, seed: fuzzSeed(5) },
    );
  });

  it(`Intersight (no scopes): filter property paths resolve only to iam.OAuthToken properties (${RUNS} runs)`, () => {
    const name = fc.oneof(fc.constantFrom(...OAUTH_TOKEN_PROPERTY_NAMES), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 3 }), (parts) => {
        const path = parts.join(".");
        const out = typed(() => resolvePath(path));
        expect(out.ok).toBe(true);
        if (out.ok && out.value !== undefined) {
          expect(isOAuthTokenProperty(parts[0]!.split("/")[0]!)).toBe(true);
          expect(out.value.segments.join(".")).toBe(path.replace(/\//g, "."));
        }
      }),
      { numRuns: RUNS, seed: fuzzSeed(6) },
    );
  });
});

describe("files", () => {
  const tokenValue = fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.string({ unit: "binary", minLength: 1, maxLength: 30 }));
  it(`tokens.tok: written files read back; any text is a token or a configuration error that never repeats it (${RUNS} runs each)`, () => {
    fc.assert(
      fc.property(tokenValue, fc.option(tokenValue, { nil: undefined }), fc.constantFrom("app_refresh_token" as const, "refresh_token" as const), (access, refresh, key) => {
        const read = parseTokensTok(formatTokensTok(access, refresh, key));
        expect(read.accessToken.reveal()).toBe(access);
        expect(read.refreshToken?.reveal()).toBe(refresh);
      }),
      { numRuns: RUNS, seed: fuzzSeed(7) },
    );
    const secret = "CANARYTOKSECRET0123456789";
    const text = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ app_access_token: fc.oneof(fc.constant(secret), fc.jsonValue()), app_refresh_token: fc.option(fc.oneof(fc.constant(secret), fc.jsonValue()), { nil: undefined }) }).map((o) => JSON.stringify(o)),
      fc.tuple(fc.constant(JSON.stringify({ app_access_token: secret })), fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))),
    );
    fc.assert(
      fc.property(text, (input) => {
        const out = typed(() => parseTokensTok(input, "tokens.tok"));
        if (!out.ok) {
          expect(out.error.code).toBe("configuration");
          expect(`${out.error.message} ${out.error.hint ?? ""}`).not.toContain(secret);
        }
      }),
      { numRuns: RUNS, seed: fuzzSeed(8) },
    );
  });

  it(`~/.oci/config: generated files parse back; any text parses or is a configuration error that never repeats a value (${RUNS} runs each)`, () => {
    const key = fc.stringMatching(/^[a-z_]{1,12}$/);
    const value = fc.string({ maxLength: 30 }).filter((v) => !/[\r\n]/.test(v));
    const profileName = fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/);
    const profiles = fc.dictionary(profileName, fc.dictionary(key, value, { maxKeys: 5 }), { minKeys: 1, maxKeys: 4 });
    fc.assert(
      fc.property(profiles, (input) => {
        const text = Object.entries(input)
          .map(([name, entries]) => `[${name}]\n${Object.entries(entries).map(([k, v]) => `${k} = ${v}`).join("\n")}`)
          .join("\n# comment\n\n");
        const file = parseConfigFile(text, "config");
        for (const [name, entries] of Object.entries(input)) {
          const view = selectProfile(file, name);
          for (const [k, v] of Object.entries(entries)) expect(file.profiles.get(name)?.get(k)).toBe(v.trim());
          expect(view.name).toBe(name);
        }
      }),
      { numRuns: RUNS, seed: fuzzSeed(9) },
    );
    const secret = "CANARYPASSPHRASE987654321";
    const line = fc.oneof(fc.constantFrom("[DEFAULT]", "[]", "[ PROD ]", "# c", "; c", "", "=", `pass_phrase=${secret}`, `pass_phrase ${secret}`, `=${secret}`), fc.string({ maxLength: 20 }), fc.tuple(key, value).map(([k, v]) => `${k}=${v}`));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom("\n", "\r\n"), (lines, eol) => {
        const out = typed(() => parseConfigFile(lines.join(eol), "config"));
        if (!out.ok) {
          expect(out.error.code).toBe("configuration");
          expect(`${out.error.message} ${out.error.hint ?? ""}`).not.toContain(secret);
        }
      }),
      { numRuns: RUNS, seed: fuzzSeed(10) },
    );
  });
});
