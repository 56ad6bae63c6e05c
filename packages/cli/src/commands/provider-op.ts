import type { CliFlag, CliValues, ProviderClient, ProviderCli } from "@tokenmint/core";
import { TokenmintError } from "@tokenmint/core";
import type { CommandContext } from "../context.js";
import { type FoundProvider, requireProvider } from "../discover.js";
import { GLOBAL_FLAGS, parseCommandLine, resolveFlags } from "../flags.js";

export const TIMEOUT_FLAG: CliFlag = { name: "timeout", description: "Seconds the whole operation may take, retries included.", type: "number" };

export interface PreparedOperation {
  readonly found: FoundProvider;
  readonly cli: ProviderCli<unknown, ProviderClient>;
  readonly client: ProviderClient;
  readonly values: CliValues;
  readonly positionals: readonly string[];
  readonly deadline: number | undefined;
}

/** Finds the provider named on the command line, parses its flags and builds its client. */
export async function prepareOperation(ctx: CommandContext, args: readonly string[], op: "issue" | "list" | "revoke", commandFlags: readonly CliFlag[]): Promise<PreparedOperation> {
  const words = args.filter((a, i) => !a.startsWith("-") && (i === 0 || !takesValue(args[i - 1]!)));
  const providerId = words[0];
  // `tokenmint revoke <id> <provider>`: say the order instead of calling the id an unknown provider.
  const later = providerId === undefined || ctx.providers.has(providerId) ? undefined : words.slice(1).find((w) => ctx.providers.has(w));
  if (later !== undefined) {
    throw new TokenmintError("invalid_request", `the provider comes first: tokenmint ${op} ${later} ${words.filter((w) => w !== later).join(" ")} [options]`, { provider: later });
  }
  const found = requireProvider(ctx.providers, providerId);
  const cli = await found.loadCli();
  const operation = cli?.[op];
  if (cli === undefined || operation === undefined || !found.definition.descriptor.capabilities.includes(op)) {
    throw new TokenmintError("unsupported", `provider ${found.id} cannot ${op} from the command line (capabilities: ${found.definition.descriptor.capabilities.join(", ")})`, { provider: found.id });
  }
  const ownFlags = [...cli.config.flags, ...operation.flags];
  if (ctx.config.missingProfile !== undefined && !ownFlags.some((f) => f.name === "profile")) {
    throw new TokenmintError("configuration", `no profile "${ctx.config.missingProfile}" in the tokenmint config file (tokenmint.config.json or --config)`);
  }
  const flags = [...GLOBAL_FLAGS.filter((g) => !ownFlags.some((f) => f.name === g.name)), TIMEOUT_FLAG, ...commandFlags, ...ownFlags];
  const parsed = parseCommandLine(args, flags);
  const defaults = ctx.config.defaultsFor(found.id);
  const values = await resolveFlags([...cli.config.flags, ...operation.flags, ...commandFlags, TIMEOUT_FLAG], parsed, defaults, ctx.io, ctx.reporter);
  const positionals = parsed.positionals.filter((p) => p !== found.id);
  const clientOptions = cli.config.toOptions(values);
  const client = await found.definition.createClient(clientOptions, { env: ctx.io.env, logger: ctx.logger });
  const timeout = values["timeout"];
  return { found, cli, client, values, positionals, deadline: typeof timeout === "number" ? Date.now() + timeout * 1000 : undefined };
}

function takesValue(flag: string): boolean {
  if (!flag.startsWith("--") || flag.includes("=")) return false;
  const name = flag.slice(2);
  return !["help", "quiet", "debug", "no-color", "force", "dry-run", "save", "json", "no-cache", "force-refresh"].includes(name) && !name.endsWith("-stdin");
}
