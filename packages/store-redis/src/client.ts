// Which Redis the store talks to: a URL, ioredis options (single node or Sentinel), or a client the
// caller built (Redis, Cluster, Sentinel), which the store then never closes.
import { Cluster, Redis, type RedisOptions } from "ioredis";

export type RedisClient = Redis | Cluster;

/** How to reach Redis. */
export type RedisConnection = string | RedisOptions | RedisClient;

export interface OwnedClient {
  readonly client: RedisClient;
  /** Whether the store created the client (and so closes it); its commands then time out by themselves (ioredis `commandTimeout`). */
  readonly owned: boolean;
  /** Password given in the URL or options, to scrub from logged error messages. */
  readonly password: string | undefined;
}

/**
 * Reconnect quickly after an outage (50 ms doubling to 1 s), so the shared cache comes back within a
 * second of Redis: a reconnect attempt costs one loopback or LAN round trip.
 */
export const fastReconnect = (times: number): number => Math.min(50 * 2 ** Math.min(times, 5), 1000);

export function openClient(connection: RedisConnection, commandTimeoutMs: number): OwnedClient {
  if (typeof connection === "string" || !isClient(connection)) {
    // The store's command timeout wins over one in the options: it is what keeps getToken() from hanging.
    const options: RedisOptions = { retryStrategy: fastReconnect, maxRetriesPerRequest: 1, connectionName: "tokenmint-store", ...(typeof connection === "string" ? {} : connection), commandTimeout: commandTimeoutMs };
    const client = typeof connection === "string" ? new Redis(connection, options) : new Redis(options);
    return { client, owned: true, password: nonEmpty(client.options.password) };
  }
  const password = connection instanceof Cluster ? connection.options.redisOptions?.password : connection.options.password;
  return { client: connection, owned: false, password: nonEmpty(password) };
}

function isClient(value: RedisOptions | RedisClient): value is RedisClient {
  return typeof (value as RedisClient).duplicate === "function" && typeof (value as RedisClient).getBuffer === "function";
}

/** A second connection to the same Redis (pub/sub needs one of its own). */
export function duplicateClient(client: RedisClient): RedisClient {
  return client instanceof Cluster ? client.duplicate() : client.duplicate();
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
