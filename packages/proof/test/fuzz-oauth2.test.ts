// Property-based tests of the oauth2 provider's input handling, 10,000 runs each (its generated parsers
// are fuzzed with the others' in fuzz-parsers.test.ts):
// - token requests: scopes, resource indicators and audiences (straight, and through the CLI's comma
//   lists) are sent exactly as asked when RFC 6749 / RFC 8707 allow them and refused otherwise, with
//   every secret of the request wrapped and never repeated in an error;
// - token responses: any JSON gives a canonical token or invalid_response, with the granted scopes, the
//   resource asked for, the expiry and the secrets where they belong;
// - discovery: random issuers and random metadata documents, served in memory at each well-known URL,
//   give metadata naming exactly the configured issuer with https (or loopback http) endpoints, or a
//   typed error; nothing is fetched from another origin. The HTTP layer under discovery is the fault
//   matrix's (test/fault-matrix.test.ts); here it is an in-memory stand-in, as the signing fuzzers'
//   requests are, so that 10,000 documents take seconds.
import { type HttpRequest, type HttpResponse, type HttpTransport, Secret, type SendOptions, TokenmintError } from "@tokenmint/core";
import { buildGrant, checkEndpoint, discoverMetadata, metadataUrls, type Oauth2TokenRequest, peekClaims, resolveConfig, TOKEN_TYPES, tokenFromResponse, wireGrantType } from "@tokenmint/provider-oauth2";
import { requestFromCli } from "@tokenmint/provider-oauth2/cli";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTokenResponse } from "../../provider-oauth2/src/generated/parsers.js";
import { fuzzSeed, RUNS, typed, typedAsync } from "../src/fuzz.js";

/** RFC 6749 section 3.3: a scope token is printable ASCII without space, double quote or backslash. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

const PASSWORD = "CANARYOAUTH2PASSWORD0123456789";
const REFRESH = "CANARYOAUTH2REFRESH0123456789";
const SUBJECT = "CANARYOAUTH2SUBJECT0123456789";

/** Scope strings near the grammar: good tokens, separators, and the characters RFC 6749 leaves out. */
const scopePiece = fc.oneof(
  fc.constantFrom("read", "write", "orders:read", "openid", "https://api.example.com/orders.read", " ", "  ", "\t", '"', "\\", "\u00e9", "\u0000", "~", "!", "#"),
  fc.string({ maxLength: 6 }),
);
const scopeText = fc.array(scopePiece, { maxLength: 5 }).map((parts) => parts.join(""));
const scopeInput = fc.option(fc.oneof(scopeText, fc.array(scopeText, { maxLength: 4 })), { nil: undefined });
const resourcePiece = fc.oneof(
  fc.constantFrom("https://api.example.com", "https://reports.example.com/v1", "urn:example:resource", "http://127.0.0.1:8080/r", "https://api.example.com#frag", "api.example.com", "/relative", "", " ", "#"),
  fc.webUrl({ withFragments: true, withQueryParameters: true }),
  fc.string({ maxLength: 10 }),
);
const targetInput = fc.option(fc.oneof(resourcePiece, fc.array(resourcePiece, { maxLength: 3 })), { nil: undefined });
const tokenTypeInput = fc.option(fc.oneof(fc.constantFrom(...Object.keys(TOKEN_TYPES), "urn:ietf:params:oauth:token-type:jwt", "urn:x:custom", "JWT", "access token", ""), fc.string({ maxLength: 8 })), { nil: undefined });

const grantRequest: fc.Arbitrary<Oauth2TokenRequest> = fc.oneof(
  fc.record({ grant: fc.constant("client_credentials" as const) }),
  fc.record({ grant: fc.constant("password" as const), username: fc.oneof(fc.constant("alice@example.com"), fc.string({ maxLength: 6 })), password: fc.constantFrom(PASSWORD, new Secret(PASSWORD), "") }),
  fc.record({ grant: fc.constant("refresh_token" as const), refreshToken: fc.constantFrom(REFRESH, new Secret(REFRESH)) }),
  fc.record(
    { grant: fc.constant("token_exchange" as const), subjectToken: fc.constantFrom(SUBJECT, new Secret(SUBJECT)), subjectTokenType: tokenTypeInput, requestedTokenType: tokenTypeInput },
    { requiredKeys: ["grant", "subjectToken"] },
  ),
);

