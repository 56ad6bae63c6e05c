// The OCI client: GenerateScopedAccessToken, signed, with retries within the operation deadline.
import type { KeyObject } from "node:crypto";
import { type CallOptions, type ConfigContext, fingerprint, HttpTransport, type ProviderClient, refuseExpiredOnArrival, Secret, type Token, TokenmintError } from "@tokenmint/core";
import { API_PATH_PREFIX, type OciOptions, type ResolvedOciConfig, resolveConfig } from "./config.js";
import { ociErrorMapper } from "./errors.js";
import { OPERATIONS, parseSecurityToken, REQUEST_ID_HEADERS, SECRET_WIRE_NAMES } from "./generated/index.js";
import { type DbKeyPair, generateDbKeyPair } from "./keygen.js";
import { checkPublicKey } from "./public-key.js";
import { parseDbScope } from "./scopes.js";
import { createOciSigner, type OciSigner } from "./signer.js";
import { tokenFromResponse } from "./token.js";

const PROVIDER = "oci";
const OPERATION = OPERATIONS.generateScopedAccessToken;
/** oci-identitydataplane lib/client.js: `path: "/actions/generateScopedAccessToken"` under the `/v1` endpoint. */
export const GENERATE_SCOPED_ACCESS_TOKEN_PATH = `${API_PATH_PREFIX}${OPERATION.path}`;

/** One token request. */
export interface OciIssueRequest {
  /** Database scope, e.g. `urn:oracle:db::id::*` (see {@link dbScope}). */
  readonly scope: string;
  /**
   * The RSA public key to bind the token to: PEM (with or without line breaks) or bare base64 DER.
   * Omitted: a key pair is generated and its private key returned in `Token.privateKey`.
   */
  readonly publicKey?: string | undefined;
}

function requestError(message: string): TokenmintError {
  return new TokenmintError("invalid_request", message, { provider: PROVIDER });
}

/** The OCI provider client. Build it with {@link createOciClient}. */
export class OciClient implements ProviderClient {
  readonly provider = PROVIDER;
  readonly configKey: string;
  readonly config: ResolvedOciConfig;
  readonly #transport: HttpTransport;
  readonly #signer: OciSigner;

