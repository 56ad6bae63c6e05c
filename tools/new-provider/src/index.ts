// Programmatic API of the provider scaffold (tools/new-provider).
export { type CapabilitySet, capabilitySet, checkCapabilities, DEFAULT_CAPABILITIES, SCAFFOLD_CAPABILITIES, type ScaffoldCapability } from "./capabilities.js";
export { findRoot, parseArgs, USAGE } from "./args.js";
export { ID_PATTERN, idProblem, MAX_ID_LENGTH, type ProviderNames, providerNames } from "./names.js";
export { renderProvider } from "./render.js";
export { type LinkMode, ScaffoldError, type ScaffoldOptions, type ScaffoldResult, scaffold } from "./scaffold.js";
