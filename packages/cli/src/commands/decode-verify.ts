import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type CliFlag, type CliTokenFileFormat, decodeJwtUnverified, type JwksSource, numericDate, Secret, TokenmintError, verifyJwt } from "@tokenmint/core";
import type { CommandContext } from "../context.js";
import type { FoundProvider } from "../discover.js";
import { EXIT } from "../exit-codes.js";
import { GLOBAL_FLAGS, parseCommandLine, readAll } from "../flags.js";

export const VERIFY_FLAGS: readonly CliFlag[] = [
  { name: "jwks", description: "JWKS URL or file with the issuer's signing keys.", type: "string", required: true },
  { name: "issuer", description: "Required issuer (iss).", type: "string" },
  { name: "audience", description: "Required audience (aud).", type: "string" },
  { name: "alg", description: "Allowed algorithms (repeatable; default RS256, ES256, PS256).", type: "list" },
  { name: "clock-tolerance", description: "Seconds of clock difference tolerated (default 30).", type: "number" },
];

/**
 * Reads the token argument: the token itself, `-` for stdin, or a file of a format an installed provider
 * declares and reads (`ProviderCli.formats`, e.g. idcs's tokens.tok), by its name's ending.
 */
async function readTokenArg(ctx: CommandContext, arg: string | undefined): Promise<Secret> {
  if (arg === undefined) throw new TokenmintError("invalid_request", "give a token, - to read it from stdin, or a token file (e.g. tokens.tok)");
  if (arg === "-") return new Secret((await readAll(ctx.io.stdin)).trim());
  const format = await readableFormatFor(ctx.providers, arg);
  if (format?.read === undefined) return new Secret(arg);
  return format.read(resolve(ctx.io.cwd, arg));
}

/** The first provider format (in discovery order) that reads files whose name ends like `arg`. */
async function readableFormatFor(providers: ReadonlyMap<string, FoundProvider>, arg: string): Promise<CliTokenFileFormat | undefined> {
  for (const provider of providers.values()) {
    const format = (await provider.loadCli())?.formats?.find((f) => f.fileExtension !== undefined && f.read !== undefined && arg.endsWith(f.fileExtension));
    if (format !== undefined) return format;
  }
  return undefined;
}

export async function decodeCommand(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const parsed = parseCommandLine(args, GLOBAL_FLAGS);
  const token = await readTokenArg(ctx, parsed.positionals[0]);
  const { header, claims } = decodeJwtUnverified(token);
  ctx.io.stdout.write(`${JSON.stringify({ header, claims }, null, 2)}\n`);
  if (typeof claims.exp === "number") {
    // numericDate refuses an exp no Date can hold (it would make toISOString throw).
    const expires = numericDate(claims.exp, "the token's exp claim");
    const left = expires.getTime() - Date.now();
    ctx.reporter.info(`${left > 0 ? "expires" : "expired"} ${expires.toISOString()} (signature not verified: use tokenmint verify)`);
  }
  return EXIT.ok;
}

export async function verifyCommand(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const parsed = parseCommandLine(args, [...GLOBAL_FLAGS, ...VERIFY_FLAGS]);
  const token = await readTokenArg(ctx, parsed.positionals[0]);
  const jwksArg = parsed.values["jwks"];
  if (typeof jwksArg !== "string") throw new TokenmintError("invalid_request", "--jwks is required (URL or file)");
  let jwks: JwksSource = jwksArg;
  if (!/^https?:\/\//.test(jwksArg)) {
    try {
      jwks = JSON.parse(await readFile(resolve(ctx.io.cwd, jwksArg), "utf8")) as JwksSource;
    } catch {
      throw new TokenmintError("configuration", `--jwks ${jwksArg}: not a URL nor a readable JSON file`);
    }
  }
  const algs = parsed.values["alg"];
  const tolerance = parsed.values["clock-tolerance"];
  const verified = await verifyJwt(token, {
    jwks,
    algorithms: Array.isArray(algs) && algs.length > 0 ? (algs as string[]) : ["RS256", "ES256", "PS256"],
    issuer: parsed.values["issuer"] as string | undefined,
    audience: parsed.values["audience"] as string | undefined,
    clockToleranceSec: tolerance === undefined ? undefined : Number(tolerance),
  });
  ctx.io.stdout.write(`${JSON.stringify({ valid: true, header: verified.header, claims: verified.claims }, null, 2)}\n`);
  ctx.reporter.info("signature, algorithm, issuer, audience and times verified");
  return EXIT.ok;
}
