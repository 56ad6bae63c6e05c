import type { Token } from "../generated/types.js";
import type { TokenStore } from "./types.js";

/** A store in this process's memory: the default, shared by managers that are handed the same instance. */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, Token>();

  async get(key: string): Promise<Token | undefined> {
    return this.#tokens.get(key);
  }

  async set(key: string, token: Token): Promise<void> {
    this.#tokens.set(key, token);
  }

  async delete(key: string): Promise<void> {
    this.#tokens.delete(key);
  }
}
