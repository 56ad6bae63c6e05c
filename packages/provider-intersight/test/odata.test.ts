import { describe, expect, it } from "vitest";
import { comparator, evaluate, ODataError, parseFilter, parseOrderBy, parseSelect } from "../src/emulator/odata.js";

const record = {
  Moid: "65a0000000000000000000aa",
  ClientName: "Intersight Terraform",
  ClientId: "terraform-cloud-app",
  CreateTime: "2024-01-10T10:00:00.000Z",
  ExpirationTime: "2024-04-10T10:00:00.000Z",
  User: { ClassId: "mo.MoRef", ObjectType: "iam.User", Moid: "u1" },
  UserMeta: { UserAgent: "Terraform/1.6" },
  Parent: null,
};

const matches = (filter: string) => evaluate(parseFilter(filter), record);

describe("emulator $filter", () => {
  it("evaluates comparisons, functions, logic and precedence", () => {
    expect(matches("ClientName eq 'Intersight Terraform'")).toBe(true);
    expect(matches("ClientName ne 'Intersight Terraform'")).toBe(false);
    expect(matches("CreateTime gt 2024-01-01T00:00:00Z and CreateTime lt 2024-02-01T00:00:00Z")).toBe(true);
    expect(matches("CreateTime ge 2024-01-10T11:00:00+01:00")).toBe(true);
    expect(matches("CreateTime gt 2024-01-10T11:00:00+01:00")).toBe(false);
    expect(matches("CreateTime lt '2024-02-01T00:00:00Z'")).toBe(true);
    expect(matches("contains(ClientName,'Terra')")).toBe(true);
    expect(matches("startswith(ClientName, 'Inter') and endswith(ClientId,'app')")).toBe(true);
    expect(matches("not contains(ClientName,'Ansible')")).toBe(true);
    expect(matches("ClientName eq 'x' or ClientId eq 'terraform-cloud-app' and Moid eq 'nope'")).toBe(false);
    expect(matches("(ClientName eq 'x' or ClientId eq 'terraform-cloud-app') and not (Moid eq 'nope')")).toBe(true);
    expect(matches("User.Moid eq 'u1' and User/ObjectType eq 'iam.User'")).toBe(true);
    expect(matches("UserMeta.UserAgent eq 'Terraform/1.6'")).toBe(true);
    expect(matches("Parent.Moid eq null")).toBe(true);
    expect(matches("TokenId eq null")).toBe(true);
    expect(matches("TokenId ne null")).toBe(false);
    expect(matches("Moid gt '65a0000000000000000000a9' and Moid le '65a0000000000000000000aa'")).toBe(true);
    expect(matches("ClientName eq 'it''s'")).toBe(false);
  });

  it("rejects invalid expressions with a message", () => {
    for (const bad of [
      "",
      "ClientName",
      "ClientName eq",
      "ClientName eq 'a",
      "ClientName eq 'a')",
      "(ClientName eq 'a'",
      "ClientName like 'a'",
      "Nope eq 'a'",
      "User eq 'a'",
      "ClientName eq 1",
      "CreateTime gt 'not a date'",
      "CreateTime gt true",
      "ClientName gt null",
      "contains(CreateTime,'2024')",
      "contains(ClientName,1)",
      "contains(ClientName 'a')",
      "ClientName eq 'a' and",
      "ClientName eq 'a' ClientId eq 'b'",
      "ClientName eq 'a' & ClientId eq 'b'",
    ]) {
      expect(() => parseFilter(bad), bad).toThrow(ODataError);
    }
  });
});

describe("emulator $orderby and $select", () => {
  it("sorts by several keys with nulls first", () => {
    const rows = [
      { Moid: "b", CreateTime: "2024-01-02T00:00:00Z" },
      { Moid: "a", CreateTime: "2024-01-02T00:00:00Z" },
      { Moid: "c", CreateTime: "2023-12-31T23:00:00-02:00" },
      { Moid: "d" },
    ];
    expect([...rows].sort(comparator(parseOrderBy("CreateTime,Moid"))).map((r) => r.Moid)).toEqual(["d", "c", "a", "b"]);
    expect([...rows].sort(comparator(parseOrderBy("CreateTime desc, Moid asc"))).map((r) => r.Moid)).toEqual(["a", "b", "c", "d"]);
    for (const bad of ["", "Nope", "Moid up", "Moid asc desc", "Moid,"]) expect(() => parseOrderBy(bad), bad).toThrow(ODataError);
  });

  it("accepts known properties only", () => {
    expect(parseSelect("Moid, ClientName,User")).toEqual(["Moid", "ClientName", "User"]);
    expect(() => parseSelect("Moid,Nope")).toThrow(ODataError);
  });
});