const listOf = (value: string | readonly string[] | undefined): string[] | undefined => (value === undefined ? undefined : (typeof value === "string" ? value.split(" ") : [...value]).filter((v) => v !== ""));
const absoluteWithoutFragment = (r: string) => URL.canParse(r) && !r.includes("#");
const tokenTypeOk = (t: string | undefined) => t === undefined || Object.hasOwn(TOKEN_TYPES, t) || /^[a-z][a-z0-9+.-]*:\S+$/i.test(t);
const fieldsOf = (fields: ReadonlyArray<readonly [string, string | Secret]>, name: string) => fields.filter(([k]) => k === name).map(([, v]) => v);
const noSecretIn = (error: TokenmintError) => {
  const text = `${error.message} ${error.hint ?? ""}`;
  for (const secret of [PASSWORD, REFRESH, SUBJECT]) expect(text).not.toContain(secret);
};

describe("oauth2 token requests", () => {
  it(`scopes, resources and audiences are sent exactly as asked when RFC 6749 / 8707 allow them, refused otherwise; secrets stay wrapped (${RUNS} runs)`, () => {
    const defaults = fc.record({ scope: fc.array(fc.constantFrom("read", "write"), { maxLength: 2 }), resource: fc.array(fc.constantFrom("https://api.example.com"), { maxLength: 1 }), audience: fc.array(fc.constantFrom("orders"), { maxLength: 1 }) });
    let accepted = 0;
    fc.assert(
      fc.property(grantRequest, scopeInput, targetInput, targetInput, defaults, (base, scope, resource, audience, d) => {
        const request = { ...base, ...(scope === undefined ? {} : { scope }), ...(resource === undefined ? {} : { resource }), ...(audience === undefined ? {} : { audience }) } as Oauth2TokenRequest;
        const refresh = request.grant === "refresh_token";
        const scopes = listOf(scope) ?? (refresh ? [] : d.scope);
        const resources = listOf(resource) ?? (refresh ? [] : d.resource);
        const audiences = listOf(audience) ?? (refresh ? [] : d.audience);
        const badScope = scopes.some((s) => !SCOPE_TOKEN.test(s));
        const badResource = resources.some((r) => !absoluteWithoutFragment(r));
        const badGrant =
          (request.grant === "password" && (request.username === "" || request.password === "")) ||
          (request.grant === "token_exchange" && (!tokenTypeOk(request.subjectTokenType) || !tokenTypeOk(request.requestedTokenType)));
        const out = typed(() => buildGrant(request, d));
        if (!out.ok) {
          noSecretIn(out.error);
          // Scopes are checked first, then resources, then the grant's own fields.
          expect(out.error.code).toBe(badScope ? "invalid_scope" : "invalid_request");
          expect(badScope || badResource || badGrant).toBe(true);
          return;
        }
        accepted++;
        expect(badScope || badResource || badGrant).toBe(false);
        const fields = out.value.fields;
        expect(fieldsOf(fields, "grant_type")).toEqual([wireGrantType(request.grant)]);
        expect(fieldsOf(fields, "scope")).toEqual(scopes.length > 0 ? [scopes.join(" ")] : []);
        expect(fieldsOf(fields, "resource")).toEqual(resources);
        expect(fieldsOf(fields, "audience")).toEqual(audiences);
        // Every secret of the request goes out as a Secret (redacted in logs), never as a plain string.
        for (const name of ["password", "refresh_token", "subject_token"]) for (const v of fieldsOf(fields, name)) expect(v).toBeInstanceOf(Secret);
        for (const [, v] of fields) if (typeof v === "string") for (const secret of [PASSWORD, REFRESH, SUBJECT]) expect(v).not.toContain(secret);
      }),
      { numRuns: RUNS, seed: fuzzSeed(60) },
    );
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });

  it(`the CLI's --scope/--resource/--audience lists: split on commas and spaces, trimmed, never an empty scope sent (${RUNS} runs)`, () => {
    const cliList = fc.option(fc.array(fc.array(fc.oneof(fc.constantFrom("read", "write", ",", " ", " , ", "orders:read", "https://api.example.com"), fc.string({ maxLength: 4 })), { maxLength: 4 }).map((p) => p.join("")), { maxLength: 3 }), { nil: undefined });
    fc.assert(
      fc.property(cliList, cliList, fc.constantFrom("client_credentials", "password", "refresh_token", "token_exchange"), (scope, audience, grant) => {
        const values = { grant, scope, audience, username: "alice", password: new Secret(PASSWORD), "refresh-token": new Secret(REFRESH), "subject-token": new Secret(SUBJECT) };
        const request = requestFromCli(values as Parameters<typeof requestFromCli>[0]);
        const split = (items: readonly string[] | undefined) => items?.flatMap((s) => s.split(",").map((t) => t.trim())).filter(Boolean);
        expect(request.scope).toEqual(split(scope));
        expect(request.audience).toEqual(split(audience));
        const out = typed(() => buildGrant(request, { scope: [], resource: [], audience: [] }));
        if (!out.ok) {
          noSecretIn(out.error);
          expect(out.error.code).toBe("invalid_scope");
          return;
        }
        const sent = fieldsOf(out.value.fields, "scope");
        if (sent.length > 0) for (const s of String(sent[0]).split(" ")) expect(s).toMatch(SCOPE_TOKEN);
        for (const a of fieldsOf(out.value.fields, "audience")) expect(a).not.toBe("");
      }),
      { numRuns: RUNS, seed: fuzzSeed(61) },
    );
  });
});

