// `pnpm codegen [--check] [--root <dir>]`: regenerates src/generated/ of core and every provider
// package from specs/. Exit codes: 0 done / up to date, 1 drift (--check), 2 spec problems or usage
// error, 3 unexpected failure (an I/O error, a bug).
import { parseArgs, USAGE } from "./args.js";
import { run } from "./write.js";

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === "string") {
    process.stderr.write(`codegen: ${args}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const result = await run({ root: args.root, check: args.check, startedAt: 0 });
  return result.exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`codegen: failed: ${message}\n`);
    if (process.env["CODEGEN_DEBUG"] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 3;
  },
);
