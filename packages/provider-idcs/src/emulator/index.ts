// @tokenmint/provider-idcs/emulator: a loopback identity domain on core's emulator kit.
import { createEmulatorServer, createTokenSigner, type EmulatorServer, json } from "@tokenmint/core/emulator";
import type { EmulatorHandle } from "@tokenmint/core";
import { randomUUID } from "node:crypto";
import { jwtVerify } from "jose";
import { EmulatorDomain } from "./domain.js";
import { EMULATOR_ROLES, seedDomain } from "./seed.js";
import { IDCS_ISSUER, TokenEndpoint, type TokenRequestLogEntry } from "./token-endpoint.js";

export { selfSignedCertificate, type SelfSignedCertificate } from "@tokenmint/core/emulator";
export { type EmulatorApp, type EmulatorCertificate, EmulatorDomain, type EmulatorGrant, type EmulatorResourceServer, type EmulatorUser, IDCS_API_AUDIENCE, type RefreshGrant } from "./domain.js";
export { EMULATOR_ROLES } from "./seed.js";
export { CLIENT_ASSERTION_TYPE, IDCS_ISSUER, JWT_BEARER, type TokenRequestLogEntry } from "./token-endpoint.js";

export interface IdcsEmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** Default 0 (any free port). */
  port?: number | undefined;
  /** Access token lifetime when the resource server sets none, seconds. Default 3600 (seed 003). */
  accessTokenLifetimeSec?: number | undefined;
  /** Refresh token lifetime, seconds. Default 7 days. */
  refreshTokenLifetimeSec?: number | undefined;
  /** Issue a new refresh token on each refresh and retire the old one. Default true. */
  rotateRefreshTokens?: boolean | undefined;
  /** Issue refresh tokens for client_credentials (RFC 6749 section 4.4.3 says SHOULD NOT). Default false. */
  refreshTokenForClientCredentials?: boolean | undefined;
  /** Require a bearer token for the JWKS (the domain's "Access signing certificate" off). Default false. */
  requireJwksAuth?: boolean | undefined;
  /** Tenant name in tokens. Default "idcs-emulator". */
  tenant?: string | undefined;
  /** Clock, for tests (epoch ms). */
  now?: (() => number) | undefined;
}

/** JSON-safe credentials of the seeded directory. */
export interface IdcsEmulatorCredentials {
  readonly [key: string]: unknown;
  readonly domainUrl: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  readonly discoveryUrl: string;
  readonly issuer: string;
  readonly secretApp: { clientId: string; clientSecret: string; name: string; grants: string[]; roles: string[] };
  readonly assertionApp: { clientId: string; clientSecret: string; name: string; grants: string[]; roles: string[]; scopes: string[]; certificateAlias: string; certificatePem: string; privateKeyPem: string };
  readonly users: { alice: { username: string; password: string }; bob: { username: string; password: string } };
  readonly resourceServers: Record<"orders" | "reports", { audience: string; name: string; scopes: string[]; refreshTokenAllowed: boolean }>;
  readonly roles: Record<string, readonly string[]>;
}

