// Shared pieces of the property-based tests: run counts, and the rule that only typed errors come out.
import { TokenmintError } from "@tokenmint/core";

/** Runs of every property (issue 8: at least 10,000 each), unless a test states a smaller count and why. */
export const RUNS = 10_000;

/** Fixed seeds by default, so a failure reproduces; FUZZ_SEED=random explores new cases. */
export function fuzzSeed(offset: number): number | undefined {
  const env = process.env["FUZZ_SEED"];
  if (env === "random") return undefined;
  return (env === undefined ? 20_261_123 : Number(env)) + offset;
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: TokenmintError };

/** Calls `fn`: a value or a TokenmintError is fine, anything else thrown fails the property. */
export function typed<T>(fn: () => T): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (error instanceof TokenmintError) return { ok: false, error };
    throw error;
  }
}

/** The async form of {@link typed}. */
export async function typedAsync<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (error instanceof TokenmintError) return { ok: false, error };
    throw error;
  }
}
