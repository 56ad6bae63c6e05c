// node:crypto, loaded on first use rather than on import. Loading it costs ~3 ms here (it pulls in
// Node's stream modules): over a third of a provider package's cold import, paid even by programs
// that sign nothing in that run (the CLI's --help, config and scope helpers, a cached token). Node
// caches builtins, so every call returns the same module.
import { createRequire } from "node:module";

export type NodeCrypto = typeof import("node:crypto");

let loaded: NodeCrypto | undefined;

/** The `node:crypto` module (Node's own singleton, remembered here so later calls cost a field read). */
export function nodeCrypto(): NodeCrypto {
  loaded ??= createRequire(import.meta.url)("node:crypto") as NodeCrypto;
  return loaded;
}
