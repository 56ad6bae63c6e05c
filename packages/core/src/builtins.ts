// Node builtins loaded on first use rather than on import. node:crypto costs ~3 ms to load here (it
// pulls in Node's stream modules), node:fs/promises and node:os ~1 ms together: over a third of a
// provider package's cold import (so does importing node:fs: its ES module facade), paid even by runs that sign or read nothing (the CLI's --help,
// scope helpers, a token served from memory). Node keeps one instance of each builtin; the memos
// below only spare the lookup on hot paths.
import { createRequire } from "node:module";

export type NodeCrypto = typeof import("node:crypto");
export type NodeFs = typeof import("node:fs/promises");
export type NodeFsSync = typeof import("node:fs");
export type NodeOs = typeof import("node:os");

/** A getter that loads builtin `id` on its first call and returns the same module afterwards. */
function lazyBuiltin<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= createRequire(import.meta.url)(id) as T;
    return loaded;
  };
}

/** `node:crypto`. */
export const nodeCrypto: () => NodeCrypto = lazyBuiltin("node:crypto");

/** `node:fs/promises`. */
export const nodeFs: () => NodeFs = lazyBuiltin("node:fs/promises");

/**
 * `node:fs`, for the few synchronous reads (key files named in a client's options). Its ES module
 * facade costs ~1.5 ms to build on import; required on first use, it costs nothing extra.
 */
export const nodeFsSync: () => NodeFsSync = lazyBuiltin("node:fs");

/** `node:os`. */
export const nodeOs: () => NodeOs = lazyBuiltin("node:os");
