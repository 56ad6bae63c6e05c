// Shapes of the emulator kit: routes, requests and responses as handlers see them, faults, the log.

/** A request as a route handler sees it; the body is read in full before the handler runs. */
export interface EmulatorRequest {
  readonly method: string;
  /** The absolute URL (the Host header, or the server address, as origin). */
  readonly url: URL;
  /** The request target exactly as on the request line, for checks that need the raw form. */
  readonly rawUrl: string;
  readonly path: string;
  /** Route parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Lowercase names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** Names and values alternating, as received. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly remoteAddress: string;
  /** Name of the matched route; "" in the `notFound` handler. */
  readonly routeName: string;
  text(): string;
  /** Parses the body as JSON; a body that is not JSON answers 400 (throws {@link EmulatorHttpError}). */
  json(): unknown;
  form(): URLSearchParams;
  /** This request's clock in ms: the server clock plus any injected clock skew. */
  now(): number;
}

/** A handler's answer. An object body is sent as JSON. */
export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string> | undefined;
  body?: string | Buffer | object | undefined;
}

export interface Route {
  /** Used by fault targeting and the request log. */
  name: string;
  /** HTTP method, or `*` for any. */
  method: string;
  /** `/v1/stores/:storeId/tokens` with `:params`, matched exactly; a last segment `*rest` takes the remainder. */
  path: string;
  handler: (request: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;
}

interface FaultTarget {
  /** Route name; absent = every route. */
  route?: string | undefined;
  method?: string | undefined;
  /** Number of matching requests the fault applies to. Default 1; `Infinity` allowed. */
  times?: number | undefined;
}

/** Answer this status instead of running the handler. */
export interface StatusFault extends FaultTarget {
  kind: "status";
  status: number;
  body?: string | object | undefined;
  headers?: Record<string, string> | undefined;
  /** Seconds or an HTTP date, sent as Retry-After. */
  retryAfter?: number | string | undefined;
}
/** Delay the handler, and so the response headers. */
export interface LatencyFault extends FaultTarget {
  kind: "latency";
  delayMs: number;
}
/** Drop the connection after reading the request, before the handler: no side effects. */
export interface ResetBeforeFault extends FaultTarget {
  kind: "reset-before";
}
/** Run the handler (its side effects happen), then drop the connection without answering. */
export interface ResetAfterFault extends FaultTarget {
  kind: "reset-after";
}
/** Run the handler, announce the full Content-Length, send half the body, drop the connection. */
export interface TruncateFault extends FaultTarget {
  kind: "truncate";
}
/** Answer an HTML error page, as a proxy in front of the service would. */
export interface HtmlFault extends FaultTarget {
  kind: "html";
  /** Default 502. */
  status?: number | undefined;
}
/** Run the handler, then replace its body (and its status, when given). */
export interface BodyFault extends FaultTarget {
  kind: "body";
  body: string | object;
  status?: number | undefined;
}
/** Shift the request's clock (`request.now()`), so tokens come out with skewed iat/exp. */
export interface ClockSkewFault extends FaultTarget {
  kind: "clock-skew";
  skewMs: number;
}

export type Fault = StatusFault | LatencyFault | ResetBeforeFault | ResetAfterFault | TruncateFault | HtmlFault | BodyFault | ClockSkewFault;
export type FaultKind = Fault["kind"];

export interface FaultHandle {
  readonly fault: Readonly<Fault>;
  /** Requests still to be affected. */
  readonly remaining: number;
  cancel(): void;
}

export interface FaultController {
  /**
   * Applies a fault to the next `times` matching requests (requests that match a route: 404/405/413
   * answers take no faults). A request takes at most one latency and one clock-skew fault, plus the
   * oldest pending fault of any other kind.
   */
  inject(fault: Fault): FaultHandle;
  clear(): void;
  /** Faults with requests left to affect, oldest first. */
  readonly active: readonly FaultHandle[];
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  /** Status sent; 0 when the connection was dropped without an answer. */
  readonly status: number;
  /** Matched route, if any. */
  readonly route: string | undefined;
  /** Arrival time, ms since the epoch. */
  readonly time: number;
  readonly durationMs: number;
  /** Kinds of the faults applied, in the order they acted. */
  readonly faults: readonly FaultKind[];
  /** Whether the route handler ran. */
  readonly handled: boolean;
  /** What went wrong inside the emulator (a handler throw), if anything. */
  readonly error: string | undefined;
}

export interface EmulatorServerOptions {
  /** For messages and logs. */
  name: string;
  routes: readonly Route[];
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** Default 0: a free port. */
  port?: number | undefined;
  /** Larger request bodies get 413. Default 1 MiB. */
  maxBodyBytes?: number | undefined;
  /** Answer for paths no route matches. Default 404 `{"code":"NotFound","message":...}`. */
  notFound?: ((request: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>) | undefined;
  /** Called with every log entry as it is recorded. */
  onRequest?: ((entry: RequestLogEntry) => void) | undefined;
  /** Server clock in ms, for tests. Default Date.now. */
  now?: (() => number) | undefined;
}

export interface EmulatorServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly faults: FaultController;
  /** A snapshot of the request log, oldest first. */
  readonly requests: readonly RequestLogEntry[];
  /** Requests recorded, for one route or all. An entry is recorded as the answer (or reset) goes out. */
  count(routeName?: string): number;
  /** Ends every connection, keep-alive ones included, and stops listening. Idempotent. */
  close(): Promise<void>;
}
