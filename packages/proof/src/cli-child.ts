// Runs the built `tokenmint` binary (packages/cli/dist/bin.js) as a child process, as a user would.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const TOKENMINT_BIN = fileURLToPath(new URL("../../cli/dist/bin.js", import.meta.url));
/** packages/proof: its node_modules holds every provider package, so the CLI discovers them all from here. */
export const PROOF_DIR = fileURLToPath(new URL("..", import.meta.url));

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ChildOptions {
  readonly cwd?: string | undefined;
  /** The whole environment of the child (PATH is added); nothing else leaks in. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly stdin?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

export function runTokenmint(args: readonly string[], options: ChildOptions = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TOKENMINT_BIN, ...args], {
      cwd: options.cwd ?? PROOF_DIR,
      env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
}
