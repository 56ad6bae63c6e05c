// Reading the emulator's credentials in a provider's `demo` hook (cli-contract.ts). Every provider's
// cli.ts had the same lookup; it is here once, failing with a configuration error like the flag readers
// of cli-values.ts.
import { TokenmintError } from "../errors.js";

/**
 * A reader of the running emulator's `credentials` (what its `startEmulator` returned, as JSON): each
 * call returns the string at a dotted path such as `users.alice.username`. A missing or non-string entry
 * is a `configuration` error naming the path, never a value (credentials hold test secrets).
 *
 * @example
 * const c = demoCredentials(emulator.credentials, "acme");
 * await createAcmeClient({ endpoint: emulator.url, clientId: c("clientId"), clientSecret: c("clientSecret") });
 */
export function demoCredentials(credentials: Readonly<Record<string, unknown>>, provider: string): (path: string) => string {
  return (path) => {
    let value: unknown = credentials;
    for (const key of path.split(".")) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof value !== "string") throw new TokenmintError("configuration", `emulator credentials lack ${path}`, { provider });
    return value;
  };
}
