// The emulator's default directory: two confidential apps (one with a client secret, one that also has
// an imported certificate for assertions), two users, IDCS API app roles, and two resource servers
// (one allowing refresh tokens, one not). Every secret is random per start.
import { generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { selfSignedCertificate } from "@tokenmint/core/emulator";
import type { EmulatorApp, EmulatorDomain, EmulatorResourceServer, EmulatorUser } from "./domain.js";

const generateKeyPairAsync = promisify(generateKeyPair);

/** App roles of the emulated IDCS APIs and the scopes they grant (`Me` as in seed 003; the others are the emulator's). */
export const EMULATOR_ROLES: Readonly<Record<string, readonly string[]>> = {
  Me: ["urn:opc:idm:t.user.me"],
  "User Administrator": ["urn:opc:idm:t.user.manager", "urn:opc:idm:t.user.me"],
  "Signing Certificate Access": ["urn:opc:idm:t.cert.signing"],
};

export interface SeededDirectory {
  readonly secretApp: EmulatorApp;
  readonly assertionApp: EmulatorApp;
  readonly assertionKeyPem: string;
  readonly users: Readonly<Record<"alice" | "bob", EmulatorUser>>;
  readonly resourceServers: Readonly<Record<"orders" | "reports", EmulatorResourceServer>>;
}

const secret = () => randomBytes(18).toString("base64url");

/** Fills a domain with the default directory. Key generation is asynchronous so the event loop keeps running. */
export async function seedDomain(domain: EmulatorDomain): Promise<SeededDirectory> {
  for (const [role, scopes] of Object.entries(EMULATOR_ROLES)) domain.roles.set(role, [...scopes]);
  const orders = domain.addResourceServer({ audience: "https://orders.example.com:443", name: "Orders API", scopes: ["urn:opc:resource:consumer::all", "orders.read", "orders.write"], refreshTokenAllowed: true });
  const reports = domain.addResourceServer({ audience: "https://reports.example.com:443", name: "Reports API", scopes: ["reports.read"], refreshTokenAllowed: false });
  const alice = domain.addUser("alice@example.com", secret());
  const bob = domain.addUser("bob@example.com", secret());

  const secretApp = domain.addApp({
    name: "tokenmint-secret-app",
    clientSecret: secret(),
    grants: new Set(["client_credentials", "password", "refresh_token"]),
    roles: ["Me", "User Administrator"],
    scopes: [],
  });

  const { privateKey, publicKey } = await generateKeyPairAsync("rsa", { modulusLength: 2048 });
  const cert = selfSignedCertificate(privateKey, publicKey, "tokenmint-assertion-app");
  const assertionApp = domain.addApp({
    name: "tokenmint-assertion-app",
    clientSecret: secret(),
    grants: new Set(["client_credentials", "password", "jwt_bearer", "refresh_token"]),
    roles: ["Me"],
    scopes: [`${orders.audience}urn:opc:resource:consumer::all`, `${orders.audience}orders.read`, `${reports.audience}reports.read`],
    certificate: { alias: "tokenmint-assertion-cert", publicKey, pem: cert.pem, x5t: cert.x5t, x5tS256: cert.x5tS256 },
  });
  return {
    secretApp,
    assertionApp,
    assertionKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    users: { alice, bob },
    resourceServers: { orders, reports },
  };
}
