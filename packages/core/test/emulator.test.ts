import { connect } from "node:net";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmulatorServer, createTokenSigner, EmulatorHttpError, type EmulatorServer, empty, json, type RequestLogEntry, text } from "../src/emulator/index.js";
import { isTokenmintError } from "../src/index.js";

let server: EmulatorServer;
let calls: Record<string, number>;
let seen: RequestLogEntry[];

const hit = (name: string) => {
  calls[name] = (calls[name] ?? 0) + 1;
};

beforeEach(async () => {
  calls = {};
  seen = [];
  server = await createEmulatorServer({
    name: "test",
    maxBodyBytes: 1024,
    onRequest: (entry) => seen.push(entry),
    routes: [
      {
        name: "create",
        method: "POST",
        path: "/v1/identity-stores/:storeId/tenant/:tenantId/bearer-token",
        handler: (req) => {
          hit("create");
          return json(201, { params: req.params, query: req.query.get("q"), ct: req.headers["content-type"], body: req.json(), route: req.routeName });
        },
      },
      { name: "list", method: "GET", path: "/v1/identity-stores/:storeId/tenant/:tenantId/bearer-token", handler: () => json(200, { bearer_tokens: [] }) },
      { name: "files", method: "GET", path: "/files/*rest", handler: (req) => json(200, { rest: req.params["rest"] }) },
      {
        name: "token",
        method: "GET",
        path: "/token",
        handler: () => {
          hit("token");
          return json(200, { token: "abc", expires_in: 3600, n: calls["token"] });
        },
      },
      { name: "form", method: "POST", path: "/form", handler: (req) => json(200, Object.fromEntries(req.form())) },
      { name: "headers", method: "*", path: "/headers", handler: (req) => json(200, { headers: req.headers, raw: req.rawHeaders.length, method: req.method }) },
      {
        name: "throws",
        method: "GET",
        path: "/throws",
        handler: () => {
          throw new Error("boom");
        },
      },
      {
        name: "http-error",
        method: "GET",
        path: "/http-error",
        handler: () => {
          throw new EmulatorHttpError(409, { code: "Conflict" }, { "x-reason": "busy" });
        },
      },
      { name: "clock", method: "GET", path: "/clock", handler: (req) => json(200, { now: req.now() }) },
      { name: "text", method: "GET", path: "/text", handler: () => text(200, "plain") },
      { name: "empty", method: "DELETE", path: "/empty", handler: () => empty(204, { "x-done": "1" }) },
      { name: "bad-status", method: "GET", path: "/bad-status", handler: () => ({ status: 42 }) },
    ],
  });
});

afterEach(async () => {
  await server.close();
});

const get = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(5000), ...init });

/** Sends raw bytes and returns everything the server writes back until it closes. */
function rawRequest(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1", () => socket.end(request));
    let out = "";
    socket.on("data", (d) => {
      out += d.toString();
    });
    socket.on("end", () => resolve(out));
    socket.on("error", reject);
  });
}

