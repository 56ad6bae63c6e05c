import type { CliFlag, ProviderCli, ProviderClient } from "@tokenmint/core";
import { EXIT } from "./exit-codes.js";
import { GLOBAL_FLAGS } from "./flags.js";

export const COMMANDS: Readonly<Record<string, { summary: string; usage: string; examples: readonly string[] }>> = {
  issue: { summary: "Mint a token.", usage: "tokenmint issue <provider> [options]", examples: ["tokenmint issue oci --scope 'urn:oracle:db::id::*' --save", "tokenmint issue idcs --grant password --username alice --password-file ./pw --format tok", "TOKEN=$(tokenmint issue huaweicloud --identity-store-id ID --tenant-id T --format raw)"] },
  list: { summary: "List token records (no values).", usage: "tokenmint list <provider> [filters]", examples: ["tokenmint list huaweicloud --identity-store-id ID --tenant-id T", "tokenmint list intersight --filter \"ClientName eq 'ci'\""] },
  revoke: { summary: "Revoke a token by id, or every token matching filters (--dry-run first).", usage: "tokenmint revoke <provider> [id] [filters] [--dry-run]", examples: ["tokenmint revoke intersight 5f1e...", "tokenmint revoke intersight --client-name ci --older-than-days 30 --dry-run"] },
  decode: { summary: "Show a JWT's header and claims without verifying it.", usage: "tokenmint decode <token|-|file.tok>", examples: ["tokenmint issue oci --format raw | tokenmint decode -"] },
  verify: { summary: "Verify a JWT against a JWKS (signature, algorithm, issuer, audience, times).", usage: "tokenmint verify <token|-|file.tok> --jwks <url|file> [--issuer I] [--audience A]", examples: ["tokenmint verify tokens.tok --jwks https://idcs.example.com/admin/v1/SigningCert/jwk --issuer https://identity.oraclecloud.com/"] },
  providers: { summary: "List installed provider packages and their capabilities.", usage: "tokenmint providers [--json] [--plugin module]", examples: ["tokenmint providers --plugin ./my-provider.js"] },
  emulate: { summary: "Run the installed providers' emulators on loopback until SIGINT/SIGTERM.", usage: "tokenmint emulate [--providers a,b] [--port id=N] [--json]", examples: ["tokenmint emulate --json > endpoints.json"] },
  cache: { summary: "List (metadata only) or clear the per-user cache of issued tokens.", usage: "tokenmint cache list|clear [provider] [--json]", examples: ["tokenmint cache list", "tokenmint cache clear oci"] },
  demo: { summary: "Run every provider's main flow against its emulator (no cloud account needed).", usage: "tokenmint demo", examples: ["tokenmint demo"] },
};

export function mainHelp(version: string): string {
  const lines = [`tokenmint ${version}: obtain, inspect, list and revoke access tokens across identity providers`, "", "Usage: tokenmint <command> [options]", "", "Commands:"];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push("", "Global options:", ...flagLines(GLOBAL_FLAGS), "  --version          Print the version.", "", "Run `tokenmint <command> --help` for a command's options and examples.", "", exitCodeHelp());
  return `${lines.join("\n")}\n`;
}

/** A command's help; with a provider whose CLI is loaded (`provider.loadCli()`), its options too. */
export function commandHelp(name: string, provider: { readonly id: string; readonly cli: ProviderCli<unknown, ProviderClient> | undefined } | undefined, extra: readonly CliFlag[]): string {
  const c = COMMANDS[name]!;
  const lines = [`${c.usage}`, "", c.summary, ""];
  if (extra.length) lines.push("Options:", ...flagLines(extra), "");
  const cli = provider?.cli;
  if (provider !== undefined && cli !== undefined) {
    const op = (name === "issue" || name === "list" || name === "revoke" ? cli[name] : undefined);
    lines.push(`${provider.id} connection options:`, ...flagLines(cli.config.flags), "");
    if (op) {
      lines.push(`${provider.id} ${name} options:`, ...flagLines(op.flags), "");
      if (name === "issue" && cli.formats?.length) lines.push(`${provider.id} file formats:`, ...cli.formats.map((f) => `${`  --format ${f.name}`.padEnd(28)} ${f.description}`), "");
      if (op.examples?.length) lines.push("Examples:", ...op.examples.map((e) => `  ${e}`), "");
    }
  } else if (name === "issue" || name === "list" || name === "revoke") {
    lines.push("Name a provider to see its options, e.g. `tokenmint issue oci --help`.", "");
  }
  lines.push("Examples:", ...c.examples.map((e) => `  ${e}`));
  return `${lines.join("\n")}\n`;
}

function flagLines(flags: readonly CliFlag[]): string[] {
  return flags.map((f) => {
    const arg = f.type === "boolean" ? "" : f.type === "list" ? " <v>..." : f.type === "number" ? " <n>" : " <v>";
    const left = `  --${f.name}${arg}`;
    const extras = [f.required ? "required" : "", f.env ? `env ${f.env}` : "", f.secret ? `secret: prefer --${f.name}-file or --${f.name}-stdin` : ""].filter(Boolean).join("; ");
    return `${left.padEnd(28)} ${f.description}${extras ? ` (${extras})` : ""}`;
  });
}

export function exitCodeHelp(): string {
  return [
    "Exit codes:",
    `  ${EXIT.ok} ok, ${EXIT.failure} other failure, ${EXIT.usage} usage or invalid request, ${EXIT.configuration} configuration or unsupported,`,
    `  ${EXIT.auth} authentication/authorisation refused, ${EXIT.notFound} not found, ${EXIT.unavailable} provider unavailable/rate limited/timeout/network,`,
    `  ${EXIT.invalidResponse} invalid provider response, ${EXIT.conflict} conflict or quota, ${EXIT.invalidToken} token failed verification, ${EXIT.aborted} interrupted,`,
    `  ${EXIT.terminated} terminated (SIGTERM).`,
  ].join("\n");
}
