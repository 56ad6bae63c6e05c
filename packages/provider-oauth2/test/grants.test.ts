import { Secret } from "@tokenmint/core";
import { describe, expect, it } from "vitest";
import { buildGrant, encodeForm, metadataUrls, tokenFromResponse } from "./units.js";

const none = { scope: [], resource: [], audience: [] };
const wire = (fields: ReturnType<typeof buildGrant>["fields"]) => new URLSearchParams(encodeForm(fields));

describe("metadata locations", () => {
  it("lists RFC 8414, OpenID Connect and RFC 8414 section 5 forms for path issuers, once each for host issuers", () => {
    expect(metadataUrls("https://a.example.com/tenant/")).toEqual([
      "https://a.example.com/.well-known/oauth-authorization-server/tenant",
      "https://a.example.com/tenant/.well-known/openid-configuration",
      "https://a.example.com/.well-known/openid-configuration/tenant",
    ]);
    expect(metadataUrls("https://a.example.com")).toEqual(["https://a.example.com/.well-known/oauth-authorization-server", "https://a.example.com/.well-known/openid-configuration"]);
    expect(() => metadataUrls("https://a.example.com/?x=1")).toThrow(expect.objectContaining({ code: "configuration" }));
  });
});

describe("grant fields", () => {
  it("builds each grant's form, repeating resource and audience", () => {
    const cc = wire(buildGrant({ grant: "client_credentials", scope: "a b", resource: ["https://r1.example.com", "https://r2.example.com"], audience: "orders" }, none).fields);
    expect(cc.get("grant_type")).toBe("client_credentials");
    expect(cc.get("scope")).toBe("a b");
    expect(cc.getAll("resource")).toEqual(["https://r1.example.com", "https://r2.example.com"]);
    expect(cc.getAll("audience")).toEqual(["orders"]);
    const te = wire(buildGrant({ grant: "token_exchange", subjectToken: "s", actorToken: new Secret("a"), requestedTokenType: "jwt" }, none).fields);
    expect(Object.fromEntries(te)).toEqual({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: "s",
      subject_token_type: "urn:ietf:params:oauth:token-type:access_token",
      actor_token: "a",
      actor_token_type: "urn:ietf:params:oauth:token-type:access_token",
      requested_token_type: "urn:ietf:params:oauth:token-type:jwt",
    });
  });

  it("keeps secrets wrapped until the body is encoded, and does not send defaults on refresh", () => {
    const built = buildGrant({ grant: "password", username: "u", password: "pw" }, { scope: ["d"], resource: [], audience: [] });
    expect(built.fields.find(([k]) => k === "password")![1]).toBeInstanceOf(Secret);
    expect(wire(built.fields).get("scope")).toBe("d");
    expect(wire(buildGrant({ grant: "refresh_token", refreshToken: "r" }, { scope: ["d"], resource: ["https://x.example.com"], audience: [] }).fields).has("scope")).toBe(false);
  });

  it("refuses bad requests before any call", () => {
    const bad = [
      { grant: "implicit" },
      { grant: "password", username: "u", password: "" },
      { grant: "token_exchange", subjectToken: "s", actorTokenType: "jwt" },
      { grant: "client_credentials", resource: "relative/path" },
    ] as const;
    for (const request of bad) expect(() => buildGrant(request as never, none)).toThrow(expect.objectContaining({ code: "invalid_request" }));
  });
});

describe("token responses", () => {
  it("accepts N_A only for a token exchange that issued something other than an access token", () => {
    const ctx = { issuedAt: new Date(0), requested: ["x"], resource: undefined, exchange: true, requestId: undefined };
    const idToken = tokenFromResponse({ access_token: new Secret("t"), token_type: "N_A", issued_token_type: "urn:ietf:params:oauth:token-type:id_token" }, ctx);
    expect(idToken).toMatchObject({ tokenType: "N_A", scopes: [{ raw: "x", name: "x" }] });
    expect(() => tokenFromResponse({ access_token: new Secret("t"), token_type: "N_A" }, { ...ctx, exchange: false })).toThrow(expect.objectContaining({ code: "invalid_response" }));
    expect(tokenFromResponse({ access_token: new Secret("t"), token_type: "bearer", expires_in: 1.5 }, ctx).expiresAt).toEqual(new Date(1500));
  });
});
