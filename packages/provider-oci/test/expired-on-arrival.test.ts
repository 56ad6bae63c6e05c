// A database token that arrives already expired (the server clock behind, a stale answer) is refused by
// client.issue() itself with invalid_response: `tokenmint issue oci` and direct callers never get one.
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { issueSource } from "@tokenmint/core";
import { TokenManager } from "@tokenmint/core/tokens";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type OciEmulator, startEmulator } from "../src/emulator/index.js";
import { dbScope } from "../src/index.js";
import { explicitClient, failure, SUPPLIED_PUBLIC_KEY } from "./helpers.js";

const all = { scope: dbScope.all(), publicKey: SUPPLIED_PUBLIC_KEY };
const ROUTE = "generateScopedAccessToken";

let emu: OciEmulator;
beforeAll(async () => {
  // One-minute tokens: a server clock 4 minutes behind (within the 5-minute signature tolerance) makes
  // them expire 3 minutes before they arrive.
  emu = await startEmulator({ tokenLifetimeSec: 60 });
});
afterAll(() => emu.close());
beforeEach(() => emu.server.faults.clear());

const requests = () => emu.server.requests.filter((r) => r.route === ROUTE).length;

describe("a token expired on arrival", () => {
  it("server clock behind: invalid_response naming the expiry and the clock, never the token, not repeated", async () => {
    const client = await explicitClient(emu);
    emu.server.faults.inject({ route: ROUTE, kind: "clock-skew", skewMs: -4 * 60_000 });
    const before = requests();
    const logged = emu.tokenLog.length;
    const error = await failure(client.issue({ scope: dbScope.all() }));
    expect(requests() - before).toBe(1);
    expect(error).toMatchObject({ code: "invalid_response", provider: "oci", retryable: false });
    expect(error.message).toMatch(/already expired/);
    expect(error.hint).toMatch(/clock/);
    expect(error.details?.["expiredOnArrival"]).toBe(true);
    expect(Date.parse(error.details?.["expiresAt"] as string)).toBeLessThan(Date.now() - 2 * 60_000);
    expect(error.requestId).toBe(emu.tokenLog[logged]!.requestId);
    // The server did issue a token (and the client generated a key pair): neither shows anywhere.
    const text = `${error.message} ${error.hint} ${JSON.stringify(error)} ${inspect(error, { depth: 10 })}`;
    expect(text).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
    expect(text).not.toContain("PRIVATE KEY");
  });

  it("the 'expired on arrival' body fault (a stale answer): invalid_response, with the token's jti", async () => {
    const client = await explicitClient(emu);
    const c = emu.credentials;
    const now = Math.floor(Date.now() / 1000);
    const jti = randomUUID();
    const token = await emu.signer.sign({ sub: c.user, tenant: c.tenancy, ptype: "user", ttype: "scoped_access", scope: dbScope.all(), aud: `urn:oracle:db:${c.tenancy}`, iat: now - 7200, exp: now - 3600, jti });
    emu.server.faults.inject({ route: ROUTE, kind: "body", body: { token } });
    const error = await failure(client.issue(all));
    expect(error).toMatchObject({ code: "invalid_response", details: { expiredOnArrival: true, tokenId: jti, expiresAt: new Date((now - 3600) * 1000).toISOString() } });
    expect(JSON.stringify(error)).not.toContain(token);
  });

  it("a short-lived token (5 s) is returned by issue(); a TokenManager with its default 10 s margin refuses it", async () => {
    const short = await startEmulator({ tokenLifetimeSec: 5 });
    try {
      const client = await explicitClient(short);
      const token = await client.issue(all);
      expect(token.expiresAt!.getTime()).toBeGreaterThan(Date.now());
      const error = await failure(new TokenManager().getToken(issueSource(client, all)));
      expect(error).toMatchObject({ code: "invalid_response", details: { expiredOnArrival: true } });
      expect(error.message).toMatch(/about to expire \(.* left, less than the 10 s margin\)/);
      await expect(new TokenManager({ expiryMarginMs: 1_000 }).getToken(issueSource(client, all))).resolves.toMatchObject({ provider: "oci" });
    } finally {
      await short.close();
    }
  });

  it("through a TokenManager: the same refusal, nothing cached", async () => {
    const client = await explicitClient(emu);
    emu.server.faults.inject({ route: ROUTE, kind: "clock-skew", skewMs: -4 * 60_000 });
    const manager = new TokenManager();
    const source = issueSource(client, all);
    await expect(manager.getToken(source)).rejects.toMatchObject({ code: "invalid_response", details: { expiredOnArrival: true } });
    // Without the fault, a fresh token (60 s lifetime, past the manager's 10 s margin) comes back.
    const token = await manager.getToken(source);
    expect(token.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 10_000);
  });
});
