// How the tokenmint CLI drives the IDCS provider: flags, the issue operation, `issue --save` and
// `issue --format tok` writing the console's tokens<n>.tok, and the demo against the emulator.
import { type CliFlag, type CliTokenFileFormat, type CliValues, type ProviderCli, TokenmintError } from "@tokenmint/core";
import { cliBoolean, cliList, cliSecret, cliString, demoCredentials } from "@tokenmint/core/cli";
import { createIdcsClient, type IdcsClient, type IdcsTokenRequest } from "../client.js";
import type { ClientAuthMethod, IdcsOptions } from "../config.js";
import type { GrantName, ScopeSelection } from "../scopes.js";
import { formatTokensTok, readTokensTok, writeTokensTok } from "../tokens-tok.js";

const PROVIDER = "idcs";

const configFlags: readonly CliFlag[] = [
  { name: "domain-url", description: "identity domain URL (https://idcs-....identity.oraclecloud.com)", type: "string", env: "IDCS_DOMAIN_URL" },
  { name: "client-id", description: "the confidential application's client id", type: "string", env: "IDCS_CLIENT_ID" },
  { name: "client-secret", description: "the client secret", type: "string", secret: true, env: "IDCS_CLIENT_SECRET" },
  { name: "client-auth", description: "client_secret_basic (default with a secret), client_secret_post or private_key_jwt", type: "string", env: "IDCS_CLIENT_AUTH" },
  { name: "private-key-file", description: "PEM private key whose certificate is imported into the application", type: "string", env: "IDCS_PRIVATE_KEY_FILE" },
  { name: "key-id", description: "certificate alias of that key (the assertion's kid)", type: "string", env: "IDCS_KEY_ID" },
  { name: "certificate-file", description: "PEM certificate of that key (for the x5t header)", type: "string", env: "IDCS_CERTIFICATE_FILE" },
  { name: "app-grants", description: "grants enabled in the application (checked before calls), e.g. password,refresh_token", type: "list" },
  { name: "app-roles", description: "app roles granted to the application (checked before calls)", type: "list" },
  { name: "audience-without-refresh", description: "audiences of resource servers that do not allow refresh tokens (checked before calls)", type: "list" },
];

const issueFlags: readonly CliFlag[] = [
  { name: "grant", description: "client_credentials (default), password, jwt_bearer or refresh_token", type: "string" },
  { name: "scope", description: "full scopes (audience + name, or urn:opc:idm:...); with --audience, scope names of that resource server", type: "list" },
  { name: "role", description: "Customized Scopes / Invokes Identity Cloud Service APIs: app roles, e.g. Me", type: "list" },
  { name: "audience", description: "Customized Scopes / Invokes Other APIs: the resource server's audience", type: "string" },
  { name: "include-refresh-token", description: "add offline_access (the console's Include Refresh Token)", type: "boolean" },
  { name: "username", description: "password grant: the user name", type: "string" },
  { name: "password", description: "password grant: the user's password", type: "string", secret: true },
  { name: "user", description: "jwt_bearer grant: the user to sign an assertion for", type: "string" },
  { name: "assertion", description: "jwt_bearer grant: a signed user assertion instead", type: "string", secret: true },
  { name: "refresh-token", description: "refresh_token grant: the refresh token", type: "string", secret: true },
  { name: "tokens-file", description: "refresh_token grant: read the refresh token from a console tokens.tok", type: "string" },
];

/** CLI flag values -> client options. */
export function optionsFromCli(values: CliValues): IdcsOptions {
  const grants = cliList(values, "app-grants", PROVIDER) as GrantName[] | undefined;
  const roles = cliList(values, "app-roles", PROVIDER);
  const noRefresh = cliList(values, "audience-without-refresh", PROVIDER) ?? [];
  return {
    domainUrl: cliString(values, "domain-url", PROVIDER),
    clientId: cliString(values, "client-id", PROVIDER),
    clientSecret: cliSecret(values, "client-secret", PROVIDER),
    clientAuth: cliString(values, "client-auth", PROVIDER) as ClientAuthMethod | undefined,
    privateKeyFile: cliString(values, "private-key-file", PROVIDER),
    keyId: cliString(values, "key-id", PROVIDER),
    certificateFile: cliString(values, "certificate-file", PROVIDER),
    app: grants === undefined && roles === undefined ? undefined : { grants, roles },
    resourceServers: noRefresh.map((audience) => ({ audience, refreshTokenAllowed: false })),
  };
}

