// The emulator's accounts and their AK/SK pairs: who may call, and as what.
import { randomBytes } from "node:crypto";

/**
 * What an account is to the organization. Only the management account and a delegated administrator
 * of IAM Identity Center may manage bearer tokens (seed 001).
 */
export type AccountRole = "management" | "delegated-admin" | "member";

export interface EmulatorAccount {
  /** The account (domain) id. */
  readonly accountId: string;
  readonly name: string;
  readonly role: AccountRole;
}

/** One AK/SK pair; temporary (STS) pairs also have a security token that must come with them. */
export interface AccessKeyPair {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly securityToken?: string | undefined;
  readonly account: EmulatorAccount;
}

const AK_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A 20-character upper-case AK, the shape Huawei issues (permanent AKs; temporary ones look alike). */
export function newAccessKey(): string {
  const bytes = randomBytes(20);
  let out = "";
  for (const b of bytes) out += AK_ALPHABET[b % AK_ALPHABET.length];
  return out;
}

/** A 40-character SK. */
export function newSecretKey(): string {
  return randomBytes(30).toString("base64").replace(/[+/]/g, "x").slice(0, 40);
}

/** An opaque security token (real ones are long base64 blobs). */
export function newSecurityToken(): string {
  return `gQpjbi1ub3J0aC00${randomBytes(96).toString("base64url")}`;
}

export function newAccountId(): string {
  return randomBytes(16).toString("hex");
}

/** The AK/SK pairs the emulator accepts, by AK. */
export class AccessKeys {
  readonly #pairs = new Map<string, AccessKeyPair>();

  add(pair: AccessKeyPair): AccessKeyPair {
    this.#pairs.set(pair.accessKey, pair);
    return pair;
  }

  get(accessKey: string): AccessKeyPair | undefined {
    return this.#pairs.get(accessKey);
  }

  delete(accessKey: string): boolean {
    return this.#pairs.delete(accessKey);
  }

  /** A new permanent pair for an account. */
  issue(account: EmulatorAccount): AccessKeyPair {
    return this.add({ accessKey: newAccessKey(), secretKey: newSecretKey(), account });
  }

  /** A new temporary pair (AK, SK, security token) for an account, as STS would hand out. */
  issueTemporary(account: EmulatorAccount): AccessKeyPair {
    return this.add({ accessKey: newAccessKey(), secretKey: newSecretKey(), securityToken: newSecurityToken(), account });
  }
}
