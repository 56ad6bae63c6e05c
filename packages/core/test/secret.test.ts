import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { redactForm, redactHeaders, Secret, type Token, TokenmintError } from "../src/index.js";

const CANARY = "CANARY-7f3a9c1e-do-not-leak";

describe("Secret", () => {
  it("never shows its value through the usual ways of printing", () => {
    const s = new Secret(CANARY);
    const token: Token = { provider: "t", value: s, tokenType: "Bearer", scopes: [], raw: { token: s, nested: { deep: [s] } } };
    const outputs = [String(s), `${s}`, s + "", JSON.stringify(s), JSON.stringify(token), inspect(token, { depth: 10, showHidden: true }), inspect(s, { showHidden: true }), JSON.stringify({ ...token }), Object.keys(s).join(",")];
    for (const out of outputs) expect(out).not.toContain(CANARY);
    expect(s.reveal()).toBe(CANARY);
    expect(s.equals(CANARY)).toBe(true);
    expect(s.equals("other")).toBe(false);
  });

  it("stays out of log lines, errors and structured clones", () => {
    const s = new Secret(CANARY);
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => lines.push(args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" "));
    try {
      console.log("token", s, { s });
    } finally {
      console.log = original;
    }
    expect(lines.join("\n")).not.toContain(CANARY);
    const err = new TokenmintError("invalid_credentials", `bad ${s}`, { details: { s: String(s) } });
    expect(err.message).not.toContain(CANARY);
    expect(JSON.stringify(err)).not.toContain(CANARY);
    expect(inspect(err)).not.toContain(CANARY);
    expect(JSON.stringify(structuredClone({ s }))).not.toContain(CANARY);
  });

  it("redacts credential headers and spec-named form fields", () => {
    expect(JSON.stringify(redactHeaders({ Authorization: `Basic ${CANARY}`, "X-Security-Token": CANARY, accept: "x" }))).not.toContain(CANARY);
    expect(redactForm(`grant_type=password&password=${CANARY}&client_secret=${CANARY}`, new Set(["password", "client_secret"]))).not.toContain(CANARY);
  });
});
