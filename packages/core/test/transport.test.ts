import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEmulatorServer, type EmulatorServer, json } from "../src/emulator/index.js";
import { createErrorMapper, HttpTransport, TokenmintError } from "../src/index.js";

let server: EmulatorServer;
// Handler runs of the POST route (a delayed GET handler from an aborted test may still run later).
let calls = 0;

beforeAll(async () => {
  server = await createEmulatorServer({
    name: "transport-test",
    routes: [
      { name: "ok", method: "GET", path: "/ok", handler: () => { return json(200, { hello: "world" }, { "opc-request-id": "req-123" }); } },
      { name: "post", method: "POST", path: "/post", handler: (req) => { calls++; return json(201, { echo: req.text(), auth: req.headers["authorization"] ?? null }); } },
      { name: "big", method: "GET", path: "/big", handler: () => json(200, { data: "x".repeat(10_000) }) },
      { name: "redirect", method: "GET", path: "/redirect", handler: () => ({ status: 302, headers: { location: "/ok" } }) },
      { name: "notjson", method: "GET", path: "/notjson", handler: () => ({ status: 200, headers: { "content-type": "text/plain" }, body: "hello" }) },
      { name: "err", method: "GET", path: "/err", handler: () => json(401, { code: "NotAuthenticated", message: "The required information to complete authentication was not provided." }, { "opc-request-id": "req-401" }) },
    ],
  });
});
afterAll(async () => server.close());
let baseline = new Map<string, number>();
afterEach(() => {
  server.faults.clear();
  calls = 0;
});
beforeEach(() => {
  baseline = new Map(["ok", "post"].map((r) => [r, server.count(r)]));
});
/** Requests a route received during the current test (the server's log spans the whole file). */
const count = (route: string) => server.count(route) - (baseline.get(route) ?? 0);

const fast = { baseDelayMs: 1, maxDelayMs: 5 };

function transport(extra: Partial<ConstructorParameters<typeof HttpTransport>[0]> = {}) {
  return new HttpTransport({ provider: "test", requestIdHeaders: ["opc-request-id"], retry: fast, ...extra });
}

async function failure(p: Promise<unknown>): Promise<TokenmintError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenmintError);
    return error as TokenmintError;
  }
  throw new Error("expected a failure");
}

