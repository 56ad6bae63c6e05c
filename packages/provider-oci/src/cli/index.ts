// How the tokenmint CLI drives the OCI provider: flags, `issue` (like `oci iam db-token get`), `issue --save`
// writing ~/.oci/db-token/, and the demo against the emulator.
import { type CliFlag, type CliValues, nodeFs, type ProviderCli, Secret, TokenmintError, verifyJwt } from "@tokenmint/core";
import { cliSecret, cliString, demoCredentials } from "@tokenmint/core/cli";
import { createOciClient, type OciClient, type OciIssueRequest } from "../client.js";
import type { OciOptions } from "../config.js";
import { writeDbTokenFiles } from "../db-token-files.js";
import { ALL_DATABASES_SCOPE, dbScope } from "../scopes.js";

export { DB_PRIVATE_KEY_FILE, DB_PUBLIC_KEY_FILE, DB_TOKEN_DIR, DB_TOKEN_FILE, type DbTokenFiles, dbTokenPaths, type WriteDbTokenOptions, writeDbTokenFiles } from "../db-token-files.js";

const PROVIDER = "oci";

const configFlags: readonly CliFlag[] = [
  { name: "config-file", description: "OCI config file (default $OCI_CONFIG_FILE, then ~/.oci/config)", type: "string", env: "OCI_CONFIG_FILE" },
  { name: "profile", description: "profile of the config file (default DEFAULT)", type: "string", env: "OCI_CLI_PROFILE" },
  { name: "region", description: "region id or key, e.g. us-ashburn-1 or IAD (default: the profile's region)", type: "string", env: "OCI_REGION" },
  { name: "endpoint", description: "base URL instead of https://auth.<region>.<realm domain> (e.g. the emulator)", type: "string" },
  { name: "tenancy", description: "tenancy OCID (instead of the config file)", type: "string" },
  { name: "user", description: "user OCID", type: "string" },
  { name: "fingerprint", description: "API key fingerprint", type: "string" },
  { name: "key-file", description: "PEM private key of the API key", type: "string" },
  { name: "pass-phrase", description: "passphrase of an encrypted key", type: "string", secret: true },
  { name: "security-token-file", description: "session token file (oci session authenticate)", type: "string" },
];

const issueFlags: readonly CliFlag[] = [
  { name: "scope", description: `database scope (default ${ALL_DATABASES_SCOPE}), e.g. urn:oracle:db::id::<compartment ocid>[::<database ocid>]`, type: "string" },
  { name: "compartment", description: "build the scope from a compartment (or tenancy) OCID", type: "string" },
  { name: "database", description: "with --compartment: limit the scope to one database OCID", type: "string" },
  { name: "public-key-file", description: "bind the token to this RSA public key (PEM or base64 DER) instead of a generated pair", type: "string" },
];

/** CLI flag values -> client options. */
export function optionsFromCli(values: CliValues): OciOptions {
  return {
    configFile: cliString(values, "config-file", PROVIDER),
    profile: cliString(values, "profile", PROVIDER),
    region: cliString(values, "region", PROVIDER),
    endpoint: cliString(values, "endpoint", PROVIDER),
    tenancy: cliString(values, "tenancy", PROVIDER),
    user: cliString(values, "user", PROVIDER),
    fingerprint: cliString(values, "fingerprint", PROVIDER),
    privateKeyFile: cliString(values, "key-file", PROVIDER),
    passphrase: cliSecret(values, "pass-phrase", PROVIDER),
    securityTokenFile: cliString(values, "security-token-file", PROVIDER),
  };
}

/** CLI flag values -> one token request. */
export async function requestFromCli(values: CliValues): Promise<OciIssueRequest> {
  const compartment = cliString(values, "compartment", PROVIDER);
  const database = cliString(values, "database", PROVIDER);
  let scope = cliString(values, "scope", PROVIDER);
  if (compartment !== undefined) {
    if (scope !== undefined) throw new TokenmintError("configuration", "give --scope or --compartment, not both", { provider: PROVIDER });
    scope = dbScope.compartment(compartment, database);
  } else if (database !== undefined) {
    throw new TokenmintError("configuration", "--database needs --compartment", { provider: PROVIDER });
  }
  const keyFile = cliString(values, "public-key-file", PROVIDER);
  let publicKey: string | undefined;
  if (keyFile !== undefined) {
    try {
      publicKey = await nodeFs().readFile(keyFile, "utf8");
    } catch {
      throw new TokenmintError("configuration", `cannot read ${keyFile}`, { provider: PROVIDER });
    }
  }
  return { scope: scope ?? ALL_DATABASES_SCOPE, publicKey };
}

export const ociCli: ProviderCli<OciOptions, OciClient> = {
  config: { flags: configFlags, toOptions: optionsFromCli },
  issue: {
    description: "get a database token from the Identity Data Plane (like `oci iam db-token get`), bound to a generated or given key",
    flags: issueFlags,
    examples: [
      "tokenmint issue oci --save",
      "tokenmint issue oci --profile PROD --compartment ocid1.compartment.oc1..aaaa --database ocid1.autonomousdatabase.oc1.iad.bbbb",
      "tokenmint issue oci --scope urn:oracle:db::path::mytenancy:sales --public-key-file oci_db_key_public.pem",
    ],
    async run(client, values, options) {
      return client.issue(await requestFromCli(values), options);
    },
  },
  async save(token, options) {
    const files = await writeDbTokenFiles(token, { dir: options.dir, overwrite: options.overwrite });
    return [files.token, files.privateKey, files.publicKey];
  },
  async demo(emulator, log, options) {
    const c = demoCredentials(emulator.credentials, PROVIDER);
    const client = await createOciClient(
      { endpoint: emulator.url, tenancy: c("tenancy"), user: c("user"), fingerprint: c("fingerprint"), privateKey: new Secret(c("privateKeyPem")) },
      { env: {} },
    );
    const all = await client.issue({ scope: dbScope.all() }, options);
    log(`API key signature, generated RSA-2048 key pair: token for ${all.scopes[0]?.raw}, expires ${all.expiresAt?.toISOString()} (opc-request-id ${all.requestId})`);
    const verified = await verifyJwt(all.value, { jwks: c("jwksUri"), algorithms: ["RS256"], issuer: c("issuer") });
    log(`verified against the emulator's JWKS: ttype=${String(verified.claims["ttype"])} aud=${String(verified.claims["aud"])}`);
    const files = await writeDbTokenFiles(all, { dir: options.workDir });
    log(`saved ${files.token} and ${files.privateKey} (as oci iam db-token get does, 0600)`);

    const session = await createOciClient({ endpoint: emulator.url, securityToken: new Secret(c("session.token")), privateKey: new Secret(c("session.privateKeyPem")) }, { env: {} });
    const one = await session.issue({ scope: dbScope.compartment(c("compartment.ocid"), c("database")) }, options);
    log(`session token (keyId ST$...): token for ${one.scopes[0]?.raw}`);
    try {
      await client.issue({ scope: "urn:oracle:db::id::not-an-ocid" }, options);
      throw new Error("a malformed scope was not refused");
    } catch (error) {
      if (!(error instanceof TokenmintError) || error.code !== "invalid_scope") throw error;
      log(`refused before any call: ${error.message}`);
    }
  },
};
