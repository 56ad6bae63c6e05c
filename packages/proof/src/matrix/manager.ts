// Issue operations go through the TokenManager, as the READMEs tell users to. A token that is already
// expired on arrival is refused (invalid_response) by the provider's issue() itself, before the manager
// (which applies the same check, core's expiredOnArrival) sees it.
import type { Token } from "@tokenmint/core";
import { TokenManager } from "@tokenmint/core/tokens";

/** Issues through a fresh manager; `issue` carries the cell's deadline (the manager passes none). */
export function issueThroughManager(issue: () => Promise<Token>): Promise<Token> {
  return new TokenManager().getToken({ key: "proof-cell", issue: () => issue() });
}
