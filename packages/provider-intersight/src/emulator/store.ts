// The emulator's iam.OAuthToken records. Records come into being the way they do at Intersight: a
// user completes an OAuth2 authorization-code login in a registered application (seed 004: "created
// when user logged in via OAuth2 using Authorization Code grant and deleted upon logout, expiration
// timeout or manual deletion"). `login()` simulates that and builds a record of the real shape;
// `seed()` runs many simulated logins from a seeded random source for tests.
import { randomBytes } from "node:crypto";
import { comparator, type Expression, evaluate, type OrderKey } from "./odata.js";

export type OAuthTokenMo = Record<string, unknown> & { Moid: string };

/** One simulated authorization-code login. */
export interface LoginInput {
  /** The user's Moid (the `User` relationship); generated when absent. */
  userMoid?: string | undefined;
  /** Registered application (iam.AppRegistration) name, e.g. "Terraform Cloud". */
  clientName?: string | undefined;
  /** The application's OAuth client id. */
  clientId?: string | undefined;
  /** The application registration's Moid; derived from the client id when absent. */
  appRegistrationMoid?: string | undefined;
  /** Address the login came from. */
  ipAddress?: string | undefined;
  /** User-Agent of the browser or client that logged in. */
  userAgent?: string | undefined;
  /** When the login happened (CreateTime). Default: now. */
  at?: Date | undefined;
  /** Lifetime of the access token (AccessExpirationTime - CreateTime), seconds. Default 3600. */
  accessLifetimeSeconds?: number | undefined;
  /** How long the session can be refreshed (ExpirationTime - CreateTime), seconds. Default 90 days. */
  refreshLifetimeSeconds?: number | undefined;
  tags?: readonly { Key: string; Value: string }[] | undefined;
}

export interface SeedOptions {
  /** Seed of the pseudo-random source, so a test sees the same records every run. Default 1. */
  seed?: number;
  /** Login times are spread over this many days before now. Default 60. */
  spreadDays?: number;
  /** Applications to pick from. */
  clients?: readonly { name: string; id: string }[];
  /** Number of distinct users. Default 50. */
  users?: number;
}

const DEFAULT_CLIENTS = [
  { name: "Intersight Terraform", id: "terraform-cloud-app" },
  { name: "Intersight Ansible", id: "ansible-automation-app" },
  { name: "ServiceNow ITOM", id: "servicenow-itom" },
  { name: "Grafana O'Brien Dashboards", id: "grafana-dashboards" },
  { name: "PowerShell SDK", id: "powershell-sdk" },
] as const;

const USER_AGENTS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
  "Terraform/1.6.6 terraform-provider-intersight/1.0.44",
  "OpenAPI-Generator/1.0.11/python",
] as const;

