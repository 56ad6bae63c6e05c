// The starting spec, specs/providers/<id>.json: an OpenAPI 3.1 document in the subset tools/codegen
// reads (specs/README.md). JSON has no comments, so the guidance sits in `description` and `$comment`
// fields, which the generator accepts and turns into TSDoc or ignores.
import type { CapabilitySet } from "../capabilities.js";
import type { ProviderNames } from "../names.js";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (description: string, schema: string) => ({ description, content: { "application/json": { schema: ref(schema) } } });

/** GET /tokens: the client's tokens, a page at a time (cursor pagination). */
function listOperation(n: ProviderNames) {
  return {
    operationId: "listTokens",
    summary: "Lists the tokens issued to the authenticated client and not yet expired or revoked, oldest first, without their values.",
    description: [
      "Cursor pagination: pass `page_token` = the previous page's `next_page_token` until an answer has none. The cursor names the last token returned, so tokens revoked or issued while a listing runs never make it skip or repeat others (an offset would).",
      `Retry-safe: reading changes nothing. Replace with ${n.displayName}'s real listing (path, parameters, pagination shape).`,
    ].join(" "),
    "x-tokenmint-retry-safe": true,
    parameters: [
      { name: "page_size", in: "query", required: false, description: "Tokens per page.", schema: { type: "integer", minimum: 1, maximum: 100, default: 50 } },
      { name: "page_token", in: "query", required: false, description: "Opaque cursor: the `next_page_token` of the previous page.", schema: { type: "string", minLength: 1 } },
    ],
    responses: {
      "200": jsonBody("A page of tokens.", "TokenList"),
      "400": jsonBody("Bad page_size or page_token (RFC 6749 section 5.2 body).", "ErrorBody"),
      "401": jsonBody("Client authentication failed.", "ErrorBody"),
    },
  };
}

/** DELETE /tokens/{token_id}: revokes one token. */
function revokeOperation(n: ProviderNames) {
  return {
    operationId: "revokeToken",
    summary: "Revokes (deletes) one token of the authenticated client by its id.",
    description: [
      "Retry-safe in effect: repeating it cannot revoke anything else. A repeat after an attempt that may have succeeded (timeout, reset, 5xx) can answer 404: the client then reports success, since the token is gone as asked; a 404 when no earlier attempt can have revoked it (the first, or after a 429) is not_found.",
      `Replace with ${n.displayName}'s real revocation (by id, as here, or by token value as RFC 7009 does).`,
    ].join(" "),
    "x-tokenmint-retry-safe": true,
    parameters: [{ name: "token_id", in: "path", required: true, description: "The token's id (`token_id` of the token response and of the listing).", schema: { type: "string", minLength: 1 } }],
    responses: {
      "204": { description: "Revoked; no body." },
      "401": jsonBody("Client authentication failed.", "ErrorBody"),
      "404": jsonBody("The client has no token with this id (never issued, expired, or revoked already).", "ErrorBody"),
    },
  };
}

