// The hand-kept property catalogue (filters, $select, $orderby) must match the spec, and the spec
// must cover every property of seed 004 and of the base managed object.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import provider from "../src/index.js";
import { DATETIME_PROPERTIES, OAUTH_TOKEN_PROPERTIES, OAUTH_TOKEN_PROPERTY_NAMES, resolvePath } from "../src/properties.js";

const spec = JSON.parse(readFileSync(new URL("../../../specs/providers/intersight.json", import.meta.url), "utf8")) as {
  components: { schemas: Record<string, { properties: Record<string, { "x-decode"?: string; $ref?: string; type?: string | string[] }> }> };
  paths: Record<string, Record<string, { operationId?: string }>>;
};
const schema = spec.components.schemas["IamOAuthToken"]!;

// The arguments of the Terraform data source intersight_iam_o_auth_token (seed 004).
const SEED = ["access_expiration_time", "account_moid", "client_id", "client_ip_address", "client_name", "create_time", "domain_group_moid", "expiration_time", "last_login_client", "last_login_time", "mod_time", "moid", "shared_scope", "token_id"];
const BASE_MO = ["AccountMoid", "Ancestors", "ClassId", "CreateTime", "DisplayNames", "DomainGroupMoid", "ModTime", "Moid", "ObjectType", "Owners", "Parent", "PermissionResources", "SharedScope", "Tags", "VersionContext"];
const pascal = (snake: string) => snake.replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());

describe("spec and catalogue", () => {
  it("the catalogue lists exactly the spec's properties, with the same date-times", () => {
    expect([...OAUTH_TOKEN_PROPERTY_NAMES]).toEqual(Object.keys(schema.properties).sort());
    const specDates = Object.entries(schema.properties).filter(([, p]) => p["x-decode"] === "date").map(([n]) => n).sort();
    expect([...DATETIME_PROPERTIES]).toEqual(specDates);
  });

  it("covers seed 004, the base managed object and the relationships", () => {
    for (const name of [...SEED.map(pascal), ...BASE_MO, "AppRegistration", "Permission", "User", "UserMeta"]) expect(Object.hasOwn(OAUTH_TOKEN_PROPERTIES, name), name).toBe(true);
    expect(resolvePath("User.Moid")).toEqual({ kind: "string", segments: ["User", "Moid"] });
    expect(resolvePath("User/Moid")?.segments).toEqual(["User", "Moid"]);
    expect(resolvePath("User")).toBeUndefined();
    expect(resolvePath("Tags")).toBeUndefined();
    expect(resolvePath("ClientName.Nope")).toBeUndefined();
  });

  it("declares the provider", () => {
    expect(provider.descriptor).toMatchObject({ id: "intersight", capabilities: ["list", "get", "revoke"] });
    expect(provider.emulator).toBe("@tokenmint/provider-intersight/emulator");
    const ids = Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => op.operationId)).filter(Boolean).sort();
    expect(ids).toEqual(["DeleteIamOAuthToken", "GetIamOAuthTokenByMoid", "GetIamOAuthTokenList"]);
  });
});
