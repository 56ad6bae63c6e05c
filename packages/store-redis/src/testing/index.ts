// @tokenmint/store-redis/testing: a throwaway loopback redis-server for tests and benchmarks.
export { freePort, type RedisServer, type RedisServerOptions, startRedisServer } from "./redis-server.js";
