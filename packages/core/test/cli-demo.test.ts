import { describe, expect, it } from "vitest";
import { TokenmintError } from "../src/index.js";
import { demoCredentials } from "../src/cli/index.js";

const CANARY = "CANARY-demo-credentials-do-not-leak";

describe("demoCredentials", () => {
  const c = demoCredentials({ clientId: "app", users: { alice: { password: CANARY, age: 7 } }, list: ["x"] }, "acme");

  it("reads strings by dotted path", () => {
    expect(c("clientId")).toBe("app");
    expect(c("users.alice.password")).toBe(CANARY);
  });

  it("refuses missing and non-string entries with a configuration error naming the path, not a value", () => {
    for (const path of ["missing", "users.bob.password", "users.alice.age", "users.alice", "list", "clientId.length", "users.alice.password.x"]) {
      let thrown: unknown;
      try {
        c(path);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TokenmintError);
      expect(thrown).toMatchObject({ code: "configuration", provider: "acme", message: `emulator credentials lack ${path}` });
      expect(JSON.stringify(thrown)).not.toContain(CANARY);
    }
  });
});
