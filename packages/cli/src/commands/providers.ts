import type { CommandContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { GLOBAL_FLAGS, parseCommandLine } from "../flags.js";

export async function providersCommand(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const parsed = parseCommandLine(args, [...GLOBAL_FLAGS, { name: "json", description: "", type: "boolean" }]);
  const providers = [...ctx.providers.values()].sort((a, b) => a.id.localeCompare(b.id));
  const clis = await Promise.all(providers.map((p) => p.loadCli()));
  const rows = providers.map((p, i) => ({
      id: p.id,
      displayName: p.definition.descriptor.displayName,
      package: p.source,
      capabilities: p.definition.descriptor.capabilities,
      reusableTokens: p.definition.descriptor.reusableTokens === true,
      emulator: p.definition.emulator !== undefined,
      cli: (["issue", "list", "revoke"] as const).filter((op) => clis[i]?.[op] !== undefined),
    }));
  if (parsed.values["json"] === true || ctx.io.stdout.isTTY !== true) {
    for (const r of rows) ctx.io.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    for (const r of rows) ctx.io.stdout.write(`${r.id.padEnd(12)} ${r.displayName.padEnd(48)} ${r.capabilities.join(", ")}${r.emulator ? "  [emulator]" : ""}\n`);
  }
  if (rows.length === 0) ctx.reporter.warn("no provider packages found: install e.g. @tokenmint/provider-oci, or load one with --plugin");
  return EXIT.ok;
}
