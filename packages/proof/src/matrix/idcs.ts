// IDCS harnesses: one per grant family (each with another client authentication method) and the JWKS
// fetch of verify. The app, its client secret, its key and certificate, and the user's password are
// canaries registered in the emulated domain; issued access and refresh tokens are registered as they come.
import { generateKeyPair, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { type Logger, Secret, type Token } from "@tokenmint/core";
import { selfSignedCertificate } from "@tokenmint/core/emulator";
import { type ClientAuthMethod, createIdcsClient, type IdcsClient, type IdcsTokenRequest, parseTokensTok, writeTokensTok } from "@tokenmint/provider-idcs";
import { type IdcsEmulator, startEmulator } from "@tokenmint/provider-idcs/emulator";
import type { CanaryRegistry } from "../canary.js";
import { ATTEMPT_TIMEOUT_MS, kitFault, MAX_ATTEMPTS, tokenTimesFor } from "./faults.js";
import { issueThroughManager } from "./manager.js";
import type { FaultRequest, OperationHarness, PreparedCell } from "./types.js";

const generate = promisify(generateKeyPair);
const IDCS_ERRORS: Readonly<Record<number, string>> = { 429: "too_many_requests", 500: "server_error", 502: "temporarily_unavailable", 503: "temporarily_unavailable" };
export const errorBody = (status: number) => ({ error: IDCS_ERRORS[status] ?? "server_error", error_description: `injected ${status}` });

/** A domain with an app and a user whose every secret is a canary. */
export interface CanaryDomain {
  readonly emu: IdcsEmulator;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly privateKeyPem: string;
  readonly keyId: string;
  readonly username: string;
  readonly password: string;
  readonly audience: string;
}

/** A domain with an app and a user whose every secret is a canary. */
export async function canaryDomain(canaries: CanaryRegistry): Promise<CanaryDomain> {
  const emu = await startEmulator();
  const { privateKey, publicKey } = await generate("rsa", { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  canaries.addPem(privateKeyPem, "idcs app key");
  const cert = selfSignedCertificate(privateKey, publicKey, "tokenmint-proof-app");
  const clientSecret = canaries.mint("IDCSSECRET");
  const orders = emu.credentials.resourceServers.orders;
  const app = emu.domain.addApp({
    name: "tokenmint-proof-app",
    clientSecret,
    grants: new Set(["client_credentials", "password", "jwt_bearer", "refresh_token"]),
    roles: ["Me"],
    scopes: orders.scopes.map((s) => `${orders.audience}${s}`),
    certificate: { alias: "proof-cert", publicKey, pem: cert.pem, x5t: cert.x5t, x5tS256: cert.x5tS256 },
  });
  const username = `proof-${randomUUID()}@example.com`;
  const password = canaries.mint("IDCSPASSWORD");
  emu.domain.addUser(username, password);
  return { emu, clientId: app.clientId, clientSecret, privateKeyPem, keyId: "proof-cert", username, password, audience: orders.audience };
}

/** A client of the canary app; `setup` ones keep default timeouts (they make the cells' inputs, unfaulted). */
function client(d: CanaryDomain, clientAuth: ClientAuthMethod, logger: Logger, setup = false): Promise<IdcsClient> {
  const timing = setup ? {} : { attemptTimeoutMs: ATTEMPT_TIMEOUT_MS, maxAttempts: MAX_ATTEMPTS };
  return createIdcsClient({ domainUrl: d.emu.url, clientId: d.clientId, clientSecret: new Secret(d.clientSecret), clientAuth, privateKey: new Secret(d.privateKeyPem), keyId: d.keyId, ...timing }, { env: {}, logger });
}

export async function accessToken(d: CanaryDomain, canaries: CanaryRegistry, times: { iat: number; exp: number }): Promise<string> {
  const token = await d.emu.signAccessToken({ sub: d.username, client_id: d.clientId, scope: "orders.read", aud: [d.audience], tok_type: "AT", tenant: "idcs-emulator", jti: randomUUID(), ...times });
  canaries.add(token, "idcs access token");
  return token;
}

function recordToken(canaries: CanaryRegistry, token: Token): void {
  canaries.add(token.value.reveal(), "idcs access token");
  if (token.refreshToken !== undefined) canaries.add(token.refreshToken.reveal(), "idcs refresh token");
}

interface GrantSpec {
  readonly operation: string;
  readonly clientAuth: ClientAuthMethod;
  readonly retrySafe: boolean;
  request(d: CanaryDomain, setup: IdcsClient): Promise<IdcsTokenRequest>;
}

const GRANTS: readonly GrantSpec[] = [
  { operation: "issue: client_credentials (client_secret_basic), tokens.tok saved", clientAuth: "client_secret_basic", retrySafe: true, request: async () => ({ grant: "client_credentials", scope: { kind: "idcs", roles: ["Me"] } }) },
  {
    operation: "issue: password (client_secret_post), tokens.tok saved",
    clientAuth: "client_secret_post",
    retrySafe: false,
    request: async (d) => ({ grant: "password", username: d.username, password: new Secret(d.password), scope: { kind: "resource", audience: d.audience, scopes: ["orders.read"] } }),
  },
  { operation: "issue: jwt_bearer (private_key_jwt), tokens.tok saved", clientAuth: "private_key_jwt", retrySafe: false, request: async (d) => ({ grant: "jwt_bearer", user: d.username, scope: { kind: "resource", audience: d.audience, scopes: ["orders.read"] } }) },
  {
    operation: "issue: refresh_token (client_secret_basic), tokens.tok saved",
    clientAuth: "client_secret_basic",
    retrySafe: false,
    // A fresh refresh token per cell (rotation retires each one after use), from an unfaulted password grant.
    request: async (d, c) => {
      const first = await c.issue({ grant: "password", username: d.username, password: new Secret(d.password), scope: { kind: "resource", audience: d.audience, scopes: ["orders.read"] }, includeRefreshToken: true });
      return { grant: "refresh_token", refreshToken: first.refreshToken! };
    },
  },
];

/** The four grant families, each against its own domain so their cells run in parallel. */
export async function idcsGrantHarnesses(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness[]> {
  return Promise.all(
    GRANTS.map(async (spec): Promise<OperationHarness> => {
      const d = await canaryDomain(canaries);
      const c = await client(d, spec.clientAuth, logger);
      const setup = await client(d, spec.clientAuth, logger, true);
      return {
        provider: "idcs",
        operation: spec.operation,
        route: "token",
        server: d.emu.server,
        maxAttempts: MAX_ATTEMPTS,
        retrySafe: spec.retrySafe,
        writesFiles: true,
        async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
          const tokenRequest = await spec.request(d, setup);
          if (tokenRequest.grant === "refresh_token") canaries.add(tokenRequest.refreshToken instanceof Secret ? tokenRequest.refreshToken.reveal() : tokenRequest.refreshToken, "idcs refresh token");
          const expired = request.id === "expired-on-arrival" ? { access_token: await accessToken(d, canaries, tokenTimesFor(request)), token_type: "Bearer" } : undefined;
          const fault = kitFault(request, { route: "token", errorBody, missingFields: { token_type: "Bearer", expires_in: 3600 }, expired, jsonBody: true });
          if (fault === undefined) return undefined;
          let saved: { path: string; token: Token } | undefined;
          return {
            fault,
            async run({ deadline, workDir }) {
              const token = await issueThroughManager(() => c.issue(tokenRequest, { deadline }));
              recordToken(canaries, token);
              saved = { path: await writeTokensTok(token, { dir: workDir }), token };
              return token;
            },
            async after() {
              if (saved === undefined) return {};
              const read = parseTokensTok(await readFile(saved.path, "utf8"), saved.path);
              return { fileProblems: read.accessToken.reveal() === saved.token.value.reveal() ? [] : ["tokens.tok does not hold the token"] };
            },
          };
        },
        close: () => d.emu.close(),
      };
    }),
  );
}

/**
 * verify() of an access token, with a fresh client per cell so the JWKS is fetched each time (the
 * faulted route). An expired token and a token from a server whose clock is ahead are input faults.
 */
export async function idcsVerifyHarness(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness> {
  const d = await canaryDomain(canaries);
  return {
    provider: "idcs",
    operation: "verify (JWKS fetch)",
    route: "jwks",
    server: d.emu.server,
    maxAttempts: MAX_ATTEMPTS,
    retrySafe: true,
    writesFiles: false,
    async prepare(request: FaultRequest): Promise<PreparedCell | undefined> {
      const times = tokenTimesFor(request);
      const token = await accessToken(d, canaries, times);
      const inputFault = request.id === "expired-on-arrival" || request.id === "clock-skew";
      const fault = inputFault ? undefined : kitFault(request, { route: "jwks", errorBody, missingFields: {}, expired: undefined, jsonBody: true });
      if (fault === undefined && !inputFault) return undefined;
      const c = await client(d, "client_secret_basic", logger);
      return { fault, run: ({ deadline }) => c.verify(token, { audience: d.audience, deadline }) };
    },
    close: () => d.emu.close(),
  };
}