/** CLI flag values -> one token request. */
export async function requestFromCli(values: CliValues): Promise<IdcsTokenRequest> {
  const scopes = cliList(values, "scope", PROVIDER);
  const roles = cliList(values, "role", PROVIDER);
  const audience = cliString(values, "audience", PROVIDER);
  let scope: ScopeSelection | undefined;
  if (audience !== undefined) scope = { kind: "resource", audience, scopes: scopes ?? [] };
  else if (roles !== undefined) scope = { kind: "idcs", roles, scopes: scopes?.filter((s) => s.startsWith("urn:opc:idm:")) };
  else if (scopes !== undefined) scope = { kind: "raw", scopes };
  const includeRefreshToken = cliBoolean(values, "include-refresh-token", PROVIDER);
  const grant = cliString(values, "grant", PROVIDER) ?? "client_credentials";
  switch (grant) {
    case "client_credentials":
      return { grant, scope, includeRefreshToken };
    case "password": {
      const username = cliString(values, "username", PROVIDER);
      const password = cliSecret(values, "password", PROVIDER);
      if (username === undefined || password === undefined) throw new TokenmintError("configuration", "the password grant needs --username and --password", { provider: PROVIDER });
      return { grant, username, password, scope, includeRefreshToken };
    }
    case "jwt_bearer":
      return { grant, user: cliString(values, "user", PROVIDER), assertion: cliSecret(values, "assertion", PROVIDER), scope, includeRefreshToken };
    case "refresh_token": {
      let refreshToken = cliSecret(values, "refresh-token", PROVIDER);
      const file = cliString(values, "tokens-file", PROVIDER);
      if (refreshToken === undefined && file !== undefined) {
        refreshToken = (await readTokensTok(file)).refreshToken;
        if (refreshToken === undefined) throw new TokenmintError("configuration", `${file} holds no refresh token`, { provider: PROVIDER });
      }
      if (refreshToken === undefined) throw new TokenmintError("configuration", "the refresh_token grant needs --refresh-token or --tokens-file", { provider: PROVIDER });
      return { grant, refreshToken, scope };
    }
    default:
      throw new TokenmintError("configuration", `unknown grant ${JSON.stringify(grant)}`, { provider: PROVIDER, hint: "use client_credentials, password, jwt_bearer or refresh_token" });
  }
}

/**
 * `tokenmint issue idcs --format tok` and `tokenmint decode|verify <file>.tok`: the console's Download
 * Token file, written and read by tokens-tok.ts (the one implementation of the format; the CLI reaches it
 * only through this declaration).
 */
export const tokensTokFormat: CliTokenFileFormat = {
  name: "tok",
  description: "the console's Download Token file: tokens.tok, tokens1.tok, ... in the --out directory (default: here), never replacing one; or the --out file",
  render: (token) => formatTokensTok(token.value, token.refreshToken),
  writeInto: (token, dir) => writeTokensTok(token, { dir }),
  // `tokenmint decode|verify tokens.tok`, also for files downloaded from the console.
  fileExtension: ".tok",
  read: async (path) => (await readTokensTok(path)).accessToken,
};

export const idcsCli: ProviderCli<IdcsOptions, IdcsClient> = {
  config: { flags: configFlags, toOptions: optionsFromCli },
  issue: {
    description: "get an access token from /oauth2/v1/token (the console's Generate Access Token, without a browser)",
    flags: issueFlags,
    examples: [
      "tokenmint issue idcs --role Me --save --save-dir .",
      "tokenmint issue idcs --grant password --username alice --password-file pw.txt --scope urn:opc:idm:t.user.me",
      "tokenmint issue idcs --grant jwt_bearer --user alice --client-auth private_key_jwt --audience https://app.example.com:443 --scope urn:opc:resource:consumer::all --include-refresh-token",
      "tokenmint issue idcs --grant refresh_token --tokens-file tokens.tok",
    ],
    async run(client, values, options) {
      return client.issue(await requestFromCli(values), options);
    },
  },
  async save(token, options) {
    // The console never replaces a download: tokens.tok, tokens1.tok, ... whatever `overwrite` says.
    return [await writeTokensTok(token, { dir: options.dir })];
  },
  formats: [tokensTokFormat],
  async demo(emulator, log, options) {
    const c = demoCredentials(emulator.credentials, PROVIDER);
    const secretClient = await createIdcsClient({ domainUrl: emulator.url, clientId: c("secretApp.clientId"), clientSecret: c("secretApp.clientSecret") }, { env: {} });
    const cc = await secretClient.issue({ grant: "client_credentials", scope: { kind: "idcs", roles: ["Me"] } }, options);
    log(`client_credentials + client_secret_basic: token for ${cc.scopes.map((s) => s.raw).join(" ")}, expires ${cc.expiresAt?.toISOString()}`);
    const verified = await secretClient.verify(cc, { audience: emulator.url });
    log(`verified against the domain's JWKS: sub=${String(verified.claims.sub)} tok_type=${String(verified.claims.tok_type)}`);

    const assertionClient = await createIdcsClient(
      {
        domainUrl: emulator.url,
        clientId: c("assertionApp.clientId"),
        clientAuth: "private_key_jwt",
        privateKey: c("assertionApp.privateKeyPem"),
        keyId: c("assertionApp.certificateAlias"),
      },
      { env: {} },
    );
    const audience = c("resourceServers.orders.audience");
    const user = c("users.alice.username");
    const jwt = await assertionClient.issue({ grant: "jwt_bearer", user, scope: { kind: "resource", audience, scopes: ["urn:opc:resource:consumer::all"] }, includeRefreshToken: true }, options);
    log(`jwt-bearer user assertion + private_key_jwt for ${user}: ${jwt.scopes.map((s) => s.raw).join(" ")} (refresh token included)`);
    const path = await writeTokensTok(jwt, { dir: options.workDir });
    log(`saved ${path} (console format, 0600)`);
    const file = await readTokensTok(path);
    const refreshed = await assertionClient.refresh({ ...jwt, refreshToken: file.refreshToken }, options);
    log(`refreshed from ${path}: new token expires ${refreshed.expiresAt?.toISOString()}`);
    try {
      await assertionClient.issue({ grant: "client_credentials", scope: { kind: "raw", scopes: [`${audience}urn:opc:resource:consumer::all`, "urn:opc:idm:t.user.me"] } }, options);
      throw new Error("mixing two resource servers was not refused");
    } catch (error) {
      if (!(error instanceof TokenmintError) || error.code !== "invalid_scope") throw error;
      log(`refused before any call: ${error.message}`);
    }
  },
};
