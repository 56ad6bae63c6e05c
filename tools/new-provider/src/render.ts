// Every file of a new provider, rendered in memory: path relative to the workspace root -> content.
// Pure: reads and writes nothing, so the scaffold can check for conflicts before touching the disk.
import { type CapabilitySet, capabilitySet, type ScaffoldCapability } from "./capabilities.js";
import type { ProviderNames } from "./names.js";
import { cliTemplate, indexTemplate } from "./templates/entry.js";
import { clientTemplate, errorsTemplate, tokenTemplate } from "./templates/client.js";
import { configTemplate } from "./templates/config.js";
import { emulatorTemplate } from "./templates/emulator.js";
import { packageJsonTemplate, readmeTemplate, tsconfigTemplate, tsconfigTestTemplate, vitestConfigTemplate } from "./templates/package.js";
import { specTemplate } from "./templates/spec.js";
import { testTemplate } from "./templates/test.js";
import { createProject, renderTs } from "./ts.js";

export interface RenderContext {
  /** The root package.json's `engines`, copied into the new package. */
  readonly engines?: unknown;
  /** The operations to generate (checked by the caller). Default: issue only. */
  readonly capabilities?: readonly ScaffoldCapability[] | undefined;
}

/** The header of every scaffolded TypeScript file: where it came from, and what it is for. */
function header(n: ProviderNames, what: string): string[] {
  return [`${n.packageName}: ${what}`, `Scaffolded by \`pnpm new-provider ${n.id}\` (tools/new-provider); yours to edit. Guide: docs/adding-a-provider.md.`];
}

export function renderProvider(n: ProviderNames, context: RenderContext = {}): Map<string, string> {
  const project = createProject();
  const dir = n.packageDir;
  const caps: CapabilitySet = capabilitySet(context.capabilities);
  const manages = caps.list || caps.revoke;
  const ts: Array<[string, string, ReturnType<typeof configTemplate>]> = [
    ["src/index.ts", "the provider definition and the public API.", indexTemplate(n, caps)],
    ["src/config.ts", "options, environment variables and their checks.", configTemplate(n)],
    ["src/client.ts", `the client: token requests${manages ? `, ${caps.all.filter((c) => c !== "issue").join(" and ")} of issued tokens` : ""} through core's transport, JWKS, verification.`, clientTemplate(n, caps)],
    ["src/token.ts", `a token response -> the canonical Token${caps.list ? "; a listed token -> the canonical TokenRecord" : ""}.`, tokenTemplate(n, caps)],
    ["src/errors.ts", "the provider's error bodies -> canonical errors (through the spec's error table).", errorsTemplate(n)],
    ["src/cli/index.ts", `how the tokenmint CLI drives the provider (flags, ${caps.all.join(", ")}, demo); the \`./cli\` entry, loaded on demand.`, cliTemplate(n, caps)],
    ["src/emulator/index.ts", `a loopback emulator of the token service on core's emulator kit${manages ? ", which stores the tokens it issues" : ""}.`, emulatorTemplate(n, caps)],
    ["test/provider.test.ts", "the provider against its emulator.", testTemplate(n, caps)],
  ];
  const files = new Map<string, string>();
  files.set(n.specPath, specTemplate(n, caps));
  files.set(`${dir}/package.json`, packageJsonTemplate(n, { engines: context.engines }));
  files.set(`${dir}/tsconfig.json`, tsconfigTemplate());
  files.set(`${dir}/tsconfig.test.json`, tsconfigTestTemplate());
  files.set(`${dir}/vitest.config.ts`, renderTs(project, "vitest.config.ts", [], vitestConfigTemplate()));
  files.set(`${dir}/README.md`, readmeTemplate(n, caps));
  for (const [path, what, structure] of ts) files.set(`${dir}/${path}`, renderTs(project, path, header(n, what), structure));
  return files;
}
