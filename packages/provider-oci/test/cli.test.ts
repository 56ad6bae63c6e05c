import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secret } from "@tokenmint/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OciEmulator, startEmulator } from "../src/emulator/index.js";
import { ociCli, optionsFromCli, requestFromCli } from "../src/cli/index.js";
import provider from "../src/index.js";
import { SUPPLIED_PUBLIC_KEY } from "./helpers.js";

let emu: OciEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "tokenmint-oci-cli-"));
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

describe("CLI contract", () => {
  it("maps flags to options and requests", async () => {
    expect(optionsFromCli({ profile: "PROD", region: "IAD", "key-file": "~/k.pem", "pass-phrase": new Secret("x") })).toMatchObject({ profile: "PROD", region: "IAD", privateKeyFile: "~/k.pem" });
    expect(await requestFromCli({})).toEqual({ scope: "urn:oracle:db::id::*", publicKey: undefined });
    const compartment = "ocid1.compartment.oc1..aaaaaaaaexample";
    expect((await requestFromCli({ compartment })).scope).toBe(`urn:oracle:db::id::${compartment}`);
    await expect(requestFromCli({ database: "ocid1.autonomousdatabase.oc1.iad.aaaa" })).rejects.toThrow(/--database needs --compartment/);
    const keyFile = join(dir, "pub.pem");
    await writeFile(keyFile, SUPPLIED_PUBLIC_KEY);
    expect((await requestFromCli({ "public-key-file": keyFile })).publicKey).toBe(SUPPLIED_PUBLIC_KEY);
  });

  it("runs the demo against the emulator and saves files like oci iam db-token get", async () => {
    const lines: string[] = [];
    expect(await provider.loadCli!()).toBe(ociCli);
    await ociCli.demo!(emu, (line) => lines.push(line), { workDir: dir });
    expect(lines.join("\n")).toMatch(/verified against the emulator's JWKS/);
    expect((await readdir(dir)).sort()).toEqual(expect.arrayContaining(["oci_db_key.pem", "oci_db_key_public.pem", "token"]));
  });
});
