// Turns node:http's IncomingMessage plus its read body into what handlers see.
import type { IncomingMessage } from "node:http";
import { EmulatorHttpError } from "./responses.js";
import type { EmulatorRequest } from "./types.js";

/** Reads the whole body. Past `maxBytes` it keeps draining (so the client can read our 413) but keeps nothing. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  return size > maxBytes ? "too-large" : Buffer.concat(chunks, size);
}

/** Lowercase names, repeats joined with ", ": rebuilt from rawHeaders because node drops some repeats. */
export function joinHeaders(rawHeaders: readonly string[]): Record<string, string> {
  // A Map, then fromEntries: a header named "__proto__" must stay a plain key.
  const headers = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return Object.fromEntries(headers);
}

export interface RequestParts {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly params: Record<string, string>;
  readonly routeName: string;
  readonly now: () => number;
}

export function createEmulatorRequest(parts: RequestParts): EmulatorRequest {
  const { req, url, body, now } = parts;
  const text = () => body.toString("utf8");
  return {
    method: (req.method ?? "GET").toUpperCase(),
    url,
    rawUrl: req.url ?? "/",
    path: url.pathname,
    params: parts.params,
    query: url.searchParams,
    headers: parts.headers,
    rawHeaders: req.rawHeaders,
    body,
    remoteAddress: req.socket.remoteAddress ?? "",
    routeName: parts.routeName,
    text,
    json() {
      try {
        return JSON.parse(text()) as unknown;
      } catch {
        throw new EmulatorHttpError(400, { code: "InvalidJson", message: "the request body is not valid JSON" });
      }
    },
    form: () => new URLSearchParams(text()),
    now,
  };
}
