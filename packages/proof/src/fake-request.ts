// An EmulatorRequest built in memory, exactly as the emulator kit builds one from a received request,
// so the emulators' own verifiers can check signatures thousands of times a second without a socket.
import type { EmulatorRequest } from "@tokenmint/core/emulator";

export interface WireRequest {
  readonly method: string;
  /** Absolute URL; its host is the Host header unless `headers.host` says otherwise. */
  readonly url: string;
  /** Header names in any case, as sent. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array | undefined;
  /** The server's clock (ms). Default Date.now. */
  readonly now?: (() => number) | undefined;
}

export function fakeEmulatorRequest(wire: WireRequest): EmulatorRequest {
  const url = new URL(wire.url);
  const headers: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries(wire.headers)) headers[name.toLowerCase()] = value;
  const body = wire.body === undefined ? Buffer.alloc(0) : Buffer.from(wire.body);
  const text = () => body.toString("utf8");
  return {
    method: wire.method.toUpperCase(),
    url,
    rawUrl: `${url.pathname}${url.search}`,
    path: url.pathname,
    params: {},
    query: url.searchParams,
    headers,
    rawHeaders: Object.entries(headers).flat(),
    body,
    remoteAddress: "127.0.0.1",
    routeName: "fuzz",
    text,
    json: () => JSON.parse(text()) as unknown,
    form: () => new URLSearchParams(text()),
    now: wire.now ?? Date.now,
  };
}
