// IDCS client assertions (RS256 JWTs for private_key_jwt): ours vs jose's SignJWT with a pre-imported
// key, the physical floor, in alternating rounds of one run (see shared/reference/benchmarks.md).
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { clientAuthParts, createAssertionSigner, encodeForm } from "@tokenmint/provider-idcs";
import { importPKCS8, SignJWT } from "jose";
import { fmt, measure, ratio } from "../harness.js";
import type { Row } from "../report.js";

const CLIENT_ID = "31282cbe9858409ab5b5a6020e85ccb6";
const AUDIENCE = ["https://identity.oraclecloud.com/", "https://idcs-bench.identity.oraclecloud.com/"];

export async function idcsSuite(): Promise<Row[]> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  const key = await importPKCS8(pem, "RS256");
  const signer = await createAssertionSigner({ privateKey: pem, keyId: "bench-cert-alias", provider: "idcs" });
  const auth = { method: "private_key_jwt" as const, clientId: CLIENT_ID, signer, audience: AUDIENCE };

  const floor = async () => {
    const iat = Math.floor(Date.now() / 1000);
    await new SignJWT({ iss: CLIENT_ID, sub: CLIENT_ID, aud: AUDIENCE, iat, exp: iat + 300, jti: randomUUID() }).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "bench-cert-alias" }).sign(key);
  };
  const [base, ours, full] = await measure([
    { name: "baseline: jose SignJWT, pre-imported key", run: async (n) => { for (let i = 0; i < n; i++) await floor(); } },
    { name: "tokenmint client assertion (AssertionSigner.sign)", run: async (n) => { for (let i = 0; i < n; i++) await signer.sign({ iss: CLIENT_ID, sub: CLIENT_ID, aud: AUDIENCE }); } },
    { name: "tokenmint private_key_jwt form (clientAuthParts + encodeForm)", run: async (n) => { for (let i = 0; i < n; i++) encodeForm((await clientAuthParts(auth, "idcs")).form); } },
  ]);
  const vsFloor = ratio(ours!, base!);
  const fullVsFloor = ratio(full!, base!);
  return [
    { figure: "client assertions signed per second / jose SignJWT (pre-imported key)", value: vsFloor.median, spread: [vsFloor.min, vsFloor.max], goal: ">= 0.95", context: `${fmt(ours!.median)}/s vs ${fmt(base!.median)}/s (RS256, RSA-2048)` },
    { figure: "private_key_jwt client authentication form built per second / jose SignJWT", value: fullVsFloor.median, spread: [fullVsFloor.min, fullVsFloor.max], goal: ">= 0.9", context: `${fmt(full!.median)}/s` },
    { figure: "client assertions signed per second", value: ours!.median, goal: "context only: absolute figures vary with the machine", context: `rounds: ${ours!.perRound.map(fmt).join(", ")}` },
  ];
}
