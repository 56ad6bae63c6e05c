// Writing answers to the socket: whole, truncated, or not at all.
import { type ServerResponse, STATUS_CODES } from "node:http";
import type { EmulatorResponse, HtmlFault, StatusFault } from "./types.js";

export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const NO_BODY = new Set([204, 304]);

/** Lowercases header names (the last spelling wins), encodes the body, and fills in content-type. */
export function toWire(response: EmulatorResponse): WireResponse {
  const status = response.status;
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new TypeError(`handler answered an invalid status ${String(status)}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const raw = response.body;
  let body: Buffer;
  let type: string;
  if (raw === undefined || NO_BODY.has(status)) {
    body = Buffer.alloc(0);
    type = "";
  } else if (raw instanceof Uint8Array) {
    body = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    type = "application/octet-stream";
  } else if (typeof raw === "string") {
    body = Buffer.from(raw);
    type = "text/plain; charset=utf-8";
  } else {
    body = Buffer.from(JSON.stringify(raw));
    type = "application/json";
  }
  if (type !== "" && headers["content-type"] === undefined) headers["content-type"] = type;
  return { status, headers, body };
}

/** The answer of a `status` fault. */
export function statusFaultResponse(fault: StatusFault): EmulatorResponse {
  const headers: Record<string, string> = { ...fault.headers };
  if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
  const body = fault.body ?? { code: "InjectedFault", message: `injected status ${fault.status}` };
  return { status: fault.status, headers, body };
}

/** The answer of an `html` fault: what nginx in front of a dead upstream sends. */
export function htmlFaultResponse(fault: HtmlFault): EmulatorResponse {
  const status = fault.status ?? 502;
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return { status, headers: { "content-type": "text/html" }, body };
}

function writable(res: ServerResponse): boolean {
  return !res.destroyed && !res.writableEnded && res.socket !== null && !res.socket.destroyed;
}

export function send(res: ServerResponse, wire: WireResponse): void {
  if (!writable(res)) return;
  res.writeHead(wire.status, { ...wire.headers, "content-length": String(wire.body.length) });
  res.end(wire.body);
}

/** Announces the full length, sends half, then closes: the client's body read fails mid-way. */
export function sendTruncated(res: ServerResponse, wire: WireResponse): void {
  if (!writable(res)) return;
  res.writeHead(wire.status, { ...wire.headers, "content-length": String(wire.body.length) });
  res.flushHeaders();
  const half = wire.body.subarray(0, Math.floor(wire.body.length / 2));
  // destroy() only after the write is handed to the kernel, or the half body would be lost too.
  res.write(half, () => res.socket?.destroy());
}

/** Drops the connection without an answer. A TCP reset, where the platform allows it. */
export function resetConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (socket === null || socket.destroyed) return;
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
  else socket.destroy();
}
