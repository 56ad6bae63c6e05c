// One pub/sub subscription per store for two kinds of messages: wake-ups for processes waiting on
// another's refresh lock (with bounded sleeps, so a lost message, or no pub/sub at all, only delays a
// waiter to its next poll), and announcements of invalidated or refused tokens.
import type { RedisClient } from "./client.js";

export interface Waiter {
  /** Resolves on a release of the entry, or after `ms`, or when `signal` aborts, whichever comes first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Stops listening. */
  cancel(): void;
}

export class ReleaseNotifier {
  readonly #channel: string;
  readonly #makeSubscriber: () => RedisClient;
  readonly #onError: (error: unknown) => void;
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #announceChannel: string;
  readonly #watchers = new Set<(message: string) => void>();
  #subscriber: RedisClient | undefined;
  #closed = false;

  constructor(channel: string, announceChannel: string, makeSubscriber: () => RedisClient, onError: (error: unknown) => void) {
    this.#channel = channel;
    this.#announceChannel = announceChannel;
    this.#makeSubscriber = makeSubscriber;
    this.#onError = onError;
  }

  /** Starts listening for releases of entry `id`. Register before looking at the lock, so no release is missed. */
  register(id: string): Waiter {
    this.#subscribe();
    let wake: (() => void) | undefined;
    let pending = false; // a release arrived between two sleeps
    const listener = () => {
      if (wake !== undefined) wake();
      else pending = true;
    };
    const set = this.#waiters.get(id) ?? new Set<() => void>();
    this.#waiters.set(id, set);
    set.add(listener);
    const cancel = () => {
      set.delete(listener);
      if (set.size === 0 && this.#waiters.get(id) === set) this.#waiters.delete(id);
    };
    return {
      cancel,
      sleep: (ms, signal) => {
        if (pending || signal?.aborted) {
          pending = false;
          return Promise.resolve();
        }
        return new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", done);
            wake = undefined;
            resolve();
          };
          const timer = setTimeout(done, Math.max(0, ms));
          signal?.addEventListener("abort", done, { once: true });
          wake = done;
        });
      },
    };
  }

  /** Calls `listener` with every message of the announcement channel until the returned function is called. */
  watch(listener: (message: string) => void): () => void {
    this.#subscribe();
    this.#watchers.add(listener);
    return () => this.#watchers.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber !== undefined) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  #subscribe(): void {
    if (this.#subscriber !== undefined || this.#closed) return;
    const subscriber = this.#makeSubscriber();
    this.#subscriber = subscriber;
    subscriber.on("error", this.#onError);
    subscriber.on("message", (channel: string, message: string) => {
      if (channel === this.#channel) {
        for (const listener of this.#waiters.get(message) ?? []) listener();
      } else if (channel === this.#announceChannel) {
        for (const listener of this.#watchers) listener(message);
      }
    });
    // ioredis subscribes again by itself after a reconnect; until then waiters poll.
    subscriber.subscribe(this.#channel, this.#announceChannel).catch(this.#onError);
  }
}
