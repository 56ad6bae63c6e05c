// The database-token scope grammar. Sources: oci-cli `iam db-token get --scope` help
// (services/identity/src/oci_cli_identity/identity_cli_extended.py, get_db_token) and ojdbc-extensions
// AccessTokenFactory.java:
//   urn:oracle:db::id::*
//   urn:oracle:db::id::<tenancy or compartment ocid>[::<database ocid>]
//   urn:oracle:db::path::<tenancy name>[:<compartment name>...][::<database ocid>]
import type { Scope } from "@tokenmint/core";
import { TokenmintError } from "@tokenmint/core";

export const DB_SCOPE_PREFIX = "urn:oracle:db::";
/** The resource every database scope belongs to; tokens carry `aud: urn:oracle:db:<tenancy>`. */
export const DB_SCOPE_RESOURCE = "urn:oracle:db";
/** oci-cli's default scope: every database the user may reach. */
export const ALL_DATABASES_SCOPE = "urn:oracle:db::id::*";

/** A parsed database scope. */
export type DbScope =
  | { readonly kind: "all" }
  | { readonly kind: "id"; readonly compartment: string; readonly database?: string | undefined }
  | { readonly kind: "path"; readonly path: readonly string[]; readonly database?: string | undefined };

// ocid1.<resource type>.<realm>.[region][.future use].<unique id>; the region part is empty for
// global resources (ocid1.tenancy.oc1..aaaa...). https://docs.oracle.com/iaas/Content/General/Concepts/identifiers.htm
const OCID = /^ocid1\.[a-z0-9]+\.[a-z0-9]+\.[a-z0-9-]*(?:\.[a-z0-9-]*)?\.[a-z0-9]+$/i;
// Compartment names: letters, digits, hyphens, underscores and periods (OCI IAM naming rules); tenancy
// names are a subset.
const NAME = /^[A-Za-z0-9._-]+$/;
const MAX_SCOPE_LENGTH = 2048;

function bad(scope: string, why: string): TokenmintError {
  return new TokenmintError("invalid_scope", `invalid database scope ${JSON.stringify(scope.length > 120 ? `${scope.slice(0, 120)}...` : scope)}: ${why}`, {
    provider: "oci",
    hint: "use urn:oracle:db::id::*, urn:oracle:db::id::<compartment ocid>[::<database ocid>] or urn:oracle:db::path::<tenancy>[:<compartment>...][::<database ocid>]",
  });
}

/** Whether a string looks like an OCID. */
export function isOcid(value: string): boolean {
  return typeof value === "string" && value.length <= 255 && OCID.test(value);
}

function ocidType(ocid: string): string {
  return ocid.split(".")[1]!.toLowerCase();
}

/**
 * Parses and validates a database scope. Throws `invalid_scope` naming what is wrong.
 *
 * @example
 * parseDbScope("urn:oracle:db::id::ocid1.compartment.oc1..aaaa::ocid1.autonomousdatabase.oc1.phx.bbbb");
 * // { kind: "id", compartment: "ocid1.compartment.oc1..aaaa", database: "ocid1.autonomousdatabase.oc1.phx.bbbb" }
 */
export function parseDbScope(scope: string): DbScope {
  if (typeof scope !== "string") throw new TokenmintError("invalid_scope", "the scope must be a string", { provider: "oci" });
  if (scope.length === 0) throw bad(scope, "it is empty");
  if (scope.length > MAX_SCOPE_LENGTH) throw bad(scope, `longer than ${MAX_SCOPE_LENGTH} characters`);
  if (/\s/.test(scope)) throw bad(scope, "it contains whitespace (one scope per token)");
  if (!scope.startsWith(DB_SCOPE_PREFIX)) throw bad(scope, `it does not start with ${DB_SCOPE_PREFIX}`);
  const rest = scope.slice(DB_SCOPE_PREFIX.length);
  const parts = rest.split("::");
  const kind = parts[0];
  if (kind === "id") {
    if (parts.length < 2 || parts.length > 3) throw bad(scope, "id:: takes *, a compartment OCID, or a compartment OCID and a database OCID");
    const target = parts[1]!;
    if (target === "*") {
      if (parts.length !== 2) throw bad(scope, "id::* cannot name a database");
      return { kind: "all" };
    }
    if (!isOcid(target)) throw bad(scope, "the compartment is not an OCID");
    const type = ocidType(target);
    if (type !== "tenancy" && type !== "compartment") throw bad(scope, `id:: takes a tenancy or compartment OCID, not a ${type} OCID (put a database after the compartment: id::<compartment>::<database>)`);
    const database = parts[2];
    if (database === undefined) return { kind: "id", compartment: target };
    if (!isOcid(database)) throw bad(scope, "the database is not an OCID");
    return { kind: "id", compartment: target, database };
  }
  if (kind === "path") {
    if (parts.length < 2 || parts.length > 3) throw bad(scope, "path:: takes <tenancy>[:<compartment>...] and optionally ::<database ocid>");
    const names = parts[1]!.split(":");
    for (const name of names) {
      if (name.length === 0) throw bad(scope, "the path has an empty name");
      if (!NAME.test(name)) throw bad(scope, "path names may hold only letters, digits, '.', '_' and '-'");
    }
    const database = parts[2];
    if (database === undefined) return { kind: "path", path: names };
    if (!isOcid(database)) throw bad(scope, "the database is not an OCID");
    return { kind: "path", path: names, database };
  }
  throw bad(scope, "expected id:: or path:: after urn:oracle:db::");
}

/** Writes a parsed scope back in the wire grammar (validating it). */
export function formatDbScope(scope: DbScope): string {
  let text: string;
  switch (scope.kind) {
    case "all":
      text = ALL_DATABASES_SCOPE;
      break;
    case "id":
      text = `${DB_SCOPE_PREFIX}id::${scope.compartment}${scope.database === undefined ? "" : `::${scope.database}`}`;
      break;
    case "path":
      text = `${DB_SCOPE_PREFIX}path::${scope.path.join(":")}${scope.database === undefined ? "" : `::${scope.database}`}`;
      break;
    default:
      throw new TokenmintError("invalid_scope", "unknown database scope kind", { provider: "oci" });
  }
  parseDbScope(text);
  return text;
}

/** Builders for the three forms; each validates what it builds. */
export const dbScope = {
  /** `urn:oracle:db::id::*`: every database the user may reach. */
  all: (): string => ALL_DATABASES_SCOPE,
  /** `urn:oracle:db::id::<compartment>[::<database>]` (the tenancy OCID names the root compartment). */
  compartment: (compartmentOcid: string, databaseOcid?: string): string => formatDbScope({ kind: "id", compartment: compartmentOcid, database: databaseOcid }),
  /** `urn:oracle:db::path::<tenancy>[:<compartment>...][::<database>]`. */
  path: (names: readonly string[], databaseOcid?: string): string => formatDbScope({ kind: "path", path: names, database: databaseOcid }),
};

/**
 * The canonical form: `resource` is `urn:oracle:db`, `name` the part after `urn:oracle:db::`
 * (e.g. `id::*`), `raw` the scope as sent.
 */
export function toCanonicalScope(scope: string): Scope {
  parseDbScope(scope);
  return { raw: scope, resource: DB_SCOPE_RESOURCE, name: scope.slice(DB_SCOPE_PREFIX.length) };
}
