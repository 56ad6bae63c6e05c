import type { CliFlag } from "@tokenmint/core";
import { forgetRevoked } from "../cache/forget.js";
import type { CommandContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { recordJson } from "../output.js";
import { prepareOperation } from "./provider-op.js";

export const REVOKE_FLAGS: readonly CliFlag[] = [{ name: "dry-run", description: "Show what would be revoked; revoke nothing.", type: "boolean" }];

export async function revokeCommand(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const op = await prepareOperation(ctx, args, "revoke", REVOKE_FLAGS);
  const dryRun = op.values["dry-run"] === true;
  const id = op.positionals[0];
  const onProgress = (done: number, total: number) => ctx.reporter.progress(`revoked ${done}/${total}...`);
  const outcome = await op.cli.revoke!.run(op.client, id, op.values, { signal: ctx.signal, deadline: op.deadline, dryRun, onProgress });
  ctx.reporter.endProgress();
  if (!outcome.dryRun) await forgetRevoked(ctx, op.found.id, outcome.ids);
  if (outcome.records) for (const r of outcome.records) ctx.io.stdout.write(`${recordJson(r)}\n`);
  ctx.io.stdout.write(`${JSON.stringify({ dryRun: outcome.dryRun, revoked: outcome.dryRun ? [] : outcome.ids, ...(outcome.dryRun ? { wouldRevoke: outcome.ids } : {}) })}\n`);
  ctx.reporter.info(outcome.dryRun ? `dry run: ${outcome.ids.length} token(s) would be revoked` : `revoked ${outcome.ids.length} token(s)`);
  return EXIT.ok;
}
