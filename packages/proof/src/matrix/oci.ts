// OCI harnesses: GenerateScopedAccessToken with an API key (generated key pair, token files written as
// `oci iam db-token get` does) and with a session token (caller's public key). Every secret input is a
// canary: the encrypted API key and its pass phrase, the session token, issued tokens and keys.
import { generateKeyPair, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Logger, Secret, type Token } from "@tokenmint/core";
import { createOciClient, dbScope, type OciClient } from "@tokenmint/provider-oci";
import { DB_PRIVATE_KEY_FILE, DB_TOKEN_FILE, writeDbTokenFiles } from "@tokenmint/provider-oci/cli";
import { type OciEmulator, startEmulator } from "@tokenmint/provider-oci/emulator";
import type { CanaryRegistry } from "../canary.js";
import { ATTEMPT_TIMEOUT_MS, epochSeconds, kitFault, MAX_ATTEMPTS } from "./faults.js";
import { issueThroughManager } from "./manager.js";
import type { FaultRequest, OperationHarness, PreparedCell } from "./types.js";

const ROUTE = "generateScopedAccessToken";
const generate = promisify(generateKeyPair);

const OCI_ERRORS: Readonly<Record<number, string>> = { 429: "TooManyRequests", 500: "InternalServerError", 502: "BadGateway", 503: "ServiceUnavailable" };
export const errorBody = (status: number) => ({ code: OCI_ERRORS[status] ?? "InternalServerError", message: `injected ${status}` });

/** Fast retries so the matrix stays quick; the policy is what the options allow every user to set. */
const FAST = { attemptTimeoutMs: ATTEMPT_TIMEOUT_MS, maxAttempts: MAX_ATTEMPTS, retry: { baseDelayMs: 20, maxDelayMs: 80 } } as const;

export async function expiredBody(emu: OciEmulator, canaries: CanaryRegistry): Promise<object> {
  const now = epochSeconds();
  const c = emu.credentials;
  const token = await emu.signer.sign({ sub: c.user, tenant: c.tenancy, ptype: "user", ttype: "scoped_access", scope: dbScope.all(), aud: `urn:oracle:db:${c.tenancy}`, iat: now - 7200, exp: now - 3600, jti: randomUUID() });
  canaries.add(token, "oci expired token");
  return { token };
}

function faultFor(request: FaultRequest, expired: object | undefined) {
  return kitFault(request, { route: ROUTE, errorBody, missingFields: {}, expired, jsonBody: true });
}

function recordToken(canaries: CanaryRegistry, token: Token): void {
  canaries.add(token.value.reveal(), "oci issued token");
  if (token.privateKey !== undefined) canaries.addPem(token.privateKey.reveal(), "oci generated private key");
}

/** API-key auth with an encrypted key (canary pass phrase); the token and its key written to the cell's directory. */
export async function ociApiKeyHarness(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness> {
  const emu = await startEmulator();
  const pair = await generate("rsa", { modulusLength: 2048 });
  const passphrase = canaries.mint("OCIPASS");
  canaries.addPem(pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), "oci API key");
  const encrypted = pair.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase }).toString();
  canaries.addPem(encrypted, "oci API key (encrypted)");
  const user = await emu.addUser({ publicKeyPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString() });
  const client: OciClient = await createOciClient(
    { endpoint: emu.url, tenancy: emu.credentials.tenancy, user: user.user, fingerprint: user.fingerprint, privateKey: new Secret(encrypted), passphrase: new Secret(passphrase), logger, ...FAST },
    { env: {} },
  );
  return {
    provider: "oci",
    operation: "issue (API key, generated key pair, files saved)",
    route: ROUTE,
    server: emu.server,
    maxAttempts: MAX_ATTEMPTS,
    retrySafe: true,
    writesFiles: true,
    async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
      const fault = faultFor(request, request.id === "expired-on-arrival" ? await expiredBody(emu, canaries) : undefined);
      if (fault === undefined) return undefined;
      let saved: Token | undefined;
      let dir = "";
      return {
        fault,
        async run({ deadline, workDir }) {
          dir = workDir;
          const token = await issueThroughManager(() => client.issue({ scope: dbScope.all() }, { deadline }));
          recordToken(canaries, token);
          await writeDbTokenFiles(token, { dir: workDir });
          saved = token;
          return token;
        },
        async after() {
          if (saved === undefined) return {};
          const problems: string[] = [];
          if ((await readFile(join(dir, DB_TOKEN_FILE), "utf8")) !== saved.value.reveal()) problems.push("token file differs from the token");
          if ((await readFile(join(dir, DB_PRIVATE_KEY_FILE), "utf8")) !== saved.privateKey?.reveal()) problems.push("key file differs from the token's key");
          return { fileProblems: problems };
        },
      };
    },
    close: () => emu.close(),
  };
}

/** Session-token auth (a canary token registered in the emulator), bound to the caller's public key. */
export async function ociSessionHarness(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness> {
  const emu = await startEmulator();
  const sessionKey = await generate("rsa", { modulusLength: 2048 });
  const bound = await generate("rsa", { modulusLength: 2048 });
  const sessionPem = sessionKey.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  canaries.addPem(sessionPem, "oci session key");
  const token = canaries.mint("OCISESSION");
  emu.identity.addSession({ token, tenancy: emu.credentials.tenancy, user: emu.credentials.user, publicKey: sessionKey.publicKey, expiresAt: Date.now() + 86_400_000 });
  const client = await createOciClient({ endpoint: emu.url, securityToken: new Secret(token), privateKey: new Secret(sessionPem), logger, ...FAST }, { env: {} });
  const publicKey = bound.publicKey.export({ type: "spki", format: "pem" }).toString();
  return {
    provider: "oci",
    operation: "issue (session token, caller's public key)",
    route: ROUTE,
    server: emu.server,
    maxAttempts: MAX_ATTEMPTS,
    retrySafe: true,
    writesFiles: false,
    async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
      const fault = faultFor(request, request.id === "expired-on-arrival" ? await expiredBody(emu, canaries) : undefined);
      if (fault === undefined) return undefined;
      return {
        fault,
        async run({ deadline }) {
          const issued = await issueThroughManager(() => client.issue({ scope: dbScope.compartment(emu.credentials.compartment.ocid), publicKey }, { deadline }));
          recordToken(canaries, issued);
          return issued;
        },
      };
    },
    close: () => emu.close(),
  };
}
