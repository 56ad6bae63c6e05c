// Whether Redis is usable right now, and the one warning per outage.
import { type Logger, TokenmintError } from "@tokenmint/core";

/** Connection states (ioredis's `status`) in which a command can only wait in the offline queue. */
const DOWN_STATES = new Set(["reconnecting", "close", "end"]);

export interface HealthOptions {
  logger: Logger;
  /** The client's connection state. */
  status: () => string;
  /** While in an outage on a connected client (a slow Redis), try one command this often. */
  probeIntervalMs: number;
  now: () => number;
  /** Text to remove from error messages before they are logged (e.g. a password). */
  scrub: (text: string) => string;
  /** One bounded round trip (a PING), run every `probeIntervalMs` during an outage to notice recovery without traffic. */
  probe: () => Promise<void>;
}

/**
 * Tracks outages: the first failure logs one warning and later commands fail fast (no waiting on
 * timeouts) until the client reconnects or a probe succeeds, which logs the recovery once.
 */
export class RedisHealth {
  readonly #options: HealthOptions;
  #downSince: number | undefined;
  #nextProbe = 0;
  #recoveryListeners: (() => void)[] = [];
  #probeTimer: NodeJS.Timeout | undefined;

  constructor(options: HealthOptions) {
    this.#options = options;
  }

  /** Whether a Redis command should be tried now. */
  usable(): boolean {
    if (DOWN_STATES.has(this.#options.status())) {
      this.failed(new Error(`connection ${this.#options.status()}`));
      return false;
    }
    if (this.#downSince === undefined) return true;
    const now = this.#options.now();
    if (this.#options.status() === "ready" && now >= this.#nextProbe) {
      this.#nextProbe = now + this.#options.probeIntervalMs;
      return true;
    }
    return false;
  }

  get down(): boolean {
    return this.#downSince !== undefined;
  }

  failed(error: unknown): void {
    const now = this.#options.now();
    this.#nextProbe = now + this.#options.probeIntervalMs;
    if (this.#downSince !== undefined) return;
    this.#downSince = now;
    this.#probeTimer = setInterval(() => {
      if (this.#options.status() === "ready") this.#options.probe().then(() => this.succeeded(), () => {});
    }, this.#options.probeIntervalMs);
    this.#probeTimer.unref();
    this.#options.logger({
      level: "warn",
      message: "Redis token store unavailable: tokens come from the provider and the in-process cache until it is back",
      fields: { reason: this.#options.scrub(error instanceof Error ? error.message : String(error)) },
    });
  }

  succeeded(): void {
    if (this.#downSince === undefined) return;
    const outageMs = this.#options.now() - this.#downSince;
    this.#downSince = undefined;
    this.stop();
    this.#options.logger({ level: "info", message: "Redis token store available again", fields: { outageMs } });
    for (const listener of this.#recoveryListeners) listener();
  }

  /** Stops probing (the store is closing). */
  stop(): void {
    clearInterval(this.#probeTimer);
    this.#probeTimer = undefined;
  }

  onRecovery(listener: () => void): void {
    this.#recoveryListeners.push(listener);
  }
}

/** The error a command gets while Redis is unavailable (internal: the store turns it into degraded operation). */
export function unavailable(reason: string): TokenmintError {
  return new TokenmintError("network", `Redis token store unavailable (${reason})`, { retryable: true, details: { storeUnavailable: true } });
}

export function isUnavailable(error: unknown): boolean {
  return error instanceof TokenmintError && error.details?.["storeUnavailable"] === true;
}
