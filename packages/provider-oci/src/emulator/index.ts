// @tokenmint/provider-oci/emulator: a loopback Identity Data Plane for GenerateScopedAccessToken, on core's
// emulator kit. It verifies real OCI signatures, so any OCI client (oci-common, the CLI, this package)
// can use it as its endpoint.
import { createPublicKey, randomBytes } from "node:crypto";
import type { EmulatorHandle } from "@tokenmint/core";
import { createEmulatorServer, createTokenSigner, type EmulatorRequest, type EmulatorResponse, type EmulatorServer, json, type TokenSigner } from "@tokenmint/core/emulator";
import { authenticate } from "./authenticate.js";
import { EmulatorIdentity, type EmulatorUser, fakeOcid, newKeyPair } from "./identity.js";
import { issueScopedToken, SCOPED_TOKEN_ISSUER } from "./scoped-token.js";

export { type AuthResult, authenticate, type Principal } from "./authenticate.js";
export { type EmulatorCompartment, type EmulatorDatabase, EmulatorIdentity, type EmulatorSession, type EmulatorTenancy, type EmulatorUser, fakeOcid, newKeyPair } from "./identity.js";
export { issueScopedToken, SCOPED_TOKEN_ISSUER } from "./scoped-token.js";

const PROVIDER = "oci";
/** Route names, for fault targeting (`server.faults.inject({ route: ROUTES.token, ... })`). */
export const ROUTES = { token: "generateScopedAccessToken", jwks: "jwks" } as const;
export const TOKEN_PATH = "/v1/actions/generateScopedAccessToken";
/** Emulator-only: where the token signing keys are published (the real service's JWKS location is not documented). */
export const JWKS_PATH = "/v1/jwks";

export interface OciEmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** Default 0 (a free port). */
  port?: number | undefined;
  /** Token lifetime in seconds. Default 3600 (what decoded real tokens show). */
  tokenLifetimeSec?: number | undefined;
  /** Largest accepted clock difference of a signed request. Default 300 (OCI's 5 minutes). */
  maxSkewSec?: number | undefined;
  /** Region reported in the credentials. Default us-ashburn-1. */
  region?: string | undefined;
  /** Server clock in ms, for tests. */
  now?: (() => number) | undefined;
}

/** JSON-safe test credentials: an API key user, a session token, a compartment and a database. */
export interface OciEmulatorCredentials {
  readonly [key: string]: unknown;
  readonly tenancy: string;
  readonly tenancyName: string;
  readonly user: string;
  readonly fingerprint: string;
  /** PKCS#8 PEM of the user's API key. */
  readonly privateKeyPem: string;
  readonly region: string;
  /** The emulator's base URL, for the client's `endpoint` option. */
  readonly endpoint: string;
  readonly compartment: { readonly ocid: string; readonly name: string };
  readonly database: string;
  /** A session token (keyId `ST$<token>`) and the private key its requests are signed with. */
  readonly session: { readonly token: string; readonly privateKeyPem: string; readonly user: string };
  readonly jwksUri: string;
  readonly issuer: string;
}

/** One answered token request, for assertions. */
export interface TokenLogEntry {
  readonly status: number;
  readonly code: string | undefined;
  readonly principal: string | undefined;
  readonly scope: string | undefined;
  readonly requestId: string;
}

export interface OciEmulator extends EmulatorHandle {
  readonly provider: "oci";
  readonly url: string;
  readonly credentials: OciEmulatorCredentials;
  /** The kit's server: fault injection and request counts. */
  readonly server: EmulatorServer;
  /** Tenancies, users, keys, sessions, compartments, databases. */
  readonly identity: EmulatorIdentity;
  /** The token signer (its JWKS verifies issued tokens). */
  readonly signer: TokenSigner;
  readonly tokenLog: readonly TokenLogEntry[];
  /** Registers another user of the main tenancy; a key pair is made unless a public key is given. */
  addUser(options?: { user?: string; publicKeyPem?: string }): Promise<{ user: string; fingerprint: string; privateKeyPem: string | undefined; entry: EmulatorUser }>;
  /** Issues and registers a session token for a user (default the main user). */
  addSession(options?: { user?: string; lifetimeSec?: number }): Promise<{ token: string; privateKeyPem: string }>;
  close(): Promise<void>;
}

/** `<32 hex>/<32 hex>/<32 hex>`, the shape of real opc-request-ids; a client-sent id is kept as the prefix. */
function requestIdFor(request: EmulatorRequest): string {
  const part = () => randomBytes(16).toString("hex").toUpperCase();
  const fromClient = request.headers["opc-request-id"];
  return fromClient && /^[A-Za-z0-9/_-]{1,98}$/.test(fromClient) ? `${fromClient}/${part()}` : `${part()}/${part()}/${part()}`;
}

function ociError(status: number, code: string, message: string, requestId: string): EmulatorResponse {
  return json(status, { code, message }, { "opc-request-id": requestId });
}

