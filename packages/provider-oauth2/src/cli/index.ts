// How the tokenmint CLI drives the oauth2 provider: flags, issue (every grant), revoke, and the demo
// against the emulator.
import { createHash } from "node:crypto";
import { type ClientAuthMethod, type CliFlag, type CliValues, type ProviderCli, type Secret, TokenmintError } from "@tokenmint/core";
import { cliBoolean, cliList, cliSecret, cliString, demoCredentials } from "@tokenmint/core/cli";
import { createOauth2Client, type Oauth2Client, type TokenTypeHint } from "../client.js";
import type { Oauth2Options } from "../config.js";
import { PROVIDER_ID } from "../generated/index.js";
import { GRANTS, type Oauth2TokenRequest } from "../grants.js";
import { peekClaims } from "../token.js";

const configFlags: readonly CliFlag[] = [
  { name: "issuer", description: "issuer URL: endpoints come from its metadata (RFC 8414 / OpenID Connect discovery)", type: "string", env: "OAUTH2_ISSUER" },
  { name: "token-endpoint", description: "the token endpoint, when there is no metadata to discover", type: "string", env: "OAUTH2_TOKEN_ENDPOINT" },
  { name: "discovery-url", description: "a metadata URL other than the well-known ones", type: "string" },
  { name: "revocation-endpoint", description: "RFC 7009 endpoint, when not discovered", type: "string" },
  { name: "client-id", description: "the client id", type: "string", env: "OAUTH2_CLIENT_ID" },
  { name: "client-secret", description: "the client secret", type: "string", secret: true, env: "OAUTH2_CLIENT_SECRET" },
  { name: "client-auth", description: "client_secret_basic (default with a secret), client_secret_post, client_secret_jwt (an assertion signed with an HMAC keyed with the secret, HS256 unless the metadata lists only HS384/HS512; the secret needs at least 32 bytes) or private_key_jwt (default with only a key); without it, what the server's metadata lists", type: "string", env: "OAUTH2_CLIENT_AUTH" },
  { name: "private-key-file", description: "PEM private key for private_key_jwt", type: "string", env: "OAUTH2_PRIVATE_KEY_FILE" },
  { name: "key-id", description: "kid of that key, as registered with the server", type: "string", env: "OAUTH2_KEY_ID" },
  { name: "no-metadata-check", description: "send grants and client authentication methods the metadata does not list", type: "boolean" },
];

const issueFlags: readonly CliFlag[] = [
  { name: "grant", description: `${GRANTS.join(", ")} (default client_credentials)`, type: "string" },
  { name: "scope", description: "scopes (repeat the flag or separate with commas)", type: "list" },
  { name: "resource", description: "RFC 8707 resource indicators (absolute URIs)", type: "list" },
  { name: "audience", description: "audience parameters (token exchange, and servers that take them)", type: "list" },
  { name: "username", description: "password grant: the user name", type: "string" },
  { name: "password", description: "password grant: the user's password", type: "string", secret: true },
  { name: "refresh-token", description: "refresh_token grant: the refresh token", type: "string", secret: true },
  { name: "subject-token", description: "token_exchange: the token to exchange", type: "string", secret: true },
  { name: "subject-token-type", description: "token_exchange: access_token (default), refresh_token, id_token, jwt, or a type URI", type: "string" },
  { name: "actor-token", description: "token_exchange: the acting party's token", type: "string", secret: true },
  { name: "actor-token-type", description: "token_exchange: its type", type: "string" },
  { name: "requested-token-type", description: "token_exchange: the type wanted", type: "string" },
];

const revokeFlags: readonly CliFlag[] = [
  { name: "token", description: "the token to revoke (use --token-file or --token-stdin)", type: "string", secret: true, required: true },
  { name: "token-type-hint", description: "access_token or refresh_token", type: "string" },
];

function required<T>(value: T | undefined, flag: string, grant: string): T {
  if (value === undefined) throw new TokenmintError("configuration", `the ${grant} grant needs --${flag}`, { provider: PROVIDER_ID });
  return value;
}

/** CLI flag values -> client options. */
export function optionsFromCli(values: CliValues): Oauth2Options {
  return {
    issuer: cliString(values, "issuer", PROVIDER_ID),
    tokenEndpoint: cliString(values, "token-endpoint", PROVIDER_ID),
    discoveryUrl: cliString(values, "discovery-url", PROVIDER_ID),
    revocationEndpoint: cliString(values, "revocation-endpoint", PROVIDER_ID),
    clientId: cliString(values, "client-id", PROVIDER_ID),
    clientSecret: cliSecret(values, "client-secret", PROVIDER_ID),
    clientAuth: cliString(values, "client-auth", PROVIDER_ID) as ClientAuthMethod | undefined,
    privateKeyFile: cliString(values, "private-key-file", PROVIDER_ID),
    keyId: cliString(values, "key-id", PROVIDER_ID),
    checkMetadata: cliBoolean(values, "no-metadata-check", PROVIDER_ID) ? false : undefined,
  };
}

