import { resolve } from "node:path";
import type { CliFlag } from "@tokenmint/core";
import { TokenmintError } from "@tokenmint/core";
import type { CommandContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { writeOutputFile, writeTokFile } from "../files.js";
import { formatToken, TOKEN_FORMATS, type TokenFormat, tokenJson } from "../output.js";
import { issueThroughCache } from "../cache/issue-cache.js";
import { prepareOperation } from "./provider-op.js";

export const ISSUE_FLAGS: readonly CliFlag[] = [
  { name: "format", description: `Output format: ${TOKEN_FORMATS.join(", ")} (default json).`, type: "string" },
  { name: "out", description: "Write the output to this file (0600, atomic); for --format tok a directory gets tokens.tok, tokens1.tok, ...", type: "string" },
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
  if (!(TOKEN_FORMATS as readonly string[]).includes(format)) throw new TokenmintError("invalid_request", `--format must be one of ${TOKEN_FORMATS.join(", ")}`);
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
  const text = formatToken(token, format as TokenFormat);
  if (out !== undefined || format === "tok") {
    const path = format === "tok" ? await writeTokFile(out, ctx.io.cwd, text, force) : await writeOutputFile(resolve(ctx.io.cwd, out!), text, force);
    ctx.reporter.info(`wrote ${path}`);
    // The value went to the file; stdout gets the metadata only.
    ctx.io.stdout.write(`${JSON.stringify({ ...tokenJson(token, false), file: path })}\n`);
    return EXIT.ok;
  }
  ctx.io.stdout.write(text);
  if (token.expiresAt) ctx.reporter.info(`token valid until ${token.expiresAt.toISOString()}`);
  return EXIT.ok;
}
