export { EXPIRY_MARGIN_MS, type ExpiryCheckOptions, expiredOnArrival, refuseExpiredOnArrival } from "./expiry.js";
export { acquireFileLock, type FileLockOptions, type HeldFileLock, type LockOwner, withFileLock } from "./file-lock.js";
export { FileTokenStore, type FileTokenStoreOptions } from "./file-store.js";
export { MemoryTokenStore } from "./memory-store.js";
export { deserializeToken, serializeToken } from "./serialize.js";
export { type GetTokenOptions, isUnauthorized, TokenManager, type TokenManagerOptions, type WithTokenOptions } from "./token-manager.js";
export type { CallOptions, StoreEvent, TokenSource, TokenStore } from "./types.js";