/** A JWT-shaped access token (unsigned: the client only reads exp, scope, jti and typ from it). */
const jwtLike = fc
  .record({ typ: fc.constantFrom(undefined, "at+jwt", "application/at+jwt", "JWT"), scope: fc.option(scopeText, { nil: undefined }), exp: fc.option(fc.integer({ min: 0, max: 4_000_000_000 }), { nil: undefined }), jti: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }) })
  .map(({ typ, ...claims }) => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return `${part({ alg: "RS256", ...(typ === undefined ? {} : { typ }) })}.${part({ ...claims, canary: "CANARYOAUTH2ACCESS0123456789" })}.c2lnbmF0dXJl`;
  });
const accessToken = fc.oneof(jwtLike, fc.constantFrom("CANARYOAUTH2OPAQUE0123456789"), fc.string({ maxLength: 10 }));
/** Mostly a valid value, sometimes one the parser must refuse. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) => fc.oneof({ weight: 5, arbitrary: good as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: bad });
const tokenResponse = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        access_token: mostly(accessToken, fc.constantFrom("", 7, null)),
        token_type: mostly(fc.constantFrom("Bearer", "bearer", "BEARER", "N_A"), fc.oneof(fc.constantFrom("DPoP", "mac", "", 1), fc.string({ maxLength: 6 }))),
        // Lifetimes up to 100 years, and values the parser must refuse. (Not lifetimes past the range of a
        // Date, ~2.7e11 years: they give an Invalid Date expiry today, left as it is and reported.)
        expires_in: mostly(fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 3.2e9, noNaN: true })), fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY, "3600")),
        refresh_token: mostly(fc.oneof(fc.constant("CANARYOAUTH2RESPREFRESH0123456789"), fc.string({ minLength: 1, maxLength: 4 })), fc.constantFrom("", 42)),
        scope: mostly(scopeText, fc.constantFrom(null, 3, ["read"])),
        issued_token_type: mostly(fc.constantFrom(...Object.values(TOKEN_TYPES)), fc.oneof(fc.constantFrom("", 5), fc.string({ maxLength: 6 }))),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<unknown> },
);

describe("oauth2 token responses", () => {
  it(`any JSON: a canonical token (scopes granted, resource asked for, expiry, secrets wrapped) or invalid_response that repeats no token (${RUNS} runs)`, () => {
    let tokens = 0;
    const grantedFrom = { response: 0, claim: 0, requested: 0 };
    fc.assert(
      fc.property(tokenResponse, fc.array(fc.constantFrom("read", "write", "openid"), { maxLength: 3 }), fc.option(fc.constantFrom("https://api.example.com", "orders"), { nil: undefined }), fc.boolean(), (input, requested, resource, exchange) => {
        const issuedAt = new Date(Date.UTC(2026, 10, 23, 12));
        const out = typed(() => tokenFromResponse(parseTokenResponse(input, { provider: "oauth2", source: "fuzz" }), { issuedAt, requested, resource, exchange, requestId: undefined }));
        const body = (input ?? {}) as Record<string, unknown>;
        if (!out.ok) {
          expect(out.error.code).toBe("invalid_response");
          const text = `${out.error.message} ${out.error.hint ?? ""}`;
          for (const key of ["access_token", "refresh_token"]) if (typeof body[key] === "string" && (body[key] as string).length >= 12) expect(text).not.toContain(body[key]);
          return;
        }
        tokens++;
        const token = out.value;
        expect(token.value).toBeInstanceOf(Secret);
        expect(token.value.reveal()).toBe(body["access_token"]);
        if (body["refresh_token"] !== undefined) expect(token.refreshToken?.reveal()).toBe(body["refresh_token"]);
        if (String(body["access_token"]).length >= 12) expect(JSON.stringify(token)).not.toContain(String(body["access_token"]));
        // Bearer in any case; N_A only for an exchange that issued something other than an access token.
        if (token.tokenType === "N_A") expect(exchange && body["issued_token_type"] !== undefined && body["issued_token_type"] !== TOKEN_TYPES.access_token).toBe(true);
        else expect(token.tokenType).toBe("Bearer");
        // RFC 6749 section 5.1: the response's scope when it names one.
        // Without one, a JWT access token's own scope claim (none for an RFC 9068 token without it), else those asked for.
        const claims = peekClaims(token.value);
        const typ = String(claims === undefined ? "" : (JSON.parse(Buffer.from(token.value.reveal().split(".")[0]!, "base64url").toString()) as { typ?: string }).typ).toLowerCase();
        const granted =
          typeof body["scope"] === "string" ? body["scope"] : typeof claims?.["scope"] === "string" ? claims["scope"] : typ === "at+jwt" || typ === "application/at+jwt" ? "" : undefined;
        expect(token.scopes.map((s) => s.raw)).toEqual(granted === undefined ? requested : granted.split(" ").filter((s) => s !== ""));
        if (granted === undefined) grantedFrom.requested++;
        else if (typeof body["scope"] === "string") grantedFrom.response++;
        else grantedFrom.claim++;
        for (const s of token.scopes) {
          expect(s.name).toBe(s.raw);
          expect(s.resource).toBe(resource);
        }
        if (typeof body["expires_in"] === "number") expect(token.expiresAt?.getTime()).toBe(issuedAt.getTime() + Math.floor((body["expires_in"] as number) * 1000));
        if (token.expiresAt !== undefined) expect(Number.isFinite(token.expiresAt.getTime()), `expiresAt from expires_in ${String(body["expires_in"])}`).toBe(true);
      }),
      { numRuns: RUNS, seed: fuzzSeed(62) },
    );
    expect(tokens).toBeGreaterThan(RUNS / 10);
    for (const n of Object.values(grantedFrom)) expect(n).toBeGreaterThan(RUNS / 100);
  });
});

/** One answer of the in-memory server at a metadata URL. */
type Answer = { readonly kind: "404" } | { readonly kind: "500" } | { readonly kind: "not-json" } | { readonly kind: "document"; readonly document: unknown };

