// The catalogue of iam.OAuthToken properties: which names a filter, $select or $orderby may use and
// what type their values have. It mirrors `components.schemas.IamOAuthToken` of
// specs/providers/intersight.json (a test compares the two, so they cannot drift apart silently).

/** The JSON type of a property as far as filters are concerned. */
export type PropertyKind = "string" | "datetime" | "number" | "boolean" | "object" | "array";

export interface PropertyInfo {
  readonly kind: PropertyKind;
  /** For objects (relationships, UserMeta, VersionContext): the sub-properties a filter may address as `Prop.Sub`. */
  readonly fields?: Readonly<Record<string, PropertyKind>>;
}

/** Fields of a relationship (`mo.MoRef`): Intersight returns `{ClassId, ObjectType, Moid, link}`. */
const MO_REF_FIELDS = { ClassId: "string", ObjectType: "string", Moid: "string", Selector: "string", link: "string" } as const;

/**
 * Every property of an iam.OAuthToken: the seed's (Terraform data source `intersight_iam_o_auth_token`)
 * and the base managed object's (`mo.BaseMo`), under their PascalCase wire names.
 */
export const OAUTH_TOKEN_PROPERTIES = {
  AccessExpirationTime: { kind: "datetime" },
  AccountMoid: { kind: "string" },
  Ancestors: { kind: "array" },
  AppRegistration: { kind: "object", fields: MO_REF_FIELDS },
  ClassId: { kind: "string" },
  ClientId: { kind: "string" },
  ClientIpAddress: { kind: "string" },
  ClientName: { kind: "string" },
  CreateTime: { kind: "datetime" },
  DisplayNames: { kind: "object" },
  DomainGroupMoid: { kind: "string" },
  ExpirationTime: { kind: "datetime" },
  LastLoginClient: { kind: "string" },
  LastLoginTime: { kind: "datetime" },
  ModTime: { kind: "datetime" },
  Moid: { kind: "string" },
  ObjectType: { kind: "string" },
  Owners: { kind: "array" },
  Parent: { kind: "object", fields: MO_REF_FIELDS },
  Permission: { kind: "object", fields: MO_REF_FIELDS },
  PermissionResources: { kind: "array" },
  SharedScope: { kind: "string" },
  Tags: { kind: "array" },
  TokenId: { kind: "string" },
  User: { kind: "object", fields: MO_REF_FIELDS },
  UserMeta: { kind: "object", fields: { ClassId: "string", ObjectType: "string", DeviceModel: "string", UserAgent: "string" } },
  VersionContext: { kind: "object", fields: { ClassId: "string", ObjectType: "string", Timestamp: "datetime", VersionType: "string" } },
} as const satisfies Record<string, PropertyInfo>;

/** A top-level iam.OAuthToken property name. */
export type OAuthTokenProperty = keyof typeof OAUTH_TOKEN_PROPERTIES;

type SubPaths<P extends OAuthTokenProperty> = (typeof OAUTH_TOKEN_PROPERTIES)[P] extends { fields: infer F } ? `${P}.${Extract<keyof F, string>}` : never;

/** A property a filter can compare: a scalar property, or a scalar field of an object property (`User.Moid`). */
export type FilterPath =
  | { [P in OAuthTokenProperty]: (typeof OAUTH_TOKEN_PROPERTIES)[P]["kind"] extends "object" | "array" ? never : P }[OAuthTokenProperty]
  | { [P in OAuthTokenProperty]: SubPaths<P> }[OAuthTokenProperty];

/** The names of all top-level properties, sorted. */
export const OAUTH_TOKEN_PROPERTY_NAMES: readonly OAuthTokenProperty[] = Object.freeze((Object.keys(OAUTH_TOKEN_PROPERTIES) as OAuthTokenProperty[]).sort());

/** Properties Intersight always returns, even under `$select` (the managed-object identity). */
export const ALWAYS_SELECTED: readonly OAuthTokenProperty[] = ["ClassId", "Moid", "ObjectType"];

/** Properties whose values are RFC 3339 date-time strings on the wire. */
export const DATETIME_PROPERTIES: readonly OAuthTokenProperty[] = OAUTH_TOKEN_PROPERTY_NAMES.filter((p) => OAUTH_TOKEN_PROPERTIES[p].kind === "datetime");

export function isOAuthTokenProperty(name: string): name is OAuthTokenProperty {
  return Object.hasOwn(OAUTH_TOKEN_PROPERTIES, name);
}

/**
 * Resolves a filter path (`ClientName`, `User.Moid`; `/` is accepted as OData's navigation separator)
 * to the kind of its value, or undefined when the path names no comparable property.
 */
export function resolvePath(path: string): { kind: PropertyKind; segments: readonly string[] } | undefined {
  const segments = path.split(/[./]/);
  const [head, sub, ...rest] = segments;
  if (head === undefined || rest.length > 0 || !isOAuthTokenProperty(head)) return undefined;
  const info: PropertyInfo = OAUTH_TOKEN_PROPERTIES[head];
  if (sub === undefined) return info.kind === "object" || info.kind === "array" ? undefined : { kind: info.kind, segments };
  const kind = info.fields !== undefined && Object.hasOwn(info.fields, sub) ? info.fields[sub] : undefined;
  return kind === undefined ? undefined : { kind, segments };
}
