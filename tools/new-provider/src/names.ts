// Provider ids and every name derived from one: package, directories, identifiers, environment prefix.

/**
 * What an id must look like: lowercase words of letters and digits joined by single hyphens, starting
 * with a letter, at most 40 characters. That is the provider descriptor's pattern
 * (`^[a-z][a-z0-9-]{0,39}$`, specs/core/provider.json) without leading, trailing or doubled hyphens, so
 * `@tokenmint/provider-<id>` is a valid npm package name and every derived identifier is valid TypeScript.
 */
export const ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const MAX_ID_LENGTH = 40;

/** Why an id is refused, or undefined when it is fine. The text names the rule, so the user can fix it. */
export function idProblem(id: string): string | undefined {
  if (id.length === 0) return "the provider id is empty";
  if (id.length > MAX_ID_LENGTH) return `the provider id has ${id.length} characters; at most ${MAX_ID_LENGTH} are allowed`;
  if (!ID_PATTERN.test(id)) {
    return `${JSON.stringify(id)} is not a valid provider id: use lowercase letters and digits in words joined by single hyphens, starting with a letter (e.g. "acme" or "my-idp"), so that @tokenmint/provider-<id> is a valid package name`;
  }
  return undefined;
}

/** Every name the scaffold derives from one id. */
export interface ProviderNames {
  /** `my-idp` */
  readonly id: string;
  /** `@tokenmint/provider-my-idp` */
  readonly packageName: string;
  /** `packages/provider-my-idp` (relative to the workspace root) */
  readonly packageDir: string;
  /** `specs/providers/my-idp.json` */
  readonly specPath: string;
  /** `MyIdp`: type and class names */
  readonly pascal: string;
  /** `myIdp`: value names */
  readonly camel: string;
  /** `MY_IDP`: environment variable prefix */
  readonly env: string;
  /** `My Idp`: the descriptor's display name unless one is given */
  readonly displayName: string;
}

export function providerNames(id: string, displayName?: string): ProviderNames {
  const words = id.split("-");
  const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  return {
    id,
    packageName: `@tokenmint/provider-${id}`,
    packageDir: `packages/provider-${id}`,
    specPath: `specs/providers/${id}.json`,
    pascal,
    camel: pascal[0]!.toLowerCase() + pascal.slice(1),
    env: words.join("_").toUpperCase(),
    displayName: displayName ?? words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" "),
  };
}