describe("routing", () => {
  it("matches params (decoded), query, headers and JSON bodies", async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await get("/v1/identity-stores/store%201/tenant/t-2/bearer-token?q=x%26y", { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"a":1}' });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ params: { storeId: "store 1", tenantId: "t-2" }, query: "x&y", ct: "application/json", body: { a: 1 }, route: "create" });
    expect(server.count("create")).toBe(1);
    expect(server.requests[0]).toMatchObject({ method: "POST", path: "/v1/identity-stores/store%201/tenant/t-2/bearer-token", status: 201, route: "create", faults: [], handled: true });
    expect(seen).toHaveLength(1);
  });

  it("routes by method on the same path, wildcards, forms, text and empty answers", async () => {
    expect((await get("/v1/identity-stores/s/tenant/t/bearer-token")).status).toBe(200);
    expect(await (await get("/files/a/b%20c/d")).json()).toEqual({ rest: "a/b c/d" });
    expect(await (await get("/files/")).json()).toEqual({ rest: "" });
    const form = await get("/form", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=client_credentials&scope=a+b" });
    expect(await form.json()).toEqual({ grant_type: "client_credentials", scope: "a b" });
    const plain = await get("/text");
    expect(plain.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await plain.text()).toBe("plain");
    const none = await get("/empty", { method: "DELETE" });
    expect(none.status).toBe(204);
    expect(none.headers.get("x-done")).toBe("1");
    expect((await get("/headers", { method: "PATCH" })).status).toBe(200);
  });

  it("joins repeated headers with a comma and lowercases names", async () => {
    const out = await rawRequest("GET /headers HTTP/1.1\r\nHost: example.test\r\nX-Multi: 1\r\nx-multi: 2\r\nContent-Type: a\r\nContent-Type: b\r\nConnection: close\r\n\r\n");
    const body = JSON.parse(out.slice(out.indexOf("\r\n\r\n") + 4)) as { headers: Record<string, string>; raw: number };
    expect(body.headers["x-multi"]).toBe("1, 2");
    expect(body.headers["content-type"]).toBe("a, b");
    expect(body.headers["host"]).toBe("example.test");
    expect(body.raw).toBe(12);
  });

  it("answers 404 JSON, 405 with Allow, 413 over maxBodyBytes, 400 for a bad JSON body", async () => {
    const missing = await get("/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "NotFound" });
    expect((await get("/v1/identity-stores/s/tenant/t")).status).toBe(404);
    expect((await get("/v1/identity-stores/s/tenant/t/bearer-token/")).status).toBe(404);
    const wrong = await get("/v1/identity-stores/s/tenant/t/bearer-token", { method: "PUT" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST, GET");
    expect(await wrong.json()).toMatchObject({ code: "MethodNotAllowed" });
    const big = await get("/v1/identity-stores/s/tenant/t/bearer-token", { method: "POST", body: "x".repeat(4096) });
    expect(big.status).toBe(413);
    expect(calls["create"]).toBeUndefined();
    const badJson = await get("/v1/identity-stores/s/tenant/t/bearer-token", { method: "POST", body: "{nope" });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ code: "InvalidJson" });
    expect(server.requests.map((e) => e.status)).toEqual([404, 404, 404, 405, 413, 400]);
  });

  it("notFound can be overridden", async () => {
    const custom = await createEmulatorServer({ name: "custom", routes: [], notFound: (req) => json(404, { error_code: "APIGW.0101", error_msg: req.path }) });
    try {
      const res = await fetch(`${custom.url}/x/y`);
      expect(await res.json()).toEqual({ error_code: "APIGW.0101", error_msg: "/x/y" });
    } finally {
      await custom.close();
    }
  });

  it("EmulatorHttpError answers its status; other throws give 500, are logged, and the server lives on", async () => {
    const conflict = await get("/http-error");
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get("x-reason")).toBe("busy");
    expect(await conflict.json()).toEqual({ code: "Conflict" });
    const boom = await get("/throws");
    expect(boom.status).toBe(500);
    expect(await boom.json()).toMatchObject({ code: "InternalError" });
    expect(server.requests.at(-1)?.error).toContain("boom");
    const badStatus = await get("/bad-status");
    expect(badStatus.status).toBe(500);
    expect(server.requests.at(-1)?.error).toContain("invalid status");
    expect((await get("/token")).status).toBe(200);
  });

  it("rejects bad route tables", async () => {
    const handler = () => empty(200);
    const tables = [
      [{ name: "a", method: "GET", path: "no-slash", handler }],
      [{ name: "a", method: "GET", path: "/*rest/more", handler }],
      [{ name: "a", method: "GET", path: "/:id/:id", handler }],
      [
        { name: "a", method: "GET", path: "/a", handler },
        { name: "a", method: "GET", path: "/b", handler },
      ],
    ];
    for (const routes of tables) {
      const error = await createEmulatorServer({ name: "bad", routes }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTokenmintError(error, "configuration")).toBe(true);
    }
  });
});

describe("faults", () => {
  it("status with Retry-After, then normal answers; the handler is not run", async () => {
    const handle = server.faults.inject({ route: "token", kind: "status", status: 429, retryAfter: 7, body: { code: "TooManyRequests", message: "slow down" } });
    expect(handle.remaining).toBe(1);
    const limited = await get("/token");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(await limited.json()).toEqual({ code: "TooManyRequests", message: "slow down" });
    expect(handle.remaining).toBe(0);
    expect(calls["token"]).toBeUndefined();
    expect((await get("/token")).status).toBe(200);
    expect(server.requests.map((e) => e.faults)).toEqual([["status"], []]);

    server.faults.inject({ kind: "status", status: 503, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT" });
    const unavailable = await get("/clock");
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBe("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(await unavailable.json()).toMatchObject({ code: "InjectedFault" });
  });

  it("latency delays the response headers past a client timeout", async () => {
    server.faults.inject({ route: "token", kind: "latency", delayMs: 300 });
    const started = performance.now();
    const res = await get("/token");
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(res.status).toBe(200);

    server.faults.inject({ route: "token", kind: "latency", delayMs: 2000 });
    const t0 = performance.now();
    await expect(fetch(`${server.url}/token`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(performance.now() - t0).toBeLessThan(1000);
    // A status fault taken along with the latency: slow and failing.
    server.faults.inject({ route: "token", kind: "latency", delayMs: 150 });
    server.faults.inject({ route: "token", kind: "status", status: 502 });
    const t1 = performance.now();
    expect((await get("/token")).status).toBe(502);
    expect(performance.now() - t1).toBeGreaterThanOrEqual(130);
    expect(server.requests.at(-1)?.faults).toEqual(["latency", "status"]);
  });

  it("reset-before drops the connection and the handler never runs", async () => {
    server.faults.inject({ route: "token", kind: "reset-before" });
    await expect(get("/token")).rejects.toThrow();
    expect(calls["token"]).toBeUndefined();
    await waitFor(() => server.count("token") === 1);
    expect(server.requests[0]).toMatchObject({ status: 0, faults: ["reset-before"], handled: false });
    expect((await get("/token")).status).toBe(200);
    expect(calls["token"]).toBe(1);
  });

  it("reset-after runs the handler (side effects happen) and then drops the connection", async () => {
    server.faults.inject({ route: "token", kind: "reset-after" });
    await expect(get("/token")).rejects.toThrow();
    await waitFor(() => server.count("token") === 1);
    expect(calls["token"]).toBe(1);
    expect(server.requests[0]).toMatchObject({ status: 0, faults: ["reset-after"], handled: true });
  });

  it("truncate sends the full Content-Length, half the body, then closes", async () => {
    server.faults.inject({ route: "token", kind: "truncate" });
    const res = await get("/token");
    expect(res.status).toBe(200);
    const full = JSON.stringify({ token: "abc", expires_in: 3600, n: 1 });
    expect(res.headers.get("content-length")).toBe(String(full.length));
    const failure = await res.text().then(
      (body) => {
        JSON.parse(body);
        return "parsed";
      },
      () => "read failed",
    ).catch(() => "parse failed");
    expect(failure).not.toBe("parsed");
    expect(server.requests[0]).toMatchObject({ status: 200, faults: ["truncate"], handled: true });
  });

  it("html answers a proxy's error page", async () => {
    server.faults.inject({ route: "token", kind: "html" });
    const res = await get("/token");
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toBe("text/html");
    const body = await res.text();
    expect(body).toContain("<html>");
    expect(body).toContain("502 Bad Gateway");
    expect(() => JSON.parse(body)).toThrow();
    server.faults.inject({ route: "token", kind: "html", status: 504 });
    expect((await get("/token")).status).toBe(504);
  });

  it("body replaces the handler's body, keeping its status unless given", async () => {
    server.faults.inject({ route: "token", kind: "body", body: { token_type: "Bearer" } });
    const res = await get("/token");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ token_type: "Bearer" });
    expect(calls["token"]).toBe(1);
    server.faults.inject({ route: "token", kind: "body", body: '{"token": "abc"', status: 201 });
    const broken = await get("/token");
    expect(broken.status).toBe(201);
    expect(broken.headers.get("content-type")).toBe("application/json");
    expect(await broken.text()).toBe('{"token": "abc"');
  });

  it("clock-skew shifts request.now()", async () => {
    server.faults.inject({ route: "clock", kind: "clock-skew", skewMs: -3_600_000 });
    const skewed = (await (await get("/clock")).json()) as { now: number };
    expect(Math.abs(skewed.now - (Date.now() - 3_600_000))).toBeLessThan(2000);
    const normal = (await (await get("/clock")).json()) as { now: number };
    expect(Math.abs(normal.now - Date.now())).toBeLessThan(2000);
    expect(server.requests.map((e) => e.faults)).toEqual([["clock-skew"], []]);
  });

  it("counts times, targets routes and methods, cancels and clears", async () => {
    const twice = server.faults.inject({ route: "token", kind: "status", status: 503, times: 2 });
    expect((await get("/clock")).status).toBe(200); // another route: untouched
    expect((await get("/token")).status).toBe(503);
    expect(twice.remaining).toBe(1);
    expect((await get("/token")).status).toBe(503);
    expect(twice.remaining).toBe(0);
    expect((await get("/token")).status).toBe(200);

    const forever = server.faults.inject({ kind: "status", status: 500, times: Number.POSITIVE_INFINITY, method: "DELETE" });
    expect((await get("/token")).status).toBe(200); // GET: not matched
    for (let i = 0; i < 3; i++) expect((await get("/empty", { method: "DELETE" })).status).toBe(500);
    expect(forever.remaining).toBe(Number.POSITIVE_INFINITY);
    forever.cancel();
    expect((await get("/empty", { method: "DELETE" })).status).toBe(204);

    server.faults.inject({ kind: "status", status: 503 });
    server.faults.inject({ kind: "status", status: 429 });
    expect(server.faults.active).toHaveLength(2);
    expect((await get("/token")).status).toBe(503); // oldest first
    server.faults.clear();
    expect(server.faults.active).toHaveLength(0);
    expect((await get("/token")).status).toBe(200);

    expect(() => server.faults.inject({ kind: "status", status: 503, times: 0 })).toThrow();
    expect(() => server.faults.inject({ kind: "latency", delayMs: -1 })).toThrow();
  });
});

describe("close", () => {
  it("ends keep-alive connections and resolves fast, idempotently", async () => {
    expect((await get("/token")).status).toBe(200); // leaves a pooled keep-alive connection
    const idle = connect(server.port, "127.0.0.1");
    await new Promise((resolve) => idle.once("connect", resolve));
    const closedSocket = new Promise((resolve) => idle.once("close", resolve));
    const started = performance.now();
    await server.close();
    await server.close();
    expect(performance.now() - started).toBeLessThan(500);
    await closedSocket;
    await expect(fetch(`${server.url}/token`)).rejects.toThrow();
  });

  it("does not wait for an injected delay", async () => {
    server.faults.inject({ kind: "latency", delayMs: 60_000 });
    const pending = get("/token").catch(() => "failed");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await pending).toBe("failed");
    expect(calls["token"]).toBeUndefined();
  });
});

describe("createTokenSigner", () => {
  for (const alg of ["RS256", "ES256"] as const) {
    it(`${alg}: tokens verify against its JWKS`, async () => {
      const signer = await createTokenSigner({ alg, issuer: "https://issuer.test/" });
      const jwks = signer.jwks();
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({ kid: signer.kid, alg, use: "sig" });
      expect(jwks.keys[0]).not.toHaveProperty("d");
      const token = await signer.sign({ sub: "user", exp: Math.floor(Date.now() / 1000) + 60 });
      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: "https://issuer.test/", algorithms: [alg] });
      expect(payload.sub).toBe("user");
      expect(typeof payload.iat).toBe("number");
      expect(protectedHeader).toMatchObject({ alg, kid: signer.kid, typ: "JWT" });
    });
  }

  it("keeps given iat, lets the header override kid but never alg", async () => {
    const signer = await createTokenSigner({ kid: "k1" });
    expect(signer.kid).toBe("k1");
    const token = await signer.sign({ iat: 1000, exp: 2000 }, { kid: "unknown", alg: "none" });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "RS256", kid: "unknown" });
    await expect(jwtVerify(token, createLocalJWKSet(signer.jwks()))).rejects.toThrow();
    const old = await signer.sign({ iat: 1000, exp: 2000 });
    const { payload } = await jwtVerify(old, createLocalJWKSet(signer.jwks()), { currentDate: new Date(1500_000) });
    expect(payload.iat).toBe(1000);
  });
});

/** Polls until the condition holds (log entries are written as the server finishes). */
async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
