// `pnpm new-provider <id>`: scaffolds a provider package and its spec. Exit codes: 0 done, 2 usage
// error or refusal (bad id, provider exists, not the workspace), 3 failure (codegen, pnpm install).
import { relative } from "node:path";
import { parseArgs, USAGE } from "./args.js";
import { ScaffoldError, scaffold } from "./scaffold.js";

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), process.env["INIT_CWD"] ?? process.cwd());
  if (typeof args === "string") {
    process.stderr.write(`new-provider: ${args}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.id === undefined) {
    process.stderr.write(`new-provider: name the provider id\n${USAGE}\n`);
    return 2;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const result = await scaffold({ root: args.root, id: args.id, displayName: args.displayName, capabilities: args.capabilities, link: args.link, log });
  const n = result.names;
  const where = relative(process.cwd(), args.root) || ".";
  log("");
  log(`created ${n.packageName} (${result.capabilities.join(", ")}) in ${(result.ms / 1000).toFixed(1)} s:`);
  for (const file of result.files) log(`  ${file}`);
  log("");
  if (result.link === "pnpm") log("pnpm install linked it and recorded it in pnpm-lock.yaml: commit that file with the package.");
  else log("not installed: run `pnpm install` (it links the package and records it in pnpm-lock.yaml) before committing.");
  log("next:");
  log(`  pnpm --dir ${where} exec turbo run test --filter=${n.packageName}   # build, then the tests against the emulator`);
  log(`  edit ${n.specPath}, then pnpm codegen; see docs/adding-a-provider.md`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ScaffoldError) {
      process.stderr.write(`new-provider: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`new-provider: failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3;
  },
);
