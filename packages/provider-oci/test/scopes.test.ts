import { isTokenmintError } from "@tokenmint/core";
import { describe, expect, it } from "vitest";
import { ALL_DATABASES_SCOPE, dbScope, formatDbScope, isOcid, parseDbScope, toCanonicalScope } from "../src/index.js";

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f15p2b2m2yt2j6rx32uzr4h25vqstifsfdsq";
const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa";
const ADB = "ocid1.autonomousdatabase.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q";

function scopeError(scope: string): string {
  try {
    parseDbScope(scope);
  } catch (error) {
    if (isTokenmintError(error, "invalid_scope")) return error.message;
    throw error;
  }
  throw new Error(`accepted ${scope}`);
}

describe("database scope grammar", () => {
  it("accepts every example of oci-cli's --scope help", () => {
    // services/identity/src/oci_cli_identity/identity_cli_extended.py (get_db_token), with real-looking OCIDs.
    const examples = [
      "urn:oracle:db::id::*",
      "urn:oracle:db::id::ocid1.tenancy.oc1..xxxx",
      "urn:oracle:db::id::ocid1.compartment.oc1..xxxx",
      "urn:oracle:db::id::ocid1.compartment.oc1..xxxx::ocid1.autonomousdatabase.oc1.phx.xxxx",
      "urn:oracle:db::path::mytenantname",
      "urn:oracle:db::path::mytenantname:mycompartmentname",
      "urn:oracle:db::path::mytenantname:mycompartmentname::ocid1.autonomousdatabase.oc1.phx.xxxx",
    ];
    for (const scope of examples) expect(() => parseDbScope(scope), scope).not.toThrow();
  });

  it("parses each form", () => {
    expect(parseDbScope(ALL_DATABASES_SCOPE)).toEqual({ kind: "all" });
    expect(parseDbScope(`urn:oracle:db::id::${TENANCY}`)).toEqual({ kind: "id", compartment: TENANCY });
    expect(parseDbScope(`urn:oracle:db::id::${COMPARTMENT}::${ADB}`)).toEqual({ kind: "id", compartment: COMPARTMENT, database: ADB });
    expect(parseDbScope("urn:oracle:db::path::acme:sales:eu")).toEqual({ kind: "path", path: ["acme", "sales", "eu"] });
    expect(parseDbScope(`urn:oracle:db::path::acme:sales::${ADB}`)).toEqual({ kind: "path", path: ["acme", "sales"], database: ADB });
  });

  it("rejects malformed scopes with what is wrong", () => {
    expect(scopeError("")).toMatch(/empty/);
    expect(scopeError("urn:oracle:db::id::* urn:oracle:db::id::*")).toMatch(/whitespace/);
    expect(scopeError("urn:oracle:xyz::id::*")).toMatch(/does not start with urn:oracle:db::/);
    expect(scopeError("urn:oracle:db::name::x")).toMatch(/expected id:: or path::/);
    expect(scopeError("urn:oracle:db::id::")).toMatch(/not an OCID/);
    expect(scopeError("urn:oracle:db::id::not-an-ocid")).toMatch(/compartment is not an OCID/);
    expect(scopeError(`urn:oracle:db::id::${ADB}`)).toMatch(/tenancy or compartment OCID, not a autonomousdatabase/);
    expect(scopeError(`urn:oracle:db::id::${COMPARTMENT}::nope`)).toMatch(/database is not an OCID/);
    expect(scopeError(`urn:oracle:db::id::*::${ADB}`)).toMatch(/cannot name a database/);
    expect(scopeError(`urn:oracle:db::id::${COMPARTMENT}::${ADB}::${ADB}`)).toMatch(/id:: takes/);
    expect(scopeError("urn:oracle:db::path::")).toMatch(/empty name/);
    expect(scopeError("urn:oracle:db::path::acme::")).toMatch(/database is not an OCID/);
    expect(scopeError("urn:oracle:db::path::acme:sa les")).toMatch(/whitespace/);
    expect(scopeError("urn:oracle:db::path::acme:sa/les")).toMatch(/letters, digits/);
    expect(scopeError(`urn:oracle:db::id::${"x".repeat(3000)}`)).toMatch(/longer than/);
  });

  it("builds scopes and checks what it builds", () => {
    expect(dbScope.all()).toBe("urn:oracle:db::id::*");
    expect(dbScope.compartment(COMPARTMENT)).toBe(`urn:oracle:db::id::${COMPARTMENT}`);
    expect(dbScope.compartment(COMPARTMENT, ADB)).toBe(`urn:oracle:db::id::${COMPARTMENT}::${ADB}`);
    expect(dbScope.path(["acme", "sales"], ADB)).toBe(`urn:oracle:db::path::acme:sales::${ADB}`);
    expect(() => dbScope.compartment("bad")).toThrow(/not an OCID/);
    expect(() => dbScope.path([])).toThrow(/empty name/);
    expect(formatDbScope(parseDbScope(`urn:oracle:db::path::acme::${ADB}`))).toBe(`urn:oracle:db::path::acme::${ADB}`);
  });

  it("maps to the canonical Scope", () => {
    expect(toCanonicalScope(ALL_DATABASES_SCOPE)).toEqual({ raw: ALL_DATABASES_SCOPE, resource: "urn:oracle:db", name: "id::*" });
    expect(toCanonicalScope(`urn:oracle:db::id::${COMPARTMENT}::${ADB}`).name).toBe(`id::${COMPARTMENT}::${ADB}`);
  });

  it("recognises OCIDs", () => {
    expect(isOcid(TENANCY)).toBe(true);
    expect(isOcid(ADB)).toBe(true);
    expect(isOcid("ocid1.tenancy")).toBe(false);
    expect(isOcid("ocid2.tenancy.oc1..aaaa")).toBe(false);
  });
});
