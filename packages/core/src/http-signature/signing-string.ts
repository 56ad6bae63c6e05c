// The signing string of draft-cavage-http-signatures (section 2.3), as OCI and Intersight build it.
import { TokenmintError } from "../errors.js";
import type { SignableRequest, SigningStringParams } from "./types.js";

/** Looks a header up by name in any case; header maps from callers are not normalised. */
export function findHeader(headers: Readonly<Record<string, string>>, lowerName: string): string | undefined {
  const direct = headers[lowerName];
  if (direct !== undefined) return direct;
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === lowerName) return headers[name];
  }
  return undefined;
}

function toUrl(url: string | URL): URL {
  if (url instanceof URL) return url;
  try {
    return new URL(url);
  } catch {
    throw new TokenmintError("configuration", "cannot sign a request whose URL is not absolute");
  }
}

/**
 * `(request-target)`: the lowercase method, a space, then path and query as the URL serialises them.
 * WHATWG serialisation is what fetch puts on the wire, so percent-encoding given by the caller is kept.
 */
export function requestTarget(method: string, url: URL): string {
  return `${method.toLowerCase()} ${url.pathname}${url.search}`;
}

function pseudoValue(name: string, value: number | string | undefined): string {
  if (value === undefined) throw new TokenmintError("configuration", `the ${name} component needs a value`);
  return String(value);
}

/**
 * Builds the string that is signed: one `name: value` line per component, joined with `\n`, no
 * trailing newline. `host` falls back to the URL's host (with the port only when it is not the default).
 *
 * @example
 * buildSigningString({ method: "GET", url: "https://h.example/a?b=1", headers: { Date: d } }, ["date", "(request-target)", "host"]);
 * // "date: <d>\n(request-target): get /a?b=1\nhost: h.example"
 */
export function buildSigningString(request: SignableRequest, components: readonly string[], params: SigningStringParams = {}): string {
  let url: URL | undefined;
  const lines: string[] = new Array(components.length);
  for (let i = 0; i < components.length; i++) {
    const name = (components[i] as string).toLowerCase();
    let value: string | undefined;
    if (name === "(request-target)") {
      url ??= toUrl(request.url);
      value = requestTarget(request.method, url);
    } else if (name === "(created)") {
      value = pseudoValue(name, params.created);
    } else if (name === "(expires)") {
      value = pseudoValue(name, params.expires);
    } else if (name.startsWith("(")) {
      throw new TokenmintError("configuration", `unsupported signature component ${JSON.stringify(name)}`);
    } else {
      value = findHeader(request.headers, name);
      if (value === undefined && name === "host") {
        url ??= toUrl(request.url);
        value = url.host;
      }
      if (value === undefined) throw new TokenmintError("configuration", `the request has no ${JSON.stringify(name)} header to sign`);
      // Draft section 2.3: values are used with surrounding whitespace removed.
      value = value.trim();
    }
    lines[i] = `${name}: ${value}`;
  }
  return lines.join("\n");
}