export function specTemplate(n: ProviderNames, caps: CapabilitySet): string {
  const manages = caps.list || caps.revoke;
  const spec = {
    openapi: "3.1.0",
    info: {
      title: `${n.displayName} token API`,
      version: "0.1.0",
      description: [
        `Starting spec written by \`pnpm new-provider ${n.id}\`: a token endpoint in the shape of OAuth 2.0 client credentials (RFC 6749 section 4.4) and a JWKS${caps.list ? ", a paginated listing of the issued tokens" : ""}${caps.revoke ? ", revocation by token id" : ""}, which the scaffolded client, emulator and tests use as they are.`,
        `Replace it with ${n.displayName}'s real wire format, then run \`pnpm codegen\` (types, parsers, error table and secret lists land in ${n.packageDir}/src/generated/).`,
        "Format: specs/README.md. Guide: docs/adding-a-provider.md. Cite your sources here (API reference pages, SDK versions) and mark what you could not verify.",
      ].join(" "),
    },
    servers: [{ url: "https://auth.example.com", description: "Replace with the provider's base URL; the client takes it as its `endpoint` option." }],
    "x-tokenmint": {
      provider: n.id,
      requestIdHeaders: ["x-request-id"],
      errors: [
        { status: 429, code: "rate_limited", retryable: true, hint: `${n.displayName} is throttling requests; retry later` },
        { status: "5XX", code: "provider_unavailable", retryable: true },
        { providerCode: "invalid_client", code: "invalid_credentials", hint: "check the client id and the client secret" },
        { providerCode: "invalid_grant", code: "invalid_grant" },
        { providerCode: "invalid_scope", code: "invalid_scope", hint: "ask only for scopes the client is allowed" },
        { providerCode: "unauthorized_client", code: "access_denied" },
        { providerCode: "unsupported_grant_type", code: "unsupported" },
        ...(caps.revoke ? [{ providerCode: "token_not_found", code: "not_found", hint: caps.list ? `the client has no token with this id: \`tokenmint list ${n.id}\` shows the ids` : "the client has no token with this id (expired or revoked already?)" }] : []),
        { providerCode: "invalid_request", code: "invalid_request" },
        { providerCode: "temporarily_unavailable", code: "provider_unavailable", retryable: true },
        { providerCode: "server_error", code: "provider_unavailable", retryable: true },
      ],
    },
    paths: {
      "/oauth/token": {
        post: {
          operationId: "requestToken",
          summary: "Issues an access token for the client (client credentials, HTTP Basic client authentication).",
          description:
            "Retry-safe: repeating a client-credentials request only issues another token. Declare an operation not retry-safe (the default) when repeating it can do harm: single-use assertions, rotating refresh tokens, passwords.",
          "x-tokenmint-retry-safe": true,
          requestBody: {
            required: true,
            content: { "application/x-www-form-urlencoded": { schema: { $ref: "#/components/schemas/TokenRequest" } } },
          },
          responses: {
            "200": { description: "Token issued.", content: { "application/json": { schema: { $ref: "#/components/schemas/TokenResponse" } } } },
            "400": { description: "Bad request (RFC 6749 section 5.2 body).", content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } } },
            "401": { description: "Client authentication failed.", content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } } },
          },
        },
      },
      "/.well-known/jwks.json": {
        get: {
          operationId: "getSigningKeys",
          summary: "The public keys that sign access tokens (RFC 7517 JWKS).",
          "x-tokenmint-retry-safe": true,
          responses: {
            "200": { description: "JWKS.", content: { "application/json": { schema: { $ref: "#/components/schemas/Jwks" } } } },
          },
        },
      },
      ...(caps.list ? { "/tokens": { get: listOperation(n) } } : {}),
      ...(caps.revoke ? { "/tokens/{token_id}": { delete: revokeOperation(n) } } : {}),
    },
    components: {
      schemas: {
        TokenRequest: {
          type: "object",
          description: "Form fields of a token request.",
          $comment: "Mark every credential field with x-secret: true; it becomes a Secret in the generated types and is redacted from debug logs.",
          properties: {
            grant_type: { type: "string", enum: ["client_credentials"], description: "The grant." },
            scope: { type: "string", description: "Space-separated scopes." },
            client_secret: { type: "string", "x-secret": true, description: "Only for servers that take the secret in the body (client_secret_post)." },
          },
          required: ["grant_type"],
          additionalProperties: false,
        },
        TokenResponse: {
          type: "object",
          description: "The success body (RFC 6749 section 5.1).",
          $comment: "The generated parseTokenResponse checks this shape; a bad answer becomes invalid_response naming the JSON pointer. additionalProperties: true keeps fields this spec does not name (in Token.raw).",
          properties: {
            access_token: { type: "string", minLength: 1, "x-secret": true, description: "The access token." },
            token_type: { type: "string", minLength: 1, description: "Bearer." },
            expires_in: { type: "integer", minimum: 0, description: "Lifetime in seconds." },
            scope: { type: "string", description: "Granted scopes, when they differ from those asked for." },
            ...(manages ? { token_id: { type: "string", minLength: 1, description: `The token's id: what ${[caps.list ? "the listing returns" : "", caps.revoke ? "revocation takes" : ""].filter((s) => s !== "").join(" and ")}. Not a secret.` } } : {}),
          },
          required: manages ? ["access_token", "token_type", "token_id"] : ["access_token", "token_type"],
          additionalProperties: true,
        },
        ErrorBody: {
          type: "object",
          description: "The error body (RFC 6749 section 5.2).",
          $comment: "src/errors.ts reads it; x-tokenmint.errors maps its `error` code (and the HTTP status) to canonical codes.",
          properties: {
            error: { type: "string", minLength: 1, description: "The error code." },
            error_description: { type: "string", description: "Human-readable text." },
          },
          required: ["error"],
          additionalProperties: true,
        },
        Jwk: {
          type: "object",
          description: "One public key (RFC 7517).",
          properties: {
            kty: { type: "string", minLength: 1, description: "Key type." },
            kid: { type: "string", description: "Key id." },
            alg: { type: "string", description: "Algorithm." },
          },
          required: ["kty"],
          additionalProperties: true,
        },
        Jwks: {
          type: "object",
          description: "A JSON Web Key Set.",
          properties: { keys: { type: "array", items: { $ref: "#/components/schemas/Jwk" }, description: "The keys." } },
          required: ["keys"],
          additionalProperties: true,
        },
        ...(caps.list
          ? {
              TokenSummary: {
                type: "object",
                description: "One token in a listing: metadata only, never the value.",
                properties: {
                  token_id: { type: "string", minLength: 1, description: "The token's id." },
                  client_id: { type: "string", minLength: 1, description: "The client the token was issued to." },
                  scope: { type: "string", description: "Granted scopes, space-separated." },
                  created_at: { type: "string", "x-decode": "date", description: "When the token was issued (RFC 3339)." },
                  expires_at: { type: "string", "x-decode": "date", description: "When the token expires (RFC 3339)." },
                },
                required: ["token_id", "client_id", "created_at"],
                additionalProperties: true,
              },
              TokenList: {
                type: "object",
                description: "One page of listTokens.",
                properties: {
                  tokens: { type: "array", items: ref("TokenSummary"), maxItems: 100, description: "The page's tokens, oldest first." },
                  next_page_token: { type: "string", minLength: 1, description: "The cursor of the next page; absent on the last page." },
                },
                required: ["tokens"],
                additionalProperties: true,
              },
            }
          : {}),
      },
    },
  };
  return `${JSON.stringify(spec, null, 2)}\n`;
}