function response(status: number, text: string): HttpResponse {
  const body = Buffer.from(text);
  return {
    status,
    headers: new Headers({ "content-type": "application/json" }),
    body,
    requestId: undefined,
    attempts: 1,
    earlierAttemptMayHaveApplied: false,
    text: () => text,
    json() {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new TokenmintError("invalid_response", `response body (status ${status}) is not valid JSON`, { provider: "oauth2", status });
      }
    },
  };
}

/** Serves `answers` in order, one per request, as the transport would after its retries. */
function inMemoryTransport(answers: readonly Answer[], requested: string[]): HttpTransport {
  const transport = {
    async send(request: HttpRequest, _options: SendOptions): Promise<HttpResponse> {
      requested.push(String(request.url));
      const answer = answers[requested.length - 1] ?? { kind: "404" };
      switch (answer.kind) {
        case "404":
          throw new TokenmintError("not_found", "provider answered HTTP 404", { provider: "oauth2", status: 404 });
        case "500":
          throw new TokenmintError("provider_unavailable", "provider answered HTTP 500", { provider: "oauth2", status: 500, retryable: true });
        case "not-json":
          return response(200, "<html>metadata</html>");
        case "document":
          return response(200, JSON.stringify(answer.document));
      }
    },
  };
  return transport as unknown as HttpTransport;
}

