export { FileTokenStore, type FileTokenStoreOptions } from "./file-store.js";
export { MemoryTokenStore } from "./memory-store.js";
export { deserializeToken, serializeToken } from "./serialize.js";
export { type GetTokenOptions, TokenManager, type TokenManagerOptions } from "./token-manager.js";
export type { CallOptions, TokenSource, TokenStore } from "./types.js";
