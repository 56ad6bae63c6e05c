// The emulator on the wire: every signer generation, tampered requests, the OData subset, error bodies.
import { constants, createHash, type KeyObject, sign } from "node:crypto";
import { request as httpRequest } from "node:http";
import { createHttpSigner } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IntersightEmulator } from "../src/emulator/index.js";
import { DAY, emulator, testKeys } from "./helpers.js";

let emu: IntersightEmulator;
let open: IntersightEmulator;
let rsa: KeyObject;
let ec: KeyObject;

beforeAll(async () => {
  ({ rsa, ec } = await testKeys());
  emu = await emulator();
  open = await emulator({ requireSignature: false, maxTop: 50 });
});
afterAll(async () => {
  await emu.close();
  await open.close();
});

const SDK = ["(request-target)", "(created)", "(expires)", "host", "date", "digest", "content-type", "user-agent"];
const TERRAFORM = ["(request-target)", "(created)", "(expires)", "host", "date", "digest", "content-type"];
const SAMPLES = ["(request-target)", "date", "host", "content-type", "digest"];
const ANSIBLE = ["(request-target)", "host", "date", "digest"];

const digest = (body: string) => `SHA-256=${createHash("sha256").update(body).digest("base64")}`;

interface SignedRequest {
  method?: string;
  path?: string;
  body?: string;
  key?: KeyObject;
  keyId?: string;
  components?: readonly string[];
  algorithm?: "rsa-sha256" | "hs2019";
  now?: number;
  validitySec?: number;
  /** Changes the request after it was signed. */
  tamper?: (request: { headers: Record<string, string>; path: string; body: string | undefined }) => void;
}

async function signed(options: SignedRequest = {}): Promise<Response> {
  const method = options.method ?? "GET";
  let path = options.path ?? "/api/v1/iam/OAuthTokens?%24top=1";
  const key = options.key ?? rsa;
  const url = new URL(`${emu.url}${path}`);
  const headers: Record<string, string> = {
    date: new Date(options.now ?? Date.now()).toUTCString(),
    digest: digest(options.body ?? ""),
    "content-type": "application/json",
    "user-agent": "test-client/1.0",
  };
  const signer = createHttpSigner({
    keyId: options.keyId ?? (key === rsa ? emu.credentials.rsa.keyId : emu.credentials.ec.keyId),
    privateKey: key,
    algorithm: options.algorithm,
    components: options.components ?? SDK,
    style: "cavage",
    validitySec: options.validitySec,
    now: options.now === undefined ? undefined : () => options.now!,
  });
  headers["authorization"] = signer.sign({ method, url, headers });
  const request = { headers, path, body: options.body };
  options.tamper?.(request);
  path = request.path;
  return fetch(`${emu.url}${path}`, { method, headers: request.headers, body: request.body ?? null });
}

/** The last reason the emulator gave for a 401. */
const lastReason = () => emu.rejected.at(-1)?.reason;

