export { runCli } from "./main.js";
export { EXIT, exitCodeFor } from "./exit-codes.js";
export type { CliIo } from "./io.js";
