import type { CliFlag, TokenRecord } from "@tokenmint/core";
import type { CommandContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { recordJson, recordTable } from "../output.js";
import { prepareOperation } from "./provider-op.js";

export const LIST_FLAGS: readonly CliFlag[] = [{ name: "json", description: "JSON lines even on a terminal.", type: "boolean" }];

export async function listCommand(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const op = await prepareOperation(ctx, args, "list", LIST_FLAGS);
  const table = ctx.io.stdout.isTTY === true && op.values["json"] !== true;
  const rows: TokenRecord[] = [];
  let n = 0;
  for await (const record of op.cli.list!.run(op.client, op.values, { signal: ctx.signal, deadline: op.deadline })) {
    n++;
    if (table) rows.push(record);
    else ctx.io.stdout.write(`${recordJson(record)}\n`);
    if (n % 100 === 0) ctx.reporter.progress(`${n} records...`);
  }
  ctx.reporter.endProgress();
  if (table) ctx.io.stdout.write(rows.length ? recordTable(rows) : "no tokens\n");
  ctx.reporter.info(`${n} record(s)`);
  return EXIT.ok;
}
