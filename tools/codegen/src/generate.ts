// Spec model -> generated files (path relative to the root -> content). Pure: writes nothing.
import { resolve } from "node:path";
import { createProject } from "./emit/common.js";
import { Imports } from "./emit/imports.js";
import { emitParsers } from "./emit/parsers.js";
import { emitCoreSecrets, emitErrors, emitIndex, emitProviderSpec } from "./emit/spec.js";
import { emitTypes } from "./emit/types.js";
import { buildModel } from "./model.js";
import type { SpecProblem } from "./problems.js";

export interface GenerateOptions {
  /** The repository root (holding specs/ and packages/). */
  readonly root: string;
}

export interface GenerateResult {
  /** Generated files by path relative to the root (forward slashes); empty when there are problems. */
  readonly files: Map<string, string>;
  /** Every problem of every spec file, in file order; generation needs none. */
  readonly problems: SpecProblem[];
  /** Number of spec files found. */
  readonly specCount: number;
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const root = resolve(options.root);
  const { model, problems } = await buildModel(root);
  const files = new Map<string, string>();
  if (model === undefined) return { files, problems: [...problems], specCount: 0 };
  const project = createProject();

  const core = model.core;
  files.set(`${core.outDir}/types.ts`, emitTypes(project, core, new Imports(core)));
  files.set(`${core.outDir}/parsers.ts`, emitParsers(project, core, new Imports(core)));
  files.set(`${core.outDir}/errors.ts`, emitErrors(project, model));
  files.set(`${core.outDir}/secrets.ts`, emitCoreSecrets(project, core));
  files.set(`${core.outDir}/index.ts`, emitIndex(project, core, ["errors", "parsers", "secrets", "types"], model.coreSources));

  for (const unit of model.providers) {
    files.set(`${unit.outDir}/types.ts`, emitTypes(project, unit, new Imports(unit)));
    files.set(`${unit.outDir}/parsers.ts`, emitParsers(project, unit, new Imports(unit)));
    files.set(`${unit.outDir}/spec.ts`, emitProviderSpec(project, unit));
    files.set(`${unit.outDir}/index.ts`, emitIndex(project, unit, ["parsers", "spec", "types"], unit.sources));
  }
  return { files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), problems: [], specCount: model.specCount };
}
