import { resolve } from "node:path";
import type { CliFlag, CliTokenFileFormat } from "@tokenmint/core";
import { TokenmintError } from "@tokenmint/core";
import type { CommandContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { writeOutputFile, writeTokenFile } from "../files.js";
import { formatToken, TOKEN_FORMATS, type TokenFormat, tokenJson } from "../output.js";
import { issueThroughCache } from "../cache/issue-cache.js";
import { prepareOperation } from "./provider-op.js";

export const ISSUE_FLAGS: readonly CliFlag[] = [
  { name: "format", description: `Output format: ${TOKEN_FORMATS.join(", ")} (default json), or a file format of the provider's (see its --help).`, type: "string" },
  { name: "out", description: "Write the output to this file (0600, atomic); for a provider's file format, a directory gets the format's own file names.", type: "string" },
  { name: "force", description: "Allow --out to replace an existing file.", type: "boolean" },
  { name: "save", description: "Also write the token where the provider's own tools look for it (e.g. OCI's ~/.oci/db-token).", type: "boolean" },
  { name: "save-dir", description: "Directory for --save instead of the provider's default.", type: "string" },
  { name: "no-cache", description: "Neither read nor write the per-user token cache: always ask the provider.", type: "boolean" },
  { name: "force-refresh", description: "Ask the provider even if a cached token is still valid, and replace the cached one.", type: "boolean" },
];

// Flags that change only what is done with the token, not which token: left out of the cache key.
const OUTPUT_FLAGS: ReadonlySet<string> = new Set([...ISSUE_FLAGS.map((f) => f.name), "timeout"]);

export async function issueCommand(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const op = await prepareOperation(ctx, args, "issue", ISSUE_FLAGS);
  const format = (op.values["format"] ?? "json") as string;
  // Checked before the token is asked for: a typo must not cost an issued token.
  const fileFormat = providerFileFormat(op.cli.formats, format);
  if (fileFormat === undefined && !(TOKEN_FORMATS as readonly string[]).includes(format)) {
    const known = [...TOKEN_FORMATS, ...(op.cli.formats ?? []).map((f) => f.name).filter((n) => !(TOKEN_FORMATS as readonly string[]).includes(n))];
    throw new TokenmintError("invalid_request", `--format must be one of ${known.join(", ")} for ${op.found.id}`);
  }
  const issue = op.cli.issue!;
  const { token, from } = await issueThroughCache(ctx, op, (o) => issue.run(op.client, op.values, o), {
    noCache: op.values["no-cache"] === true,
    forceRefresh: op.values["force-refresh"] === true,
    ignoreFlags: OUTPUT_FLAGS,
  });
  if (from === "cache") ctx.reporter.info("using a cached token (--force-refresh for a new one, --no-cache to bypass the cache)");
  const force = op.values["force"] === true;
  const out = op.values["out"] as string | undefined;
  if (op.values["save"] === true) {
    if (op.cli.save === undefined) throw new TokenmintError("unsupported", `provider ${op.found.id} has no --save location`, { provider: op.found.id });
    const saveDir = op.values["save-dir"] as string | undefined;
    const paths = await op.cli.save(token, { dir: saveDir === undefined ? undefined : resolve(ctx.io.cwd, saveDir), overwrite: true });
    for (const p of paths) ctx.reporter.info(`wrote ${p}`);
  }
  if (out !== undefined || fileFormat !== undefined) {
    const path = fileFormat !== undefined ? await writeTokenFile(fileFormat, token, out, ctx.io.cwd, force) : await writeOutputFile(resolve(ctx.io.cwd, out!), formatToken(token, format as TokenFormat), force);
    ctx.reporter.info(`wrote ${path}`);
    // The value went to the file; stdout gets the metadata only.
    ctx.io.stdout.write(`${JSON.stringify({ ...tokenJson(token, false), file: path })}\n`);
    return EXIT.ok;
  }
  ctx.io.stdout.write(formatToken(token, format as TokenFormat));
  if (token.expiresAt) ctx.reporter.info(`token valid until ${token.expiresAt.toISOString()}`);
  return EXIT.ok;
}

/** The provider's file format named by `--format`; the CLI's own formats take precedence over a provider's. */
function providerFileFormat(formats: readonly CliTokenFileFormat[] | undefined, name: string): CliTokenFileFormat | undefined {
  if ((TOKEN_FORMATS as readonly string[]).includes(name)) return undefined;
  return formats?.find((f) => f.name === name);
}