/** CLI flag values -> one token request. */
export function requestFromCli(values: CliValues): Oauth2TokenRequest {
  const common = { scope: cliList(values, "scope", PROVIDER_ID), resource: cliList(values, "resource", PROVIDER_ID), audience: cliList(values, "audience", PROVIDER_ID) };
  const grant = cliString(values, "grant", PROVIDER_ID) ?? "client_credentials";
  switch (grant) {
    case "client_credentials":
      return { grant, ...common };
    case "password":
      return { grant, ...common, username: required(cliString(values, "username", PROVIDER_ID), "username", grant), password: required(cliSecret(values, "password", PROVIDER_ID), "password", grant) };
    case "refresh_token":
      return { grant, ...common, refreshToken: required(cliSecret(values, "refresh-token", PROVIDER_ID), "refresh-token", grant) };
    case "token_exchange":
      return {
        grant,
        ...common,
        subjectToken: required(cliSecret(values, "subject-token", PROVIDER_ID), "subject-token", grant),
        subjectTokenType: cliString(values, "subject-token-type", PROVIDER_ID),
        actorToken: cliSecret(values, "actor-token", PROVIDER_ID),
        actorTokenType: cliString(values, "actor-token-type", PROVIDER_ID),
        requestedTokenType: cliString(values, "requested-token-type", PROVIDER_ID),
      };
    default:
      throw new TokenmintError("configuration", `unknown grant ${JSON.stringify(grant)}`, { provider: PROVIDER_ID, hint: `use ${GRANTS.join(", ")}` });
  }
}

/** A non-secret name for a token in messages: its jti when it is a JWT, else a short hash. */
export function tokenReference(token: Secret): string {
  const jti = peekClaims(token)?.["jti"];
  return typeof jti === "string" ? `jti ${jti}` : `sha256:${createHash("sha256").update(token.reveal()).digest("hex").slice(0, 12)}`;
}

export const oauth2Cli: ProviderCli<Oauth2Options, Oauth2Client> = {
  config: { flags: configFlags, toOptions: optionsFromCli },
  issue: {
    description: "get a token from any OAuth 2.0 / OpenID Connect server (client credentials, password, refresh token, token exchange)",
    flags: issueFlags,
    examples: [
      "tokenmint issue oauth2 --issuer https://auth.example.com --client-id app --client-secret-file secret.txt --scope read --resource https://api.example.com",
      "tokenmint issue oauth2 --issuer https://auth.example.com --client-id app --private-key-file app.pem --key-id k1 --grant token_exchange --subject-token-file user.jwt --audience orders",
      "tokenmint issue oauth2 --token-endpoint https://auth.example.com/oauth/token --client-id app --client-secret-stdin --grant password --username alice --password-file pw.txt",
    ],
    run: (client, values, options) => client.issue(requestFromCli(values), options),
  },
  revoke: {
    description: "revoke a token at the server's RFC 7009 endpoint (the token comes from --token-file or --token-stdin, never the command line)",
    flags: revokeFlags,
    examples: ["tokenmint revoke oauth2 --issuer https://auth.example.com --client-id app --client-secret-file secret.txt --token-file refresh.txt --token-type-hint refresh_token"],
    async run(client, id, values, options) {
      if (id !== undefined) throw new TokenmintError("invalid_request", "pass the token with --token-file or --token-stdin, not as an argument (command lines are visible to other users)", { provider: PROVIDER_ID });
      const token = required(cliSecret(values, "token", PROVIDER_ID), "token", "revoke");
      const hint = cliString(values, "token-type-hint", PROVIDER_ID);
      if (hint !== undefined && hint !== "access_token" && hint !== "refresh_token") throw new TokenmintError("configuration", "--token-type-hint takes access_token or refresh_token", { provider: PROVIDER_ID });
      const ids = [tokenReference(token)];
      if (!options.dryRun) await client.revoke(token, { ...options, tokenTypeHint: hint as TokenTypeHint | undefined });
      return { dryRun: options.dryRun, ids };
    },
  },
  async demo(emulator, log, options) {
    const c = demoCredentials(emulator.credentials, PROVIDER_ID);
    const issuer = c("issuer");
    const api = c("resources.api");
    const secretClient = await createOauth2Client({ issuer, clientId: c("secretClient.clientId"), clientSecret: c("secretClient.clientSecret") }, { env: {} });
    const endpoints = await secretClient.endpoints(options);
    log(`discovered ${endpoints.token} (revocation, introspection and JWKS advertised) from ${issuer}`);
    const service = await secretClient.issue({ grant: "client_credentials", scope: "read", resource: api }, options);
    const verified = await secretClient.verify(service, { ...options, audience: api });
    log(`client_credentials + client_secret_basic for ${api}: verified, sub=${String(verified.claims["sub"])} scope=${String(verified.claims["scope"])}`);

    const alice = { username: c("users.alice.username"), password: c("users.alice.password") };
    const user = await secretClient.issue({ grant: "password", ...alice, scope: "read write" }, options);
    const refreshed = await secretClient.refresh(user, options);
    log(`password grant for ${alice.username}, refreshed (refresh token rotated: ${refreshed.refreshToken?.reveal() !== user.refreshToken?.reveal()})`);

    const keyClient = await createOauth2Client({ issuer, clientId: c("keyClient.clientId"), privateKey: c("keyClient.privateKeyPem"), keyId: c("keyClient.keyId") }, { env: {} });
    const exchanged = await keyClient.issue({ grant: "token_exchange", subjectToken: refreshed, audience: c("resources.reports") }, options);
    log(`token exchange (RFC 8693) + private_key_jwt: ${alice.username}'s token -> a token for ${exchanged.scopes[0]?.resource ?? "the reports API"}`);

    const before = await secretClient.introspect(refreshed, options);
    await secretClient.revoke(refreshed, options);
    const after = await secretClient.introspect(refreshed, options);
    log(`introspection (RFC 7662): active ${before.active} -> revoked (RFC 7009) -> active ${after.active}`);
    if (!before.active || after.active) throw new Error("revocation was not reflected by introspection");
  },
};