  constructor(config: ResolvedOciConfig) {
    this.config = config;
    const auth = config.auth;
    this.configKey = fingerprint({
      endpoint: config.endpoint,
      auth: auth.kind,
      tenancy: auth.tenancy,
      user: auth.kind === "api_key" ? auth.user : undefined,
      fingerprint: auth.kind === "api_key" ? auth.fingerprint : undefined,
      sessionToken: auth.kind === "session" ? auth.token : undefined,
      key: config.keyFingerprint,
    });
    this.#signer = createOciSigner({
      keyId: auth.kind === "api_key" ? `${auth.tenancy}/${auth.user}/${auth.fingerprint}` : sessionKeyId(auth.token),
      privateKey: config.privateKey,
      components: config.signedComponents,
      now: config.now,
    });
    this.#transport = new HttpTransport({
      provider: PROVIDER,
      attemptTimeoutMs: config.attemptTimeoutMs,
      operationTimeoutMs: config.operationTimeoutMs,
      retry: config.retry,
      requestIdHeaders: REQUEST_ID_HEADERS,
      userAgent: config.userAgent,
      sign: this.#signer.requestSigner,
      errorFromResponse: ociErrorMapper(),
      logger: config.logger,
      secretNames: SECRET_WIRE_NAMES,
    });
  }

  /** The full URL of the operation. */
  get url(): string {
    return `${this.config.endpoint}${GENERATE_SCOPED_ACCESS_TOKEN_PATH}`;
  }

  /**
   * Gets a database token for `scope`, bound to `publicKey` or to a key pair generated here (off the
   * event loop). Scope and key are checked before anything is sent. Retries 429, 5xx and network
   * failures (the operation has no side effects) until the deadline: the caller's, else
   * `operationTimeoutMs` (20 minutes by default). A token that arrives already expired (its expiry not
   * after now) is refused with `invalid_response` (`details.expiredOnArrival`).
   */
  async issue(request: OciIssueRequest, options: CallOptions = {}): Promise<Token> {
    if (request === null || typeof request !== "object") throw requestError("the request must be an object { scope, publicKey? }");
    if (request.scope === undefined) throw new TokenmintError("invalid_scope", "the request has no scope (e.g. urn:oracle:db::id::*)", { provider: PROVIDER });
    parseDbScope(request.scope);
    let publicKeyText: string;
    let publicKey: KeyObject;
    let privateKey: Secret | undefined;
    if (request.publicKey !== undefined) {
      const checked = checkPublicKey(request.publicKey);
      publicKeyText = checked.wire;
      publicKey = checked.key;
    } else {
      const pair = await generateWithinDeadline(this.config.keyBits, options);
      publicKeyText = pair.publicKeyPem;
      publicKey = checkPublicKey(pair.publicKeyPem).key;
      privateKey = pair.privateKeyPem;
    }
    // Field order as the SDK's model serialises it.
    const body = JSON.stringify({ scope: request.scope, publicKey: publicKeyText });
    const response = await this.#transport.send(
      { method: OPERATION.method, url: this.url, headers: { "content-type": "application/json", accept: "application/json" }, body },
      { signal: options.signal, deadline: options.deadline, retrySafe: OPERATION.retrySafe, successStatuses: OPERATION.successStatuses, operation: "generateScopedAccessToken" },
    );
    const parsed = parseSecurityToken(response.json(), { provider: PROVIDER, source: `response of POST ${GENERATE_SCOPED_ACCESS_TOKEN_PATH}` });
    const token = tokenFromResponse({ jwt: parsed.token, requestedScope: request.scope, publicKey, privateKey, requestId: response.requestId, raw: parsed as unknown as Record<string, unknown> });
    // A token already expired when it arrives (a server clock behind, a stale answer) is refused here,
    // not only by a TokenManager: `tokenmint issue` and direct callers must never get one.
    return refuseExpiredOnArrival(token);
  }

  /** Signs any request with this client's credentials (adds date, body headers and Authorization in place). */
  signRequest(request: { method: string; url: string | URL; headers: Record<string, string>; body?: string | Uint8Array | undefined }): void {
    this.#signer.sign(request);
  }
}

/**
 * Key generation bounded by the caller's deadline as well as its signal: the transport bounds only the
 * request, and RSA generation can take hundreds of milliseconds on a loaded machine (found by the fault
 * matrix of packages/proof). The thread-pool job cannot be cancelled; its result is dropped.
 */
async function generateWithinDeadline(bits: number | undefined, options: CallOptions): Promise<DbKeyPair> {
  if (options.deadline === undefined) return generateDbKeyPair({ bits, signal: options.signal });
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), Math.max(0, options.deadline - Date.now()));
  try {
    return await generateDbKeyPair({ bits, signal: options.signal === undefined ? timer.signal : AbortSignal.any([options.signal, timer.signal]) });
  } catch (error) {
    if (timer.signal.aborted && options.signal?.aborted !== true) {
      throw new TokenmintError("timeout", "the operation deadline passed while the key pair was generated", { provider: PROVIDER, details: { requestSent: false } });
    }
    throw error;
  } finally {
    clearTimeout(timeout);
  }
}

function sessionKeyId(token: Secret): Secret {
  // oci-common SessionAuthDetailProvider.getKeyId: "ST$" + token. Kept wrapped: it holds the token.
  return new Secret(`ST$${token.reveal()}`);
}

/** Creates a client, completing `options` from ~/.oci/config and the environment. */
export async function createOciClient(options: OciOptions = {}, context?: ConfigContext): Promise<OciClient> {
  return new OciClient(await resolveConfig(options, context));
}
