// Resolves `$ref`s: `#/$defs/X`, `#/components/schemas/X`, relative file refs between core specs
// (`scope.json#/$defs/Scope`), refs from provider specs into core (`../core/token.json#/$defs/Token`),
// and absolute refs to a document's `$id`. A ref in a schema position must name a schema.
import { posix } from "node:path";
import { isJsonObject, type JsonValue } from "./json.js";
import type { SpecDocument } from "./load.js";
import type { Problems } from "./problems.js";
import type { NamedSchema, PendingRef } from "./schema.js";

export interface RefIndex {
  readonly documents: readonly SpecDocument[];
  /** Spec paths found but not parsed: refs into them are not reported again. */
  readonly broken: ReadonlySet<string>;
  /** `$id` of each core document. */
  readonly ids: ReadonlyMap<string, SpecDocument>;
  /** Named schemas by `<path>#<pointer>`. */
  readonly named: ReadonlyMap<string, NamedSchema>;
}

export function namedKey(path: string, pointer: string): string {
  return `${path}#${pointer}`;
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function lookup(json: JsonValue, tokens: readonly string[]): boolean {
  let cur: JsonValue = json;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(t) || Number(t) >= cur.length) return false;
      cur = cur[Number(t)]!;
    } else if (isJsonObject(cur) && Object.hasOwn(cur, t)) cur = cur[t]!;
    else return false;
  }
  return true;
}

/** Resolves every pending ref; sets `target` on schema refs; reports the ones that do not resolve. */
export function resolveRefs(refs: readonly PendingRef[], index: RefIndex, problems: Problems): void {
  const byPath = new Map(index.documents.map((d) => [d.path, d]));
  for (const ref of refs) {
    const report = (message: string) => problems.add(ref.doc.path, ref.pointer, `$ref ${JSON.stringify(ref.text)} ${message}`);
    const hash = ref.text.indexOf("#");
    const uri = hash < 0 ? ref.text : ref.text.slice(0, hash);
    const fragment = hash < 0 ? "" : ref.text.slice(hash + 1);
    let target: SpecDocument | undefined;
    if (uri === "") target = ref.doc;
    else if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) {
      target = index.ids.get(uri);
      if (target === undefined) {
        report(`does not resolve: no spec has "$id" ${JSON.stringify(uri)}`);
        continue;
      }
    } else {
      const path = posix.normalize(posix.join(posix.dirname(ref.doc.path), uri));
      if (index.broken.has(path)) continue;
      target = byPath.get(path);
      if (target === undefined) {
        report(`does not resolve: no spec file ${path}`);
        continue;
      }
    }
    if (target.kind === "provider" && ref.doc.kind === "core") {
      report("is not allowed: a core spec cannot refer to a provider spec");
      continue;
    }
    if (target.kind === "provider" && target !== ref.doc) {
      report("is not allowed: a provider spec may refer only to its own schemas and to core specs");
      continue;
    }
    if (fragment !== "" && !fragment.startsWith("/")) {
      report("is not supported: the fragment must be a JSON pointer (#/...)");
      continue;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(fragment);
    } catch {
      report("has an invalid percent-encoding");
      continue;
    }
    const tokens = decoded === "" ? [] : decoded.slice(1).split("/").map(unescapeToken);
    if (!lookup(target.json, tokens)) {
      report("does not resolve");
      continue;
    }
    if (ref.node === undefined) continue;
    const named = index.named.get(namedKey(target.path, decoded));
    if (named === undefined) {
      report(`must point to a named schema (#/$defs/<Name> in a core spec, #/components/schemas/<Name> in a provider spec)`);
      continue;
    }
    ref.node.ref!.target = named;
  }
}