/** mulberry32: a tiny seeded generator, good enough to spread test data. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0").slice(-width);
}

export class OAuthTokenStore {
  readonly accountMoid: string;
  readonly domainGroupMoid: string;
  #baseUrl = "";
  #records = new Map<string, OAuthTokenMo>();
  #expiresAt = new Map<string, number>();
  #counter: number;
  #machine: string;
  /**
   * Sorted views by `$orderby` text, kept sorted through inserts and deletes (binary search plus
   * splice), so paging through a large collection that changes between pages never re-sorts it.
   */
  #sorted = new Map<string, { compare: (a: OAuthTokenMo, b: OAuthTokenMo) => number; list: OAuthTokenMo[] }>();

  constructor() {
    const r = randomBytes(16);
    this.#counter = r.readUInt32BE(0) & 0xffffff;
    this.#machine = r.subarray(4, 9).toString("hex");
    this.accountMoid = this.newMoid(new Date("2019-05-01T00:00:00Z"));
    this.domainGroupMoid = this.newMoid(new Date("2019-05-01T00:00:00Z"));
  }

  /** The URL relationships' `link`s point to. */
  setBaseUrl(url: string): void {
    this.#baseUrl = url.replace(/\/+$/, "");
  }

  /** A 24-hex Moid shaped like a MongoDB ObjectId (seconds, 5 random bytes, a counter), as Intersight's are. */
  newMoid(at: Date = new Date()): string {
    this.#counter = (this.#counter + 1) & 0xffffff;
    return `${hex(Math.floor(at.getTime() / 1000), 8)}${this.#machine}${hex(this.#counter, 6)}`;
  }

  #ref(objectType: string, moid: string, collection: string): Record<string, unknown> {
    return { ClassId: "mo.MoRef", ObjectType: objectType, Moid: moid, link: `${this.#baseUrl}/api/v1/${collection}/${moid}` };
  }

  /** Simulates a completed OAuth2 authorization-code login and returns the record it leaves behind. */
  login(input: LoginInput = {}): OAuthTokenMo {
    const at = input.at ?? new Date();
    if (Number.isNaN(at.getTime())) throw new TypeError("login: invalid date");
    const moid = this.newMoid(at);
    const userMoid = input.userMoid ?? this.newMoid(new Date(at.getTime() - 86_400_000));
    const clientId = input.clientId ?? DEFAULT_CLIENTS[0].id;
    const clientName = input.clientName ?? DEFAULT_CLIENTS[0].name;
    const appMoid = input.appRegistrationMoid ?? `${hex(Math.floor(Date.parse("2020-01-01T00:00:00Z") / 1000), 8)}${Buffer.from(clientId).toString("hex").padEnd(16, "0").slice(0, 16)}`;
    const ip = input.ipAddress ?? "198.51.100.7";
    const created = at.toISOString();
    const accessExpiry = new Date(at.getTime() + (input.accessLifetimeSeconds ?? 3600) * 1000);
    const expiry = new Date(at.getTime() + (input.refreshLifetimeSeconds ?? 90 * 86_400) * 1000);
    const mo: OAuthTokenMo = {
      AccessExpirationTime: accessExpiry.toISOString(),
      AccountMoid: this.accountMoid,
      Ancestors: [],
      AppRegistration: this.#ref("iam.AppRegistration", appMoid, "iam/AppRegistrations"),
      ClassId: "iam.OAuthToken",
      ClientId: clientId,
      ClientIpAddress: ip,
      ClientName: clientName,
      CreateTime: created,
      DisplayNames: {},
      DomainGroupMoid: this.domainGroupMoid,
      ExpirationTime: expiry.toISOString(),
      LastLoginClient: ip,
      LastLoginTime: created,
      ModTime: created,
      Moid: moid,
      ObjectType: "iam.OAuthToken",
      Owners: [this.accountMoid, userMoid],
      Parent: null,
      Permission: this.#ref("iam.Permission", `${userMoid.slice(0, 16)}7065726d`, "iam/Permissions"),
      PermissionResources: [],
      SharedScope: "",
      Tags: (input.tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })),
      TokenId: randomBytes(16).toString("hex"),
      User: this.#ref("iam.User", userMoid, "iam/Users"),
      UserMeta: { ClassId: "iam.ClientMeta", ObjectType: "iam.ClientMeta", DeviceModel: deviceModel(input.userAgent ?? USER_AGENTS[0]), UserAgent: input.userAgent ?? USER_AGENTS[0] },
      VersionContext: null,
    };
    this.#records.set(moid, mo);
    this.#expiresAt.set(moid, expiry.getTime());
    for (const view of this.#sorted.values()) view.list.splice(upperBound(view.list, mo, view.compare), 0, mo);
    return structuredClone(mo);
  }

  /** Runs `count` simulated logins from a seeded random source. */
  seed(count: number, options: SeedOptions = {}): OAuthTokenMo[] {
    const random = seededRandom(options.seed ?? 1);
    const clients = options.clients ?? DEFAULT_CLIENTS;
    const spreadMs = (options.spreadDays ?? 60) * 86_400_000;
    const users = Array.from({ length: options.users ?? 50 }, () => this.newMoid(new Date(Date.now() - spreadMs - 86_400_000)));
    const now = Date.now();
    const out: OAuthTokenMo[] = [];
    for (let i = 0; i < count; i++) {
      const client = clients[Math.floor(random() * clients.length)]!;
      out.push(
        this.login({
          at: new Date(now - Math.floor(random() * spreadMs)),
          userMoid: users[Math.floor(random() * users.length)],
          clientName: client.name,
          clientId: client.id,
          ipAddress: `203.0.113.${1 + Math.floor(random() * 254)}`,
          userAgent: USER_AGENTS[Math.floor(random() * USER_AGENTS.length)],
        }),
      );
    }
    return out;
  }

  /** Logout, expiry or manual deletion. Returns whether the record existed. */
  delete(moid: string): boolean {
    const record = this.#records.get(moid);
    if (record === undefined) return false;
    this.#records.delete(moid);
    this.#expiresAt.delete(moid);
    for (const view of this.#sorted.values()) {
      // Equal keys sit together: search from the first record not before this one.
      for (let i = lowerBound(view.list, record, view.compare); i < view.list.length; i++) {
        if (view.list[i] === record) {
          view.list.splice(i, 1);
          break;
        }
        if (view.compare(view.list[i]!, record) > 0) break;
      }
    }
    return true;
  }

  get(moid: string): OAuthTokenMo | undefined {
    this.purgeExpired();
    return this.#records.get(moid);
  }

  has(moid: string): boolean {
    return this.#records.has(moid);
  }

  get size(): number {
    return this.#records.size;
  }

  /** Every record's Moid, in insertion order. */
  moids(): string[] {
    return [...this.#records.keys()];
  }

  /** Removes records whose refresh expiry has passed, as the service does on expiration timeout. */
  purgeExpired(now = Date.now()): number {
    let removed = 0;
    for (const [moid, expires] of this.#expiresAt) {
      if (expires <= now && this.delete(moid)) removed++;
    }
    return removed;
  }

  /** Matching records in the requested order. The array is the store's own view: read it, do not keep it. */
  query(filter: Expression | undefined, order: readonly OrderKey[], orderText: string): readonly OAuthTokenMo[] {
    this.purgeExpired();
    let list: OAuthTokenMo[];
    if (order.length === 0) list = [...this.#records.values()];
    else {
      let view = this.#sorted.get(orderText);
      if (view === undefined) {
        const compare = comparator(order);
        view = { compare, list: [...this.#records.values()].sort(compare) };
        // A handful of orders is all tests and clients use; keep the cache from growing without bound.
        if (this.#sorted.size >= 16) this.#sorted.delete(this.#sorted.keys().next().value as string);
        this.#sorted.set(orderText, view);
      }
      list = view.list;
    }
    return filter === undefined ? list : list.filter((r) => evaluate(filter, r));
  }
}

/** First index whose record is not before `record`. */
function lowerBound(list: readonly OAuthTokenMo[], record: OAuthTokenMo, compare: (a: OAuthTokenMo, b: OAuthTokenMo) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid]!, record) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose record is after `record` (inserting there keeps insertion order among equals). */
function upperBound(list: readonly OAuthTokenMo[], record: OAuthTokenMo, compare: (a: OAuthTokenMo, b: OAuthTokenMo) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid]!, record) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function deviceModel(userAgent: string): string {
  if (userAgent.includes("Macintosh")) return "Mac";
  if (userAgent.includes("Windows")) return "Windows PC";
  return "Other";
}
