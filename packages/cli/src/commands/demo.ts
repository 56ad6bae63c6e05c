import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ProviderCli, type ProviderClient, TokenmintError } from "@tokenmint/core";
import type { CommandContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { GLOBAL_FLAGS, parseCommandLine } from "../flags.js";
import { startEmulators } from "./emulate.js";

/**
 * The README's main job: every installed provider's main flow against its emulator, in-process,
 * through the public library API, with no cloud account and no set-up.
 */
export async function demoCommand(ctx: CommandContext, args: readonly string[]): Promise<number> {
  parseCommandLine(args, GLOBAL_FLAGS);
  const out = (line: string) => ctx.io.stdout.write(`${line}\n`);
  const demos = new Map<string, NonNullable<ProviderCli<unknown, ProviderClient>["demo"]>>();
  for (const p of ctx.providers.values()) {
    const demo = p.definition.emulator === undefined ? undefined : (await p.loadCli())?.demo;
    if (demo !== undefined) demos.set(p.id, demo);
  }
  const withDemo = [...demos.keys()].sort();
  if (withDemo.length === 0) throw new TokenmintError("configuration", "no installed provider has a demo (install @tokenmint/provider-oci, -idcs, -huaweicloud or -intersight)");
  out(`tokenmint demo: ${withDemo.length} provider(s) against local emulators, no cloud account needed`);
  const workDir = await mkdtemp(join(tmpdir(), "tokenmint-demo-"));
  const failures: string[] = [];
  try {
    for (const id of withDemo) {
      const started = await startEmulators(ctx, [id], new Map(), undefined);
      const { provider, handle } = started.get(id)!;
      out("");
      out(`${provider.definition.descriptor.displayName} (${id}), emulator at ${handle.url}`);
      const began = Date.now();
      try {
        await demos.get(id)!({ url: handle.url, credentials: handle.credentials }, (line) => out(`  ${line}`), { signal: ctx.signal, workDir: join(workDir, id) });
        out(`  ok (${Date.now() - began} ms)`);
      } catch (error) {
        failures.push(id);
        out(`  FAILED: ${error instanceof TokenmintError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error)}`);
        if (ctx.debug && error instanceof Error) ctx.io.stderr.write(`${error.stack}\n`);
      } finally {
        await handle.close();
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  out("");
  out(failures.length === 0 ? `all ${withDemo.length} provider flows passed` : `${failures.length} provider flow(s) failed: ${failures.join(", ")}`);
  return failures.length === 0 ? EXIT.ok : EXIT.failure;
}
