// Node builtins loaded on first use rather than on import. node:crypto costs ~3 ms to load here (it
// pulls in Node's stream modules), node:fs/promises and node:os ~1 ms together: over a third of a
// provider package's cold import, paid even by runs that sign or read nothing (the CLI's --help,
// scope helpers, a token served from memory). Node keeps one instance of each builtin; the memos
// below only spare the lookup on hot paths.
import { createRequire } from "node:module";

export type NodeCrypto = typeof import("node:crypto");
export type NodeFs = typeof import("node:fs/promises");
export type NodeOs = typeof import("node:os");

let crypto: NodeCrypto | undefined;
let fs: NodeFs | undefined;
let os: NodeOs | undefined;

function load<T>(id: string): T {
  return createRequire(import.meta.url)(id) as T;
}

/** `node:crypto`. */
export function nodeCrypto(): NodeCrypto {
  crypto ??= load<NodeCrypto>("node:crypto");
  return crypto;
}

/** `node:fs/promises`. */
export function nodeFs(): NodeFs {
  fs ??= load<NodeFs>("node:fs/promises");
  return fs;
}

/** `node:os`. */
export function nodeOs(): NodeOs {
  os ??= load<NodeOs>("node:os");
  return os;
}