const issuerInput = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("https://as.example.com", "https://as.example.com/", "https://as.example.com/tenant-a", "https://as.example.com/tenant-a/", "http://127.0.0.1:8080/t", "http://localhost:9", "http://as.example.com", "https://as.example.com/?x=1", "https://as.example.com/#f", "ftp://as.example.com", "as.example.com", "") },
  fc.webUrl({ withFragments: true, withQueryParameters: true }),
  fc.tuple(fc.constantFrom("https://as.example.com/", "http://[::1]:8443/"), fc.string({ maxLength: 8 })).map(([a, b]) => `${a}${b}`),
);

function endpointFor(issuer: string): fc.Arbitrary<unknown> {
  const origin = URL.canParse(issuer) ? new URL(issuer).origin : "https://as.example.com";
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(`${origin}/token`, `${origin}/revoke`, "https://other.example.com/token", "http://127.0.0.1:9/token", "http://[::1]/jwks", "http://localhost/x", "https://as.example.com/t#") },
    { weight: 1, arbitrary: fc.constantFrom("http://evil.example.com/token", "https://as.example.com/token#frag", "not a url", "", "javascript:alert(1)", "file:///etc/passwd") },
    { weight: 1, arbitrary: fc.constant(42) as fc.Arbitrary<unknown> },
  );
}

function documentFor(issuer: string): fc.Arbitrary<unknown> {
  const endpoint = endpointFor(issuer);
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record(
        {
          issuer: fc.oneof({ weight: 6, arbitrary: fc.constant(issuer) }, fc.constant(`${issuer}/`), fc.constant(issuer.replace(/\/$/, "")), fc.constantFrom("https://evil.example.com", "", 7) as fc.Arbitrary<unknown>),
          token_endpoint: endpoint,
          revocation_endpoint: endpoint,
          introspection_endpoint: endpoint,
          jwks_uri: endpoint,
          grant_types_supported: fc.oneof(fc.array(fc.constantFrom("client_credentials", "password"), { maxLength: 2 }), fc.constant("client_credentials") as fc.Arbitrary<unknown>),
        },
        { requiredKeys: ["issuer"] },
      ),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<unknown> },
  );
}

const answersFor = (issuer: string): fc.Arbitrary<Answer[]> =>
  fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constant({ kind: "404" } as Answer) },
      { weight: 1, arbitrary: fc.constantFrom<Answer>({ kind: "500" }, { kind: "not-json" }) },
      { weight: 6, arbitrary: documentFor(issuer).map((document): Answer => ({ kind: "document", document })) },
    ),
    { minLength: 1, maxLength: 3 },
  );

/**
 * The client's rule for endpoints: https, or http to a loopback host, and no fragment component, not even
 * an empty one (a bare "#", which URL.hash reports as "").
 */
