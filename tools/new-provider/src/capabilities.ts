// Which operations a scaffolded provider starts with: `--capabilities issue,list,revoke`.

/** The capabilities the scaffold can generate, in the order the descriptor lists them. */
export const SCAFFOLD_CAPABILITIES = ["issue", "list", "revoke"] as const;
export type ScaffoldCapability = (typeof SCAFFOLD_CAPABILITIES)[number];

/** Without `--capabilities`: issue only. Declare list and revoke only for a provider that has them. */
export const DEFAULT_CAPABILITIES: readonly ScaffoldCapability[] = ["issue"];

/** What the templates branch on. */
export interface CapabilitySet {
  readonly list: boolean;
  readonly revoke: boolean;
  /** In descriptor order, e.g. `["issue", "list", "revoke"]`. */
  readonly all: readonly ScaffoldCapability[];
}

export function capabilitySet(capabilities: readonly ScaffoldCapability[] = DEFAULT_CAPABILITIES): CapabilitySet {
  return { list: capabilities.includes("list"), revoke: capabilities.includes("revoke"), all: SCAFFOLD_CAPABILITIES.filter((c) => capabilities.includes(c)) };
}

/**
 * Checks a capability list (from `--capabilities a,b` or the API) and returns it in descriptor order,
 * or the reason it is refused. `issue` is required: the scaffolded list and revoke manage the tokens
 * its issue creates, and its tests need them.
 */
export function checkCapabilities(requested: readonly string[]): readonly ScaffoldCapability[] | string {
  if (requested.length === 0) return "--capabilities needs at least issue";
  for (const c of requested) {
    if (c === "get" || c === "refresh") return `the scaffold does not generate ${c}: start from issue,list,revoke and add it by hand (docs/adding-a-provider.md)`;
    if (!(SCAFFOLD_CAPABILITIES as readonly string[]).includes(c)) return `unknown capability ${JSON.stringify(c)}: use issue, list and revoke, e.g. --capabilities issue,list,revoke`;
  }
  if (!requested.includes("issue")) {
    return "--capabilities must include issue: the scaffolded list and revoke manage the tokens its issue creates (for a provider that only lists and revokes, scaffold issue,list,revoke and remove issue afterwards)";
  }
  return SCAFFOLD_CAPABILITIES.filter((c) => requested.includes(c));
}

/** `issue, list , revoke` -> `["issue", "list", "revoke"]` (empty items dropped). */
export function splitCapabilities(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}
