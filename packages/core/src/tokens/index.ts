// @tokenmint/core/tokens: the token manager (single flight, proactive refresh, rejection), its stores
// and the cross-process file lock. The expiry rules it applies are on the main entry, with the clients.
export { acquireFileLock, type FileLockOptions, type HeldFileLock, type LockOwner, withFileLock } from "./file-lock.js";
export { FileTokenStore, type FileTokenStoreOptions } from "./file-store.js";
export { MemoryTokenStore } from "./memory-store.js";
export { deserializeToken, serializeToken } from "./serialize.js";
export { type GetTokenOptions, isUnauthorized, TokenManager, type TokenManagerOptions, type WithTokenOptions } from "./token-manager.js";
export type { CallOptions, StoreEvent, TokenSource, TokenStore } from "./types.js";
