// Programmatic API of the spec -> TypeScript generator (tools/codegen).
export { type GenerateOptions, type GenerateResult, generate } from "./generate.js";
export { formatProblem, type SpecProblem } from "./problems.js";
export { type RunOptions, type RunResult, run } from "./write.js";