export interface IdcsEmulator extends EmulatorHandle {
  readonly provider: "idcs";
  readonly url: string;
  readonly credentials: IdcsEmulatorCredentials;
  /** The kit's server: fault injection and request counts. */
  readonly server: EmulatorServer;
  /** The directory: add apps, users, resource servers; change flags. */
  readonly domain: EmulatorDomain;
  /** Token endpoint counters: requests that reached it, tokens issued, requests refused. */
  readonly tokenRequests: { readonly requests: number; readonly issued: number; readonly refused: number };
  /** The last token requests as the endpoint saw them (grant, client authentication, scope, outcome). */
  readonly tokenLog: readonly TokenRequestLogEntry[];
  /** Signs any claims with the domain's token key (for tests of verification: wrong issuer, expired, ...). */
  signAccessToken(claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

const PROVIDER = "idcs";

/** Starts an emulated identity domain on a loopback port. */
export async function startEmulator(options: IdcsEmulatorOptions = {}): Promise<IdcsEmulator> {
  const now = options.now ?? Date.now;
  const tenant = options.tenant ?? "idcs-emulator";
  const domain = new EmulatorDomain();
  const seeded = await seedDomain(domain);
  // IDCS signs with RS256 under the kid SIGNING_KEY (what its JWKS shows).
  const signer = await createTokenSigner({ alg: "RS256", kid: "SIGNING_KEY", issuer: IDCS_ISSUER });
  let domainUrl = "";
  let endpoint: TokenEndpoint | undefined;
  const requireJwksAuth = options.requireJwksAuth ?? false;

  // IDCS's request id header name is unverified; the emulator sends an ECID-style one.
  const ecid = () => ({ ecid: randomUUID() });
  const server = await createEmulatorServer({
    name: PROVIDER,
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    now,
    // RFC 6749-shaped answer for unknown paths, as an OAuth2 client would parse it.
    notFound: () => json(404, { error: "not_found", error_description: "no such endpoint in this identity domain" }, ecid()),
    routes: [
      {
        name: "token",
        method: "POST",
        path: "/oauth2/v1/token",
        handler: async (request) => {
          const answer = await endpoint!.handle(request.headers["content-type"], request.headers["authorization"], request.text(), request.now());
          return json(answer.status, answer.body, { ...answer.headers, ...ecid() });
        },
      },
      {
        name: "jwks",
        method: "GET",
        path: "/admin/v1/SigningCert/jwk",
        handler: async (request) => {
          if (requireJwksAuth && !(await bearerIsValid(request.headers["authorization"], request.now()))) {
            return json(401, { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], detail: "Access to the signing certificate requires a client token.", status: "401" }, ecid());
          }
          return json(200, signer.jwks(), ecid());
        },
      },
      {
        name: "discovery",
        method: "GET",
        path: "/.well-known/openid-configuration",
        handler: async () =>
          json(
            200,
            {
              issuer: IDCS_ISSUER,
              token_endpoint: `${domainUrl}/oauth2/v1/token`,
              jwks_uri: `${domainUrl}/admin/v1/SigningCert/jwk`,
              grant_types_supported: ["client_credentials", "password", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer"],
              token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
              token_endpoint_auth_signing_alg_values_supported: ["RS256"],
              scopes_supported: ["urn:opc:idm:__myscopes__", "offline_access"],
              response_types_supported: ["token"],
              subject_types_supported: ["public"],
              id_token_signing_alg_values_supported: ["RS256"],
            },
            ecid(),
          ),
      },
    ],
  });
  domainUrl = server.url.replace(/\/+$/, "");
  const tokenEndpoint = new TokenEndpoint({
    domain,
    domainUrl,
    tenant,
    accessTokenLifetimeSec: options.accessTokenLifetimeSec ?? 3600,
    refreshTokenLifetimeSec: options.refreshTokenLifetimeSec ?? 7 * 86_400,
    rotateRefreshTokens: options.rotateRefreshTokens ?? true,
    refreshTokenForClientCredentials: options.refreshTokenForClientCredentials ?? false,
    clockToleranceSec: 30,
    signAccessToken: (claims) => signer.sign(claims),
  });
  endpoint = tokenEndpoint;

  async function bearerIsValid(authorization: string | undefined, at: number): Promise<boolean> {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!m) return false;
    try {
      await jwtVerify(m[1]!, signer.publicKey, { issuer: IDCS_ISSUER, algorithms: ["RS256"], currentDate: new Date(at) });
      return true;
    } catch {
      return false;
    }
  }

  const { secretApp, assertionApp, users, resourceServers } = seeded;
  const credentials: IdcsEmulatorCredentials = {
    domainUrl,
    tokenEndpoint: `${domainUrl}/oauth2/v1/token`,
    jwksUri: `${domainUrl}/admin/v1/SigningCert/jwk`,
    discoveryUrl: `${domainUrl}/.well-known/openid-configuration`,
    issuer: IDCS_ISSUER,
    secretApp: { clientId: secretApp.clientId, clientSecret: secretApp.clientSecret!, name: secretApp.name, grants: [...secretApp.grants], roles: [...secretApp.roles] },
    assertionApp: {
      clientId: assertionApp.clientId,
      clientSecret: assertionApp.clientSecret!,
      name: assertionApp.name,
      grants: [...assertionApp.grants],
      roles: [...assertionApp.roles],
      scopes: [...assertionApp.scopes],
      certificateAlias: assertionApp.certificate!.alias,
      certificatePem: assertionApp.certificate!.pem,
      privateKeyPem: seeded.assertionKeyPem,
    },
    users: { alice: { username: users.alice.username, password: users.alice.password }, bob: { username: users.bob.username, password: users.bob.password } },
    resourceServers: {
      orders: { audience: resourceServers.orders.audience, name: resourceServers.orders.name, scopes: [...resourceServers.orders.scopes], refreshTokenAllowed: resourceServers.orders.refreshTokenAllowed },
      reports: { audience: resourceServers.reports.audience, name: resourceServers.reports.name, scopes: [...resourceServers.reports.scopes], refreshTokenAllowed: resourceServers.reports.refreshTokenAllowed },
    },
    roles: { ...EMULATOR_ROLES },
  };

  return {
    provider: PROVIDER,
    url: domainUrl,
    credentials,
    server,
    domain,
    get tokenRequests() {
      return { ...tokenEndpoint.counts };
    },
    tokenLog: tokenEndpoint.log,
    signAccessToken: (claims) => signer.sign(claims),
    close: () => server.close(),
  };
}
