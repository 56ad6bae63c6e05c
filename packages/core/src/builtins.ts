// Node builtins reached through process.getBuiltinModule (Node >= 20.16), on first use, never imported
// by client code. node:crypto costs ~3 ms to load here (it pulls in Node's stream modules); and even a
// cheap builtin costs ~0.3 ms when imported as an ES module (the loader builds a facade module with all
// its exports), node:fs ~1.5 ms: together most of a provider's cold import, paid even by runs that sign
// or read nothing (the CLI's --help, scope helpers, a token served from memory). Node keeps one
// instance of each builtin; the memos below only spare the lookup on hot paths.

export type NodeCrypto = typeof import("node:crypto");
export type NodeFs = typeof import("node:fs/promises");
export type NodeFsSync = typeof import("node:fs");
export type NodeOs = typeof import("node:os");
export type NodePath = typeof import("node:path");

/** A getter that loads builtin `id` on its first call and returns the same module afterwards. */
function lazyBuiltin<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= process.getBuiltinModule(id) as T;
    return loaded;
  };
}

/** `node:crypto`. */
export const nodeCrypto: () => NodeCrypto = lazyBuiltin("node:crypto");

/** `node:fs/promises`. */
export const nodeFs: () => NodeFs = lazyBuiltin("node:fs/promises");

/** `node:fs`, for the few synchronous reads (key files named in a client's options). */
export const nodeFsSync: () => NodeFsSync = lazyBuiltin("node:fs");

/** `node:os`. */
export const nodeOs: () => NodeOs = lazyBuiltin("node:os");

/** `node:path`. */
export const nodePath: () => NodePath = lazyBuiltin("node:path");
