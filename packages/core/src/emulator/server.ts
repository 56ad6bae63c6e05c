// The emulator HTTP server: a real loopback listener, routing, faults, and the request log.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TokenmintError } from "../errors.js";
import { createFaultQueue } from "./faults.js";
import { createEmulatorRequest, joinHeaders, readBody } from "./request.js";
import { htmlFaultResponse, resetConnection, send, sendTruncated, statusFaultResponse, toWire, type WireResponse } from "./respond.js";
import { EmulatorHttpError, json } from "./responses.js";
import { createRouter } from "./router.js";
import type { EmulatorResponse, EmulatorServer, EmulatorServerOptions, FaultKind, RequestLogEntry } from "./types.js";

const DEFAULT_MAX_BODY = 1024 * 1024;

/** Waits `ms`; resolves false at once when the server closes, so no timer outlives it. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function describeThrow(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : "non-Error thrown";
}

/**
 * Starts an emulator on a loopback port. Handlers get fully read requests; faults injected through
 * `server.faults` change the next matching answers; every request is logged.
 *
 * @example
 * const server = await createEmulatorServer({ name: "oci", routes: [{ name: "token", method: "POST", path: "/v1/token", handler: () => json(200, { token }) }] });
 * server.faults.inject({ route: "token", kind: "status", status: 429, retryAfter: 1 });
 * await fetch(`${server.url}/v1/token`, { method: "POST" }); // 429, then 200 on the next call
 * await server.close();
 */
export async function createEmulatorServer(options: EmulatorServerOptions): Promise<EmulatorServer> {
  const router = createRouter(options.routes);
  const faults = createFaultQueue();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const clock = options.now ?? Date.now;
  const log: RequestLogEntry[] = [];
  const closing = new AbortController();
  const host = options.host ?? "127.0.0.1";

  function record(entry: RequestLogEntry): void {
    log.push(entry);
    try {
      options.onRequest?.(entry);
    } catch {
      // An observer's bug must not take the emulator down.
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? "GET").toUpperCase();
    let path = "/";
    let route: string | undefined;
    let handled = false;
    let error: string | undefined;
    const kinds: FaultKind[] = [];
    const finish = (status: number) => record({ method, path, status, route, time: started, durationMs: Date.now() - started, faults: kinds, handled, error });
    const answer = (response: EmulatorResponse, truncate = false) => {
      let encoded: WireResponse;
      try {
        encoded = toWire(response);
      } catch (thrown) {
        // A handler can answer badly too: a status out of range, a body JSON cannot encode.
        error = describeThrow(thrown);
        encoded = toWire(json(500, { code: "InternalError", message: "the emulator handler answered badly" }));
      }
      finish(encoded.status);
      if (truncate) sendTruncated(res, encoded);
      else send(res, encoded);
    };
    const run = async (fn: () => EmulatorResponse | Promise<EmulatorResponse>): Promise<EmulatorResponse> => {
      try {
        return await fn();
      } catch (thrown) {
        if (thrown instanceof EmulatorHttpError) return thrown.toResponse();
        error = describeThrow(thrown);
        return json(500, { code: "InternalError", message: "the emulator handler failed" });
      }
    };

    let body: Buffer | "too-large";
    try {
      body = await readBody(req, maxBodyBytes);
    } catch {
      error = "the client went away while sending the body";
      return finish(0);
    }
    let url: URL;
    try {
      url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    } catch {
      return answer(json(400, { code: "BadRequest", message: "the request target is not a valid URL" }));
    }
    path = url.pathname;
    if (body === "too-large") return answer(json(413, { code: "PayloadTooLarge", message: `request bodies are limited to ${maxBodyBytes} bytes` }, { connection: "close" }));

    const headers = joinHeaders(req.rawHeaders);
    const result = router.match(method, path);
    if (result.kind === "bad-path") return answer(json(400, { code: "BadRequest", message: "malformed percent-encoding in the path" }));
    if (result.kind === "method-not-allowed") {
      return answer(json(405, { code: "MethodNotAllowed", message: `${method} is not allowed on ${path}` }, { allow: result.allow.join(", ") }));
    }
    if (result.kind === "not-found") {
      const notFound = options.notFound;
      if (notFound === undefined) return answer(json(404, { code: "NotFound", message: `no route for ${method} ${path}` }));
      const request = createEmulatorRequest({ req, url, headers, body, params: {}, routeName: "", now: clock });
      return answer(await run(() => notFound(request)));
    }

    route = result.route.name;
    const applied = faults.take(route, method);
    const skewMs = applied.skewMs;
    const request = createEmulatorRequest({ req, url, headers, body, params: result.params, routeName: route, now: () => clock() + skewMs });
    if (applied.kinds.includes("clock-skew")) kinds.push("clock-skew");
    if (applied.kinds.includes("latency")) {
      kinds.push("latency");
      if (!(await sleep(applied.delayMs, closing.signal))) {
        error = "the server closed during an injected delay";
        return finish(0);
      }
    }

    const outcome = applied.outcome;
    if (outcome !== undefined) kinds.push(outcome.kind);
    if (outcome?.kind === "reset-before") {
      finish(0);
      return resetConnection(res);
    }
    if (outcome?.kind === "status") return answer(statusFaultResponse(outcome));
    if (outcome?.kind === "html") return answer(htmlFaultResponse(outcome));

    handled = true;
    const handler = result.route.handler;
    const response = await run(() => handler(request));
    if (outcome?.kind === "reset-after") {
      finish(0);
      return resetConnection(res);
    }
    if (outcome?.kind === "body") return answer({ status: outcome.status ?? response.status, headers: response.headers, body: outcome.body });
    answer(response, outcome?.kind === "truncate");
  }

  const server = createServer((req, res) => {
    // A failed write to a socket we dropped on purpose is expected; never let it crash the process.
    res.on("error", () => {});
    req.on("error", () => {});
    handle(req, res).catch((thrown: unknown) => {
      record({ method: req.method ?? "", path: req.url ?? "", status: 0, route: undefined, time: Date.now(), durationMs: 0, faults: [], handled: false, error: describeThrow(thrown) });
      resetConnection(res);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  }).catch((thrown: unknown) => {
    throw new TokenmintError("configuration", `emulator ${options.name} cannot listen on ${host}:${options.port ?? 0}`, { cause: thrown });
  });

  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closed: Promise<void> | undefined;

  return {
    url,
    port,
    faults,
    get requests() {
      return [...log];
    },
    count(routeName) {
      return routeName === undefined ? log.length : log.filter((e) => e.route === routeName).length;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