function acceptableEndpoint(value: string): boolean {
  const url = new URL(value);
  return url.hash === "" && !url.href.endsWith("#") && (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname)));
}

describe("oauth2 discovery", () => {
  it(`random issuers and metadata documents: metadata naming exactly the issuer, endpoints https or loopback http, nothing fetched from another origin, or a typed error (${RUNS} runs)`, async () => {
    const outcomes = { metadata: 0, refusedConfig: 0, errors: 0 };
    await fc.assert(
      fc.asyncProperty(
        issuerInput.chain((issuer) => fc.tuple(fc.constant(issuer), answersFor(issuer))),
        async ([issuer, answers]) => {
          // The issuer goes through the client's configuration first, as it does for every user.
          const config = typed(() => resolveConfig({ issuer, clientId: "c", clientSecret: "s" }, { env: {} }));
          if (!config.ok) {
            expect(config.error.code).toBe("configuration");
            outcomes.refusedConfig++;
            return;
          }
          const urls = typed(() => metadataUrls(issuer));
          if (!urls.ok) {
            expect(urls.error.code).toBe("configuration");
            outcomes.refusedConfig++;
            return;
          }
          const requested: string[] = [];
          const out = await typedAsync(() => discoverMetadata(inMemoryTransport(answers, requested), issuer, undefined, {}));
          // The well-known locations in order, all on the issuer's origin, stopping at the first answer that is not a 404.
          const origin = new URL(issuer).origin;
          expect(requested).toEqual(urls.value.slice(0, requested.length));
          for (const url of requested) expect(new URL(url).origin).toBe(origin);
          const first = answers.slice(0, urls.value.length).findIndex((a) => a.kind !== "404");
          expect(requested.length).toBe(first < 0 ? urls.value.length : first + 1);
          if (!out.ok) {
            outcomes.errors++;
            if (first < 0) expect(out.error.code).toBe("not_found");
            else if (answers[first]!.kind === "500") expect(out.error.code).toBe("provider_unavailable");
            else expect(out.error.code).toBe("invalid_response");
            return;
          }
          outcomes.metadata++;
          const answer = answers[first]!;
          expect(answer.kind).toBe("document");
          // Mix-up defence (RFC 8414 section 3.3): exactly the issuer configured.
          expect(out.value.issuer).toBe(issuer);
          for (const field of ["token_endpoint", "revocation_endpoint", "introspection_endpoint", "jwks_uri"] as const) {
            const value = out.value[field];
            if (value !== undefined) expect(acceptableEndpoint(value), `${field} ${value}`).toBe(true);
          }
        },
      ),
      { numRuns: RUNS, seed: fuzzSeed(63) },
    );
    // Every branch is reached often enough to mean something.
    expect(outcomes.metadata).toBeGreaterThan(RUNS / 50);
    expect(outcomes.errors).toBeGreaterThan(RUNS / 10);
    expect(outcomes.refusedConfig).toBeGreaterThan(RUNS / 50);
  });

  it(`endpoint URLs: accepted exactly when https or loopback http without a fragment (${RUNS} runs)`, () => {
    const candidate = fc.oneof(
      fc.webUrl({ withFragments: true, withQueryParameters: true, validSchemes: ["http", "https"] }),
      fc.tuple(fc.constantFrom("http://", "https://", "HTTP://", "ftp://", "http:/", "//", ""), fc.constantFrom("127.0.0.1", "localhost", "[::1]", "127.0.0.2", "0.0.0.0", "example.com", "LOCALHOST", "localhost."), fc.constantFrom("", ":8080", ":0"), fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("/token#", "#", "/t?x=1#"))).map((parts) => parts.join("")),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(candidate, (value) => {
        const out = typed(() => checkEndpoint(value, "endpoint"));
        const valid = URL.canParse(value) && acceptableEndpoint(value);
        expect(out.ok, value).toBe(valid);
        if (out.ok) expect(out.value).toBe(new URL(value).href);
        else expect(out.error.code).toBe("configuration");
      }),
      { numRuns: RUNS, seed: fuzzSeed(64) },
    );
  });
});