describe("signature verification", () => {
  it("accepts every signer generation, with RSA and EC keys", async () => {
    for (const components of [SDK, TERRAFORM, SAMPLES, ANSIBLE]) {
      for (const key of [rsa, ec]) {
        const response = await signed({ key, components });
        expect(response.status, `${components.join(" ")} ${key.asymmetricKeyType}`).toBe(200);
      }
    }
    // hs2019 with an RSA key: RSASSA-PSS (the Python SDK's choice).
    expect((await signed({ key: rsa, algorithm: "hs2019" })).status).toBe(200);
  });

  it("accepts intersight-go's hs2019 RSA-PSS with SHA-512 and a fractional expires", async () => {
    const created = Math.floor(Date.now() / 1000);
    const expires = `${created + 300}.25`;
    const date = new Date().toUTCString();
    const lines = [
      "(request-target): get /api/v1/iam/OAuthTokens",
      `(created): ${created}`,
      `(expires): ${expires}`,
      `host: ${new URL(emu.url).host}`,
      `date: ${date}`,
      `digest: ${digest("")}`,
    ];
    const signature = sign("sha512", Buffer.from(lines.join("\n")), { key: rsa, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN }).toString("base64");
    const authorization = `Signature keyId="${emu.credentials.rsa.keyId}",algorithm="hs2019",created=${created},expires=${expires},headers="(request-target) (created) (expires) host date digest",signature="${signature}"`;
    const response = await fetch(`${emu.url}/api/v1/iam/OAuthTokens`, { headers: { date, digest: digest(""), authorization } });
    expect(response.status).toBe(200);
  });

  it("checks the request target as sent, even with characters URL parsing would re-encode", async () => {
    // Python's urlencode sends %27, but a client may send a raw quote; the signature covers the bytes sent.
    const target = "/api/v1/iam/OAuthTokens?$filter=ClientName%20eq%20'x'";
    const host = new URL(emu.url).host;
    const date = new Date().toUTCString();
    const lines = [`(request-target): get ${target}`, `host: ${host}`, `date: ${date}`, `digest: ${digest("")}`];
    const signature = sign("sha256", Buffer.from(lines.join("\n")), rsa).toString("base64");
    const authorization = `Signature keyId="${emu.credentials.rsa.keyId}",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="${signature}"`;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port: new URL(emu.url).port, path: target, headers: { host, date, digest: digest(""), authorization } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(200);
  });

  it("refuses tampered, stale, incomplete or unknown signatures with 401 and Intersight's body", async () => {
    const now = Date.now();
    const cases: [string, SignedRequest, RegExp][] = [
      ["digest header changed", { tamper: (r) => (r.headers["digest"] = digest("x")) }, /Digest header does not match the body/],
      ["body changed after signing", { method: "DELETE", path: "/api/v1/iam/OAuthTokens/0123456789abcdef01234567", body: "null", tamper: (r) => (r.body = "{}") }, /Digest header does not match/],
      ["no digest header", { tamper: (r) => delete r.headers["digest"] }, /Digest header is missing/],
      ["signature bytes changed", { tamper: (r) => (r.headers["authorization"] = r.headers["authorization"]!.replace(/signature="(.)/, (_m, c: string) => `signature="${c === "A" ? "B" : "A"}`)) }, /does not verify/],
      ["EC signature bytes changed", { key: ec, tamper: (r) => (r.headers["authorization"] = r.headers["authorization"]!.replace(/signature="(.)/, (_m, c: string) => `signature="${c === "M" ? "N" : "M"}`)) }, /does not verify|malformed/],
      ["path changed after signing", { tamper: (r) => (r.path = "/api/v1/iam/OAuthTokens?%24top=2") }, /does not verify/],
      ["signed header value changed", { tamper: (r) => (r.headers["user-agent"] = "other") }, /does not verify/],
      ["stale date", { now: now - 10 * 60_000, validitySec: 3600 }, /date header is more than 300s away/],
      ["future date", { now: now + 10 * 60_000 }, /more than 300s away/],
      ["expired", { now: now - 200_000, validitySec: 60 }, /signature expired/],
      ["digest not covered", { components: ["(request-target)", "host", "date"] }, /does not cover digest/],
      ["host not covered", { components: ["(request-target)", "date", "digest"] }, /does not cover host/],
      ["no time covered", { components: ["(request-target)", "host", "digest"] }, /neither date nor \(created\)/],
      ["unknown key id", { keyId: "5f0000000000000000000000/5f0000000000000000000001/5f0000000000000000000002" }, /unknown API key id/],
      ["rsa-sha256 with an EC key", { key: ec, tamper: (r) => (r.headers["authorization"] = r.headers["authorization"]!.replace('algorithm="hs2019"', 'algorithm="rsa-sha256"')) }, /does not match the key/],
      ["another scheme", { tamper: (r) => (r.headers["authorization"] = "Bearer abc") }, /scheme must be Signature/],
      ["no authorization", { tamper: (r) => delete r.headers["authorization"] }, /not signed/],
    ];
    for (const [name, options, reason] of cases) {
      const response = await signed(options);
      expect(response.status, name).toBe(401);
      const body = (await response.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort(), name).toEqual(["code", "message", "messageId", "messageParams", "traceId"]);
      expect(response.headers.get("x-starship-traceid")).toBe(body["traceId"]);
      expect(lastReason(), name).toMatch(reason);
    }
  });
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${open.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const q = (params: Record<string, string>) => `/api/v1/iam/OAuthTokens?${new URLSearchParams(params)}`;

describe("the OData subset", () => {
  beforeAll(() => {
    open.seed(120, { seed: 3 });
    open.login({ clientName: "Quote's App", clientId: "quote", at: new Date(Date.now() - 45 * DAY) });
  });

  it("lists with the envelope, default and maximum $top, $skip, $count and $inlinecount", async () => {
    const all = await get(q({ $top: "50", $inlinecount: "allpages" }));
    expect(all.status).toBe(200);
    expect(all.body["ObjectType"]).toBe("iam.OAuthToken.List");
    expect(all.body["Count"]).toBe(121);
    expect((all.body["Results"] as unknown[]).length).toBe(50);
    const plain = await get(q({ $skip: "100", $top: "50" }));
    expect(plain.body["Count"]).toBeUndefined();
    expect((plain.body["Results"] as unknown[]).length).toBe(21);
    expect(await get(q({ $count: "true", $filter: "ClientId eq 'quote'" }))).toEqual({ status: 200, body: { ObjectType: "mo.DocumentCount", Count: 1 } });
    const tooMany = await get(q({ $top: "51" }));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ code: "InvalidRequest", messageParams: { "1": "$top" } });
  });

  it("default $top is the service's 100", async () => {
    const big = await emulator({ requireSignature: false });
    big.seed(150);
    const response = await fetch(`${big.url}/api/v1/iam/OAuthTokens`);
    expect(((await response.json()) as { Results: unknown[] }).Results.length).toBe(100);
    await big.close();
  });

  it("filters, orders and selects", async () => {
    const quote = await get(q({ $filter: "ClientName eq 'Quote''s App' and CreateTime lt 2099-01-01T00:00:00Z", $select: "ClientName,CreateTime" }));
    const results = quote.body["Results"] as Record<string, unknown>[];
    expect(results.length).toBe(1);
    expect(Object.keys(results[0]!).sort()).toEqual(["ClassId", "ClientName", "CreateTime", "Moid", "ObjectType"]);
    const ordered = (await get(q({ $orderby: "CreateTime desc", $top: "50" }))).body["Results"] as Record<string, string>[];
    const times = ordered.map((r) => Date.parse(r["CreateTime"]!));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const old = (await get(q({ $filter: `CreateTime lt ${new Date(Date.now() - 30 * DAY).toISOString()} and (startswith(ClientName,'Quote') or contains(ClientId,'zzz'))` }))).body["Results"] as unknown[];
    expect(old.length).toBe(1);
  });

  it("answers invalid queries with 400 and Intersight's error body", async () => {
    for (const [params, option] of [
      [{ $filter: "ClientName eq 'x" }, "$filter"],
      [{ $filter: "Nope eq 1" }, "$filter"],
      [{ $filter: "ClientName eq 1" }, "$filter"],
      [{ $orderby: "Nope" }, "$orderby"],
      [{ $orderby: "Moid sideways" }, "$orderby"],
      [{ $select: "Moid,Nope" }, "$select"],
      [{ $top: "-1" }, "$top"],
      [{ $skip: "x" }, "$skip"],
      [{ $count: "maybe" }, "$count"],
      [{ $inlinecount: "some" }, "$inlinecount"],
      [{ $expand: "User" }, "$expand"],
      [{ $search: "x" }, "$search"],
    ] as const) {
      const { status, body } = await get(q(params));
      expect(status, JSON.stringify(params)).toBe(400);
      expect(body).toMatchObject({ code: "InvalidRequest", messageParams: { "1": option } });
      expect(body["traceId"]).toMatch(/^NB[0-9a-f]{32}$/);
    }
    const twice = await fetch(`${open.url}/api/v1/iam/OAuthTokens?%24top=1&%24top=2`);
    expect(twice.status).toBe(400);
  });

  it("get, delete, unknown Moids and URLs", async () => {
    const mo = open.login();
    const one = await get(`/api/v1/iam/OAuthTokens/${mo.Moid}`);
    expect(one.status).toBe(200);
    expect(one.body["Moid"]).toBe(mo.Moid);
    const del = await fetch(`${open.url}/api/v1/iam/OAuthTokens/${mo.Moid}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect(await del.text()).toBe("");
    const again = await fetch(`${open.url}/api/v1/iam/OAuthTokens/${mo.Moid}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ code: "NotFound", message: `Cannot execute the request. The request object '${mo.Moid}' does not exist.`, messageId: "barcelona_request_object_does_not_exist", messageParams: { "1": mo.Moid } });
    expect((await get("/api/v1/iam/Nope")).body).toMatchObject({ code: "NotFound", messageId: "barcelona_invalid_url" });
    expect((await fetch(`${open.url}/api/v1/iam/OAuthTokens`, { method: "POST", body: "{}" })).status).toBe(405);
  });

  it("records expire and are removed, as on the service", async () => {
    const mo = open.login({ refreshLifetimeSeconds: 1, at: new Date(Date.now() - 2000) });
    expect((await get(`/api/v1/iam/OAuthTokens/${mo.Moid}`)).status).toBe(404);
  });

  it("logins have the real shape", () => {
    const mo = open.login({ clientName: "App", clientId: "app", ipAddress: "192.0.2.1", userAgent: "Mozilla/5.0 (Windows NT 10.0)" });
    expect(mo).toMatchObject({ ClassId: "iam.OAuthToken", ObjectType: "iam.OAuthToken", ClientName: "App", ClientId: "app", ClientIpAddress: "192.0.2.1", LastLoginClient: "192.0.2.1", AccountMoid: open.credentials.accountMoid });
    expect(mo.Moid).toMatch(/^[0-9a-f]{24}$/);
    expect(mo["User"]).toMatchObject({ ClassId: "mo.MoRef", ObjectType: "iam.User" });
    expect(mo["UserMeta"]).toMatchObject({ ClassId: "iam.ClientMeta", DeviceModel: "Windows PC" });
    expect(Date.parse(mo["AccessExpirationTime"] as string)).toBeLessThan(Date.parse(mo["ExpirationTime"] as string));
    expect(typeof mo["TokenId"]).toBe("string");
  });
});