/** Starts an emulated Identity Data Plane on a loopback port. */
export async function startEmulator(options: OciEmulatorOptions = {}): Promise<OciEmulator> {
  const clock = options.now ?? Date.now;
  const lifetimeSec = options.tokenLifetimeSec ?? 3600;
  const maxSkewSec = options.maxSkewSec ?? 300;
  const region = options.region ?? "us-ashburn-1";
  const identity = new EmulatorIdentity();
  const signer = await createTokenSigner({ alg: "RS256", kid: `scoped_sk_db_token_${randomBytes(12).toString("hex")}`, issuer: SCOPED_TOKEN_ISSUER });
  const tokenLog: TokenLogEntry[] = [];

  const tenancy = identity.addTenancy("emulatortenancy");
  const compartment = identity.addCompartment(tenancy.ocid, "databases");
  const database = identity.addDatabase(tenancy.ocid, compartment.ocid);
  const mainUser = fakeOcid("user");

  async function addUser(opts: { user?: string; publicKeyPem?: string } = {}) {
    const user = opts.user ?? fakeOcid("user");
    let privateKeyPem: string | undefined;
    let publicKeyPem = opts.publicKeyPem;
    if (publicKeyPem === undefined) {
      const pair = await newKeyPair();
      privateKeyPem = pair.privateKeyPem;
      publicKeyPem = pair.publicKeyPem;
    }
    const entry = identity.addApiKey(tenancy.ocid, user, publicKeyPem);
    return { user, fingerprint: entry.fingerprint, privateKeyPem, entry };
  }

  async function addSession(opts: { user?: string; lifetimeSec?: number } = {}) {
    const user = opts.user ?? mainUser;
    const pair = await newKeyPair();
    const now = clock();
    const exp = Math.floor(now / 1000) + (opts.lifetimeSec ?? 3600);
    const jwk = createPublicKey(pair.publicKeyPem).export({ format: "jwk" });
    // Shaped like an `oci session authenticate` token: a JWT naming the principal and the session key.
    const token = await signer.sign({ sub: user, tenant: tenancy.ocid, ptype: "user", ttype: "login", iat: Math.floor(now / 1000), exp, jwk: { kty: jwk.kty, n: jwk.n, e: jwk.e } });
    identity.addSession({ token, tenancy: tenancy.ocid, user, publicKey: createPublicKey(pair.publicKeyPem), expiresAt: exp * 1000 });
    return { token, privateKeyPem: pair.privateKeyPem };
  }

  const main = await addUser({ user: mainUser });
  const session = await addSession();

  async function handleToken(request: EmulatorRequest): Promise<EmulatorResponse> {
    const requestId = requestIdFor(request);
    const auth = authenticate(request, identity, maxSkewSec);
    if (!auth.ok) {
      tokenLog.push({ status: 401, code: "NotAuthenticated", principal: undefined, scope: undefined, requestId });
      return ociError(401, "NotAuthenticated", auth.message, requestId);
    }
    const result = await issueScopedToken({ identity, signer, lifetimeSec }, auth.principal, request.headers["content-type"], request.body, request.now());
    const scope = (() => {
      try {
        const body = JSON.parse(request.text()) as Record<string, unknown>;
        return typeof body["scope"] === "string" ? body["scope"] : undefined;
      } catch {
        return undefined;
      }
    })();
    if (!result.ok) {
      tokenLog.push({ status: result.status, code: result.code, principal: auth.principal.user, scope, requestId });
      return ociError(result.status, result.code, result.message, requestId);
    }
    tokenLog.push({ status: 200, code: undefined, principal: auth.principal.user, scope, requestId });
    return json(200, { token: result.token }, { "opc-request-id": requestId });
  }

  const server = await createEmulatorServer({
    name: PROVIDER,
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    now: clock,
    routes: [
      { name: ROUTES.token, method: "POST", path: TOKEN_PATH, handler: handleToken },
      { name: ROUTES.jwks, method: "GET", path: JWKS_PATH, handler: (request) => json(200, signer.jwks(), { "opc-request-id": requestIdFor(request) }) },
    ],
    notFound: (request) => ociError(404, "NotAuthorizedOrNotFound", `No route for ${request.method} ${request.path}.`, requestIdFor(request)),
  });

  const credentials: OciEmulatorCredentials = {
    tenancy: tenancy.ocid,
    tenancyName: tenancy.name,
    user: main.user,
    fingerprint: main.fingerprint,
    privateKeyPem: main.privateKeyPem!,
    region,
    endpoint: server.url,
    compartment: { ocid: compartment.ocid, name: compartment.name },
    database: database.ocid,
    session: { token: session.token, privateKeyPem: session.privateKeyPem, user: mainUser },
    jwksUri: `${server.url}${JWKS_PATH}`,
    issuer: SCOPED_TOKEN_ISSUER,
  };

  return {
    provider: PROVIDER,
    url: server.url,
    credentials,
    server,
    identity,
    signer,
    get tokenLog() {
      return [...tokenLog];
    },
    addUser,
    addSession,
    close: () => server.close(),
  };
}
