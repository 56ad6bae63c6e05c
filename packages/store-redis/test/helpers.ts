import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { startRedisServer } from "../src/testing/index.js";

export interface TestRedis {
  readonly url: string;
  /** Stops the server if these tests started it. */
  stop(): Promise<void>;
}

/**
 * The Redis of the tests: `TOKENMINT_TEST_REDIS_URL` when set (.ci/run starts one), else a
 * redis-server these tests start. Without either, the tests fail and say how to get one.
 */
export async function testRedis(): Promise<TestRedis> {
  const url = process.env["TOKENMINT_TEST_REDIS_URL"];
  if (url !== undefined && url !== "") {
    await answers(url);
    return { url, stop: async () => {} };
  }
  const server = await startRedisServer();
  return { url: server.url, stop: () => server.stop() };
}

/** A key prefix of its own for each test, so tests sharing one Redis never see each other's keys. */
export function uniquePrefix(): string {
  return `tokenmint-test:${randomUUID().slice(0, 8)}:`;
}

/** Fails at once, and says which variable is wrong, when the given Redis does not answer. */
async function answers(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`TOKENMINT_TEST_REDIS_URL (${url}) does not answer PING: ${error instanceof Error ? error.message : String(error)}; unset it to let the tests start their own redis-server`);
  } finally {
    client.disconnect();
  }
}
