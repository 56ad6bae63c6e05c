import { readFileSync } from "node:fs";
import { isTokenmintError, TokenmintError } from "@tokenmint/core";
import { CACHE_FLAGS, cacheCommand } from "./cache/cache-command.js";
import { decodeCommand, VERIFY_FLAGS, verifyCommand } from "./commands/decode-verify.js";
import { demoCommand } from "./commands/demo.js";
import { EMULATE_FLAGS, emulateCommand } from "./commands/emulate.js";
import { ISSUE_FLAGS, issueCommand } from "./commands/issue.js";
import { LIST_FLAGS, listCommand } from "./commands/list.js";
import { TIMEOUT_FLAG } from "./commands/provider-op.js";
import { providersCommand } from "./commands/providers.js";
import { REVOKE_FLAGS, revokeCommand } from "./commands/revoke.js";
import { type CommandContext, createContext } from "./context.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { COMMANDS, commandHelp, mainHelp } from "./help.js";
import { type CliIo, processIo, Reporter } from "./io.js";
import { exitCodeForAbort } from "./signals.js";

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

type Command = (ctx: CommandContext, args: readonly string[]) => Promise<number>;
const HANDLERS: Readonly<Record<string, Command>> = {
  issue: issueCommand,
  list: listCommand,
  revoke: revokeCommand,
  decode: decodeCommand,
  verify: verifyCommand,
  providers: providersCommand,
  emulate: emulateCommand,
  demo: demoCommand,
  cache: cacheCommand,
};
const COMMAND_FLAGS = { issue: [TIMEOUT_FLAG, ...ISSUE_FLAGS], list: [TIMEOUT_FLAG, ...LIST_FLAGS], revoke: [TIMEOUT_FLAG, ...REVOKE_FLAGS], verify: VERIFY_FLAGS, emulate: EMULATE_FLAGS, cache: CACHE_FLAGS } as const;

/** Runs the `tokenmint` command line; resolves to the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo = processIo(), signal: AbortSignal = new AbortController().signal): Promise<number> {
  const has = (flag: string) => argv.includes(flag);
  const reporter = new Reporter(io, { quiet: has("--quiet"), noColor: has("--no-color") });
  const debug = has("--debug");
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      const topic = command === "help" ? rest[0] : undefined;
      io.stdout.write(topic && COMMANDS[topic] ? commandHelp(topic, undefined, COMMAND_FLAGS[topic as keyof typeof COMMAND_FLAGS] ?? []) : mainHelp(VERSION));
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === "--version" || command === "-v") {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    const handler = HANDLERS[command];
    if (handler === undefined) throw new TokenmintError("invalid_request", `unknown command "${command}" (commands: ${Object.keys(HANDLERS).join(", ")})`);
    const ctx = await createContext(io, reporter, rest, signal, debug);
    if (rest.includes("--help") || rest.includes("-h")) {
      const providerId = rest.find((a) => !a.startsWith("-"));
      const provider = providerId === undefined ? undefined : ctx.providers.get(providerId);
      const helpFor = provider === undefined ? undefined : { id: provider.id, cli: await provider.loadCli() };
      io.stdout.write(commandHelp(command, helpFor, COMMAND_FLAGS[command as keyof typeof COMMAND_FLAGS] ?? []));
      return EXIT.ok;
    }
    // A signal that arrived while the process was starting (bin.ts listens before loading anything):
    // stop here, before the command does anything.
    if (signal.aborted) {
      reporter.warn("interrupted before the command started");
      return exitCodeForAbort(signal.reason);
    }
    return await handler(ctx, rest);
  } catch (error) {
    return reportError(error, reporter, io, debug);
  }
}

function reportError(error: unknown, reporter: Reporter, io: CliIo, debug: boolean): number {
  if (isTokenmintError(error)) {
    const parts = [`${error.code}: ${error.message}`];
    if (error.providerCode !== undefined) parts.push(`provider code: ${error.providerCode}`);
    if (error.requestId !== undefined) parts.push(`request id: ${error.requestId}`);
    reporter.error(parts.join("\n  "));
    const encoded = error.details?.["encoded_authorization_message"] ?? error.details?.["encodedAuthorizationMessage"];
    if (typeof encoded === "string") io.stderr.write(`  encoded authorization message (decode it to see why access was denied):\n  ${encoded}\n`);
    if (error.hint !== undefined) io.stderr.write(`  hint: ${error.hint}\n`);
    if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
    return exitCodeFor(error.code);
  }
  reporter.error(error instanceof Error ? error.message : String(error));
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT.failure;
}
