import { isTokenmintError } from "@tokenmint/core";
import { describe, expect, it } from "vitest";
import { grantedScopes, IDCS_API_RESOURCE, MY_SCOPES, parseScope, resolveScopes, type ScopeContext } from "../src/scopes.js";

const ORDERS = "https://orders.example.com:443";
const REPORTS = "https://reports.example.com:443";
const context: ScopeContext = {
  app: { grants: ["client_credentials", "password", "refresh_token"], roles: ["Me"], scopes: [`${ORDERS}urn:opc:resource:consumer::all`] },
  resourceServers: [
    { audience: ORDERS, name: "Orders API", refreshTokenAllowed: true },
    { audience: REPORTS, name: "Reports API", refreshTokenAllowed: false },
  ],
};

function thrown(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("did not throw");
}

describe("parseScope", () => {
  it("splits IDCS API scopes, URL audiences and URN audiences (Oracle's samples)", () => {
    expect(parseScope("urn:opc:idm:t.user.me")).toEqual({ raw: "urn:opc:idm:t.user.me", resource: IDCS_API_RESOURCE, name: "t.user.me" });
    expect(parseScope(`${ORDERS}urn:opc:resource:consumer::all`)).toEqual({ raw: `${ORDERS}urn:opc:resource:consumer::all`, resource: ORDERS, name: "urn:opc:resource:consumer::all" });
    expect(parseScope("urn:opc:entitlementid=999999999urn:opc:resource:consumer::all")).toMatchObject({ resource: "urn:opc:entitlementid=999999999", name: "urn:opc:resource:consumer::all" });
    expect(parseScope("https://api.example.com/v1/read")).toMatchObject({ resource: "https://api.example.com/v1/", name: "read" });
    expect(parseScope("https://orders.example.com:443orders.read")).toMatchObject({ resource: "https://orders.example.com:443", name: "orders.read" });
    expect(parseScope("offline_access")).toEqual({ raw: "offline_access", name: "offline_access" });
    expect(parseScope("read")).toEqual({ raw: "read", name: "read" });
  });

  it("uses declared audiences first (longest prefix)", () => {
    expect(parseScope("https://a.example.com/apiread", ["https://a.example.com/", "https://a.example.com/api"])).toMatchObject({ resource: "https://a.example.com/api", name: "read" });
  });
});

describe("resolveScopes: the console's choices", () => {
  it("Available Scopes without declared capabilities asks for __myscopes__", () => {
    expect(resolveScopes({ kind: "available" }, false).wire).toBe(MY_SCOPES);
  });

  it("Available Scopes of an app with IDCS roles and another server's scopes is refused, naming both", () => {
    const error = thrown(() => resolveScopes({ kind: "available" }, false, context));
    expect(isTokenmintError(error, "invalid_scope")).toBe(true);
    expect((error as Error).message).toContain("Identity Cloud Service APIs");
    expect((error as Error).message).toContain(`"Orders API" (${ORDERS})`);
  });

  it("Customized Scopes / IDCS APIs maps app roles to scopes and checks the app's roles", () => {
    expect(resolveScopes({ kind: "idcs", roles: ["Me"] }, false, context).wire).toBe("urn:opc:idm:t.user.me");
    expect(isTokenmintError(thrown(() => resolveScopes({ kind: "idcs", roles: ["User Administrator"] }, false, context)), "invalid_scope")).toBe(true);
    const custom = { ...context, app: { ...context.app, roles: ["Me", "Auditor"], roleScopes: { Auditor: ["urn:opc:idm:t.audit"] } } };
    expect(resolveScopes({ kind: "idcs", roles: ["Auditor", "Me"] }, false, custom).wire).toBe("urn:opc:idm:t.audit urn:opc:idm:t.user.me");
    const unknown = thrown(() => resolveScopes({ kind: "idcs", roles: ["Auditor"] }, false, {}));
    expect(isTokenmintError(unknown, "configuration")).toBe(true);
  });

  it("Customized Scopes / Other APIs prefixes names with the audience", () => {
    const r = resolveScopes({ kind: "resource", audience: ORDERS, scopes: ["urn:opc:resource:consumer::all", `${ORDERS}orders.read`] }, false, context);
    expect(r.wire).toBe(`${ORDERS}urn:opc:resource:consumer::all ${ORDERS}orders.read`);
    expect(r.resource).toBe(ORDERS);
    expect(r.scopes[0]).toEqual({ raw: `${ORDERS}urn:opc:resource:consumer::all`, resource: ORDERS, name: "urn:opc:resource:consumer::all" });
  });

  it("refuses raw scopes of two resource servers, naming both", () => {
    const error = thrown(() => resolveScopes({ kind: "raw", scopes: [`${ORDERS}urn:opc:resource:consumer::all`, `${REPORTS}reports.read`] }, false, context)) as Error;
    expect(isTokenmintError(error, "invalid_scope")).toBe(true);
    expect(error.message).toContain("Orders API");
    expect(error.message).toContain("Reports API");
  });

  it("refuses a scope that names no resource server", () => {
    expect(isTokenmintError(thrown(() => resolveScopes({ kind: "raw", scopes: "read" }, false)), "invalid_scope")).toBe(true);
  });

  it("Include Refresh Token adds offline_access only when the app and the resource server allow it", () => {
    expect(resolveScopes({ kind: "resource", audience: ORDERS, scopes: ["urn:opc:resource:consumer::all"] }, true, context).wire).toBe(`${ORDERS}urn:opc:resource:consumer::all offline_access`);
    const noServer = thrown(() => resolveScopes({ kind: "resource", audience: REPORTS, scopes: ["reports.read"] }, true, context)) as Error;
    expect(isTokenmintError(noServer, "unsupported")).toBe(true);
    expect(noServer.message).toContain("Reports API");
    const noGrant = thrown(() => resolveScopes({ kind: "idcs", roles: ["Me"] }, true, { app: { grants: ["client_credentials"] } })) as Error;
    expect(isTokenmintError(noGrant, "unsupported")).toBe(true);
    expect(noGrant.message).toContain("Refresh Token grant");
    // offline_access written as a raw scope goes through the same check.
    expect(isTokenmintError(thrown(() => resolveScopes({ kind: "raw", scopes: `${REPORTS}reports.read offline_access` }, false, context)), "unsupported")).toBe(true);
  });
});

describe("grantedScopes", () => {
  it("puts the audience back on bare names from the token's scope claim", () => {
    expect(grantedScopes("urn:opc:resource:consumer::all", ORDERS)).toEqual([{ raw: `${ORDERS}urn:opc:resource:consumer::all`, resource: ORDERS, name: "urn:opc:resource:consumer::all" }]);
    expect(grantedScopes("urn:opc:idm:t.user.me urn:opc:idm:t.groups", IDCS_API_RESOURCE).map((s) => s.name)).toEqual(["t.user.me", "t.groups"]);
  });
});
