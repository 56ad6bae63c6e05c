// The starting spec, specs/providers/<id>.json: an OpenAPI 3.1 document in the subset tools/codegen
// reads (specs/README.md). JSON has no comments, so the guidance sits in `description` and `$comment`
// fields, which the generator accepts and turns into TSDoc or ignores.
import type { ProviderNames } from "../names.js";

export function specTemplate(n: ProviderNames): string {
  const spec = {
    openapi: "3.1.0",
    info: {
      title: `${n.displayName} token API`,
      version: "0.1.0",
      description: [
        `Starting spec written by \`pnpm new-provider ${n.id}\`: a token endpoint in the shape of OAuth 2.0 client credentials (RFC 6749 section 4.4) and a JWKS, which the scaffolded client, emulator and tests use as they are.`,
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
          },
          required: ["access_token", "token_type"],
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
      },
    },
  };
  return `${JSON.stringify(spec, null, 2)}\n`;
}
