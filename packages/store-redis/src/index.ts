// @tokenmint/store-redis: a fleet-wide token cache on Redis for @tokenmint/core's TokenManager.
export { fastReconnect, type RedisClient, type RedisConnection } from "./client.js";
export { type EncryptionKeyInput, generateEncryptionKey } from "./encryption-key.js";
export { DEFAULT_PREFIX, entryNames, type EntryNames } from "./naming.js";
export { RedisTokenStore, type RedisTokenStoreOptions } from "./store.js";
