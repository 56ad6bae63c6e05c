// The emulator's tenancy: users with API keys, session tokens, compartments and databases, and who may
// get tokens for what. Everything a test needs to shape the service's answers.
import { createPublicKey, generateKeyPair, type KeyObject, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { keyFingerprint } from "@tokenmint/core";

const generate = promisify(generateKeyPair);

export interface EmulatorUser {
  readonly tenancy: string;
  readonly user: string;
  readonly fingerprint: string;
  readonly publicKey: KeyObject;
  /** Refuse every token request of this user with 404 NotAuthorizedOrNotFound (no policy). */
  denied: boolean;
}

export interface EmulatorSession {
  readonly token: string;
  readonly tenancy: string;
  readonly user: string;
  readonly publicKey: KeyObject;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export interface EmulatorCompartment {
  readonly ocid: string;
  readonly name: string;
  /** Parent compartment OCID; the tenancy for top-level compartments. */
  readonly parent: string;
  readonly tenancy: string;
}

export interface EmulatorDatabase {
  readonly ocid: string;
  readonly compartment: string;
  readonly tenancy: string;
}

export interface EmulatorTenancy {
  readonly ocid: string;
  /** The tenancy name used by `urn:oracle:db::path::<name>` scopes. */
  readonly name: string;
}

/** A fresh RSA key pair as PEM (PKCS#8 private, SPKI public), generated off the event loop. */
export async function newKeyPair(bits = 2048): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const { privateKey, publicKey } = await generate("rsa", { modulusLength: bits, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** A made-up OCID of the given type, shaped like real ones (regional types get a region part). */
export function fakeOcid(type: string, region = ""): string {
  return `ocid1.${type}.oc1.${region}.aaaaaaaa${randomBytes(26).toString("hex").slice(0, 52)}`;
}

export class EmulatorIdentity {
  readonly tenancies = new Map<string, EmulatorTenancy>();
  readonly users = new Map<string, EmulatorUser>();
  readonly sessions = new Map<string, EmulatorSession>();
  readonly compartments = new Map<string, EmulatorCompartment>();
  readonly databases = new Map<string, EmulatorDatabase>();

  addTenancy(name: string, ocid: string = fakeOcid("tenancy")): EmulatorTenancy {
    const tenancy = { ocid, name };
    this.tenancies.set(ocid, tenancy);
    return tenancy;
  }

  /** Registers an API key for a user. `keyId` lookups use tenancy/user/fingerprint, as OCI does. */
  addApiKey(tenancy: string, user: string, publicKey: KeyObject | string): EmulatorUser {
    const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
    const entry: EmulatorUser = { tenancy, user, fingerprint: keyFingerprint(key), publicKey: key, denied: false };
    this.users.set(`${tenancy}/${user}/${entry.fingerprint}`, entry);
    return entry;
  }

  /** Registers a session token whose requests are signed with `publicKey`'s private half. */
  addSession(session: EmulatorSession): EmulatorSession {
    this.sessions.set(session.token, session);
    return session;
  }

  /** Marks every key of a user as denied (or allowed again). */
  setDenied(user: string, denied: boolean): void {
    for (const entry of this.users.values()) if (entry.user === user) entry.denied = denied;
  }

  isDenied(user: string): boolean {
    for (const entry of this.users.values()) if (entry.user === user && entry.denied) return true;
    return false;
  }

  addCompartment(tenancy: string, name: string, parent: string = tenancy, ocid: string = fakeOcid("compartment")): EmulatorCompartment {
    const compartment = { ocid, name, parent, tenancy };
    this.compartments.set(ocid, compartment);
    return compartment;
  }

  addDatabase(tenancy: string, compartment: string, ocid: string = fakeOcid("autonomousdatabase", "iad")): EmulatorDatabase {
    const database = { ocid, compartment, tenancy };
    this.databases.set(ocid, database);
    return database;
  }

  /** Whether `ocid` is the tenancy itself or a compartment of it. */
  compartmentExists(tenancy: string, ocid: string): boolean {
    if (ocid === tenancy) return this.tenancies.has(tenancy);
    return this.compartments.get(ocid)?.tenancy === tenancy;
  }

  /** Whether the database lives in `compartment` or below it. */
  databaseIn(tenancy: string, database: string, compartment: string): boolean {
    const db = this.databases.get(database);
    if (db === undefined || db.tenancy !== tenancy) return false;
    let current: string | undefined = db.compartment;
    for (let depth = 0; current !== undefined && depth < 64; depth++) {
      if (current === compartment) return true;
      if (current === tenancy) return false;
      current = this.compartments.get(current)?.parent;
    }
    return false;
  }

  /** Resolves `tenancyName:comp:sub` to a compartment OCID, or undefined. */
  resolvePath(tenancy: string, names: readonly string[]): string | undefined {
    const root = this.tenancies.get(tenancy);
    if (root === undefined || names[0] !== root.name) return undefined;
    let current = tenancy;
    for (const name of names.slice(1)) {
      const child = [...this.compartments.values()].find((c) => c.tenancy === tenancy && c.parent === current && c.name === name);
      if (child === undefined) return undefined;
      current = child.ocid;
    }
    return current;
  }
}
