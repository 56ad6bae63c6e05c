// Matches a method and path against the routes, in order. Patterns are compiled once.
import { TokenmintError } from "../errors.js";
import type { Route } from "./types.js";

type Segment = { readonly literal: string } | { readonly param: string };

interface CompiledRoute {
  readonly route: Route;
  readonly method: string;
  readonly segments: readonly Segment[];
  /** Name of the trailing `*rest` wildcard, if any. */
  readonly rest: string | undefined;
}

export type RouteResult =
  | { readonly kind: "match"; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: "method-not-allowed"; readonly allow: readonly string[] }
  | { readonly kind: "not-found" }
  | { readonly kind: "bad-path" };

export interface Router {
  match(method: string, path: string): RouteResult;
}

function compile(route: Route): CompiledRoute {
  const bad = (why: string) => new TokenmintError("configuration", `emulator route ${JSON.stringify(route.name)}: ${why}`);
  if (typeof route.path !== "string" || !route.path.startsWith("/")) throw bad("path must start with /");
  if (typeof route.handler !== "function") throw bad("handler must be a function");
  const parts = route.path.slice(1).split("/");
  const segments: Segment[] = [];
  const names = new Set<string>();
  let rest: string | undefined;
  parts.forEach((part, index) => {
    const name = part.startsWith(":") || part.startsWith("*") ? part.slice(1) : undefined;
    if (name === undefined) {
      segments.push({ literal: part });
      return;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw bad(`bad parameter name in ${JSON.stringify(part)}`);
    if (names.has(name)) throw bad(`parameter ${name} appears twice`);
    names.add(name);
    if (part.startsWith("*")) {
      if (index !== parts.length - 1) throw bad("a *wildcard must be the last segment");
      rest = name;
    } else {
      segments.push({ param: name });
    }
  });
  return { route, method: route.method.toUpperCase(), segments, rest };
}

/** Matches path segments; returns the raw (still encoded) parameters, or undefined. */
function matchPath(compiled: CompiledRoute, parts: readonly string[]): Record<string, string> | undefined {
  const { segments, rest } = compiled;
  if (rest === undefined ? parts.length !== segments.length : parts.length < segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as Segment;
    const part = parts[i] as string;
    if ("literal" in segment) {
      if (segment.literal !== part) return undefined;
    } else {
      if (part.length === 0) return undefined;
      params[segment.param] = part;
    }
  }
  if (rest !== undefined) params[rest] = parts.slice(segments.length).join("/");
  return params;
}

function decodeParams(raw: Record<string, string>): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  try {
    for (const [name, value] of Object.entries(raw)) params[name] = value.split("/").map(decodeURIComponent).join("/");
  } catch {
    return undefined;
  }
  return params;
}

/** Compiles the routes; a bad pattern throws `configuration`. */
export function createRouter(routes: readonly Route[]): Router {
  const names = new Set<string>();
  for (const route of routes) {
    if (names.has(route.name)) throw new TokenmintError("configuration", `emulator route name ${JSON.stringify(route.name)} is used twice`);
    names.add(route.name);
  }
  const compiled = routes.map(compile);
  return {
    match(method, path) {
      const parts = path.slice(1).split("/");
      const upper = method.toUpperCase();
      const allow: string[] = [];
      for (const candidate of compiled) {
        const raw = matchPath(candidate, parts);
        if (raw === undefined) continue;
        if (candidate.method !== "*" && candidate.method !== upper) {
          if (!allow.includes(candidate.method)) allow.push(candidate.method);
          continue;
        }
        const params = decodeParams(raw);
        return params === undefined ? { kind: "bad-path" } : { kind: "match", route: candidate.route, params };
      }
      return allow.length > 0 ? { kind: "method-not-allowed", allow } : { kind: "not-found" };
    },
  };
}