describe("HttpTransport", () => {
  it("returns the body and captures the request id", async () => {
    const res = await transport().send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ hello: "world" });
    expect(res.requestId).toBe("req-123");
    expect(res.attempts).toBe(1);
  });

  it("runs the sign hook on every attempt with a fresh header set", async () => {
    server.faults.inject({ route: "post", kind: "status", status: 503, times: 2 });
    const seen: number[] = [];
    const t = transport({
      sign: (req, { attempt }) => {
        seen.push(attempt);
        expect(req.headers["authorization"]).toBeUndefined();
        req.headers["authorization"] = `Sig attempt=${attempt}`;
      },
    });
    const res = await t.send({ method: "POST", url: `${server.url}/post`, body: "abc", headers: { "Content-Type": "text/plain" } }, { retrySafe: true });
    expect(res.json()).toEqual({ echo: "abc", auth: "Sig attempt=3" });
    expect(seen).toEqual([1, 2, 3]);
  });

  it("retries 5xx on safe operations and stops at maxAttempts", async () => {
    server.faults.inject({ route: "ok", kind: "status", status: 500, times: Number.POSITIVE_INFINITY });
    const err = await failure(transport({ retry: { ...fast, maxAttempts: 3 } }).send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true }));
    expect(err.code).toBe("provider_unavailable");
    expect(count("ok")).toBe(3);
  });

  it("lets one call override the retry policy", async () => {
    server.faults.inject({ route: "ok", kind: "status", status: 503, times: Number.POSITIVE_INFINITY });
    const err = await failure(transport({ retry: { ...fast, maxAttempts: 5 } }).send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true, retry: { maxAttempts: 2 } }));
    expect(err.code).toBe("provider_unavailable");
    expect(count("ok")).toBe(2);
  });

  it("says no request was sent when the deadline passed before the first attempt", async () => {
    const err = await failure(transport().send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true, deadline: Date.now() - 1 }));
    expect(err.code).toBe("timeout");
    expect(err.details?.["requestSent"]).toBe(false);
    expect(count("ok")).toBe(0);
  });

  it("never repeats an unsafe operation after a 5xx", async () => {
    server.faults.inject({ route: "post", kind: "status", status: 502, times: 1 });
    const err = await failure(transport().send({ method: "POST", url: `${server.url}/post`, body: "{}" }, { retrySafe: false }));
    expect(err.code).toBe("provider_unavailable");
    expect(count("post")).toBe(1);
  });

  it("honours Retry-After in seconds and as an HTTP date", async () => {
    server.faults.inject({ route: "ok", kind: "status", status: 429, retryAfter: 1 });
    let started = Date.now();
    await transport().send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    server.faults.inject({ route: "ok", kind: "status", status: 429, retryAfter: new Date(Date.now() + 2000).toUTCString() });
    started = Date.now();
    await transport().send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true });
    // An HTTP date has one-second resolution.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("retries a 429 even for an unsafe operation (the server did nothing)", async () => {
    server.faults.inject({ route: "post", kind: "status", status: 429, retryAfter: 0 });
    const res = await transport().send({ method: "POST", url: `${server.url}/post`, body: "x" }, { retrySafe: false });
    expect(res.status).toBe(201);
    expect(count("post")).toBe(2);
  });

  it("gives up at once when Retry-After is beyond the deadline", async () => {
    server.faults.inject({ route: "ok", kind: "status", status: 429, retryAfter: 30 });
    const started = Date.now();
    const err = await failure(transport().send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true, deadline: Date.now() + 2000 }));
    expect(err.code).toBe("rate_limited");
    expect(err.retryAfterMs).toBeGreaterThan(29_000);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("times out a slow attempt and retries it", async () => {
    server.faults.inject({ route: "ok", kind: "latency", delayMs: 1000, times: 1 });
    const res = await transport({ attemptTimeoutMs: 150 }).send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true });
    expect(res.attempts).toBe(2);
  });

  it("honours the overall deadline within 50 ms", async () => {
    server.faults.inject({ route: "ok", kind: "latency", delayMs: 5000, times: Number.POSITIVE_INFINITY });
    const started = Date.now();
    const err = await failure(transport({ attemptTimeoutMs: 10_000 }).send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true, deadline: started + 300 }));
    const took = Date.now() - started;
    expect(err.code).toBe("timeout");
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(350);
  });

  it("stops at once when the caller aborts, also during a backoff", async () => {
    server.faults.inject({ route: "ok", kind: "latency", delayMs: 5000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    let started = Date.now();
    let err = await failure(transport().send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true, signal: ac.signal }));
    expect(err.code).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(400);

    server.faults.clear();
    server.faults.inject({ route: "ok", kind: "status", status: 503, retryAfter: 10 });
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 200);
    started = Date.now();
    err = await failure(transport().send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true, signal: ac2.signal }));
    expect(err.code).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(600);
  });

  it("treats a reset after sending as ambiguous: retried only when safe", async () => {
    server.faults.inject({ route: "post", kind: "reset-after" });
    const err = await failure(transport().send({ method: "POST", url: `${server.url}/post`, body: "x" }, { retrySafe: false }));
    expect(err.code).toBe("network");
    expect(err.details?.["requestSent"]).toBe(true);
    expect(calls).toBe(1);

    server.faults.inject({ route: "post", kind: "reset-before" });
    const res = await transport().send({ method: "POST", url: `${server.url}/post`, body: "x" }, { retrySafe: true });
    expect(res.status).toBe(201);
  });

  it("says whether an earlier attempt may have been processed (what a 404 to a repeated DELETE means)", async () => {
    const get = () => transport().send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true });
    expect(await get()).toMatchObject({ attempts: 1, earlierAttemptMayHaveApplied: false });
    // A 429 is refused before processing: the answer that follows describes a state nobody changed.
    server.faults.inject({ route: "ok", kind: "status", status: 429, retryAfter: 0 });
    const after429 = await get();
    expect(after429).toMatchObject({ attempts: 2, earlierAttemptMayHaveApplied: false });
    expect(after429.json()).toEqual({ hello: "world" });
    for (const fault of [{ kind: "status", status: 503 }, { kind: "reset-after" }, { kind: "reset-before" }] as const) {
      server.faults.inject({ route: "ok", ...fault });
      const res = await get();
      expect(res, fault.kind).toMatchObject({ attempts: 2, earlierAttemptMayHaveApplied: true });
      expect(res.text()).toContain("world");
    }
  });

  it("retries a refused connection even for unsafe operations, within maxAttempts", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => (closed as Server).close(() => r()));
    const err = await failure(transport({ retry: { ...fast, maxAttempts: 3 } }).send({ method: "POST", url: `http://127.0.0.1:${port}/x`, body: "x" }, { retrySafe: false }));
    expect(err.code).toBe("network");
    expect(err.details?.["requestSent"]).toBe(false);
  });

  it("turns bodies that are cut, not JSON, HTML or too large into canonical errors", async () => {
    server.faults.inject({ route: "ok", kind: "truncate", times: Number.POSITIVE_INFINITY });
    let err = await failure(transport({ retry: { ...fast, maxAttempts: 2 } }).send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true }));
    expect(err.code).toBe("invalid_response");
    server.faults.clear();

    const res = await transport().send({ method: "GET", url: `${server.url}/notjson` }, { retrySafe: true });
    err = await failure(Promise.resolve().then(() => res.json()));
    expect(err.code).toBe("invalid_response");
    expect(err.message).toContain("text/plain");

    server.faults.inject({ route: "ok", kind: "html", status: 502, times: Number.POSITIVE_INFINITY });
    err = await failure(transport({ retry: { ...fast, maxAttempts: 2 } }).send({ method: "GET", url: `${server.url}/ok` }, { retrySafe: true }));
    expect(err.code).toBe("provider_unavailable");
    expect(err.status).toBe(502);
    server.faults.clear();

    err = await failure(transport({ maxResponseBytes: 1000 }).send({ method: "GET", url: `${server.url}/big` }, { retrySafe: true }));
    expect(err.code).toBe("invalid_response");
    expect(err.message).toContain("larger than 1000 bytes");
  });

  it("does not follow redirects with credentials", async () => {
    const err = await failure(transport().send({ method: "GET", url: `${server.url}/redirect` }, { retrySafe: true }));
    expect(err.status).toBe(302);
    expect(count("ok")).toBe(0);
  });

  it("maps provider error bodies through the generated error table", async () => {
    const mapper = createErrorMapper({
      provider: "test",
      table: [{ status: 401, providerCode: "NotAuthenticated", code: "invalid_credentials", hint: "check the clock and the key fingerprint" }],
      extract: (body) => {
        const b = body as { code?: unknown; message?: unknown };
        return typeof b?.code === "string" ? { code: b.code, message: typeof b.message === "string" ? b.message : undefined } : undefined;
      },
      unknownShape: "invalid_response",
    });
    const err = await failure(transport({ errorFromResponse: mapper }).send({ method: "GET", url: `${server.url}/err` }, { retrySafe: true }));
    expect(err.code).toBe("invalid_credentials");
    expect(err.providerCode).toBe("NotAuthenticated");
    expect(err.requestId).toBe("req-401");
    expect(err.hint).toContain("clock");
    expect(err.status).toBe(401);
  });
});
