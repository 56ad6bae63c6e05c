// @tokenmint/core/cli: what a provider's CLI module (its own lazily loaded `./cli` entry) uses: the CLI
// contract and the flag readers that give every provider's flags the same semantics.
export type { CliFlag, CliIssueOperation, CliListOperation, CliRevokeOperation, CliTokenFileFormat, CliValue, CliValues, DemoLog, ProviderCli, RevokeOutcome } from "./contract.js";
export { demoCredentials } from "./demo.js";
export { type CliNumberOptions, cliBoolean, cliList, cliNumber, cliSecret, cliString } from "./values.js";
