// The Huawei Cloud IAM Identity Center bearer-token client: create (never blindly repeated), list, revoke.
import { type CallOptions, type ConfigContext, type ErrorMapper, expiredOnArrival, fingerprint, HttpTransport, type ProviderClient, type Token, TokenmintError, type TokenRecord } from "@tokenmint/core";
import { type HuaweiCloudOptions, type ResolvedConfig, resolveConfig } from "./config.js";
import { huaweiErrorMapper } from "./errors.js";
import { type BearerTokenSummary, OPERATIONS, parseCreateBearerTokenResponse, parseListBearerTokensResponse, REQUEST_ID_HEADERS, SECRET_WIRE_NAMES } from "./generated/index.js";
import { pathId } from "./ids.js";
import { createFailureAmbiguity, describeOrphan, expiredCreateError, type OrphanCheck, orphanCandidates, type OrphanedToken, orphanError } from "./orphans.js";
import { createRequestSigner } from "./request-signer.js";
import { PROVIDER, recordFromSummary, type TenantRef, tokenFromCreate } from "./token.js";

/** A create request: where the token is made. */
export interface HuaweiCloudIssueRequest extends TenantRef {
  /** Overrides the client's `revokeOrphans` for this call. */
  readonly revokeOrphans?: boolean | undefined;
}

/** A revoke request: the token to delete and where it lives. */
export interface HuaweiCloudRevokeRequest extends TenantRef {
  readonly tokenId: string;
}

/** How many ids of tokens this client returned are remembered, to never mistake them for orphans. */
const OWN_IDS_KEPT = 1000;

interface Paths {
  readonly where: TenantRef;
  /** `/v1/identity-stores/{id}/tenant/{id}/bearer-token`, ids encoded. */
  readonly collection: string;
  /** Key for in-flight bookkeeping. */
  readonly key: string;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

function tenantPaths(request: unknown): Paths {
  if (request === null || typeof request !== "object") throw new TokenmintError("invalid_request", "the request must be an object with identityStoreId and tenantId", { provider: PROVIDER });
  const r = request as Partial<TenantRef>;
  const store = pathId("identityStoreId", r.identityStoreId);
  const tenant = pathId("tenantId", r.tenantId);
  return {
    where: { identityStoreId: r.identityStoreId!, tenantId: r.tenantId! },
    collection: `/v1/identity-stores/${store}/tenant/${tenant}/bearer-token`,
    key: `${store}/${tenant}`,
  };
}

/** The provider client. Build it with {@link createHuaweiCloudClient}. */
export class HuaweiCloudClient implements ProviderClient {
  readonly provider = PROVIDER;
  readonly configKey: string;
  readonly config: ResolvedConfig;
  readonly #transport: HttpTransport;
  readonly #mapError: ErrorMapper;
  /** Ids of tokens this client created and returned, or reported as expired on arrival (bounded, oldest dropped). */
  readonly #ownIds = new Set<string>();
  /** Creates under way per tenant: while another is in flight, an orphan is reported, never auto-revoked. */
  readonly #inFlight = new Map<string, number>();

  constructor(config: ResolvedConfig) {
    this.config = config;
    this.configKey = fingerprint({ endpoint: config.endpoint, accessKey: config.accessKey, secretKey: config.secretKey, securityToken: config.securityToken });
    this.#mapError = huaweiErrorMapper();
    this.#transport = new HttpTransport({
      provider: PROVIDER,
      attemptTimeoutMs: config.attemptTimeoutMs,
      operationTimeoutMs: config.operationTimeoutMs,
      retry: config.maxAttempts === undefined ? undefined : { maxAttempts: config.maxAttempts },
      requestIdHeaders: REQUEST_ID_HEADERS,
      userAgent: config.userAgent ?? "tokenmint-huaweicloud",
      sign: createRequestSigner({ accessKey: config.accessKey, secretKey: config.secretKey, securityToken: config.securityToken, now: config.now }),
      errorFromResponse: this.#mapError,
      logger: config.logger,
      secretNames: SECRET_WIRE_NAMES,
    });
  }

  /** Base URL of the identitystore endpoint. */
  get endpoint(): string {
    return this.config.endpoint;
  }

  /**
   * Creates a bearer token (POST .../bearer-token). Its value is returned only once: keep it.
   *
   * Never repeated blindly: the create is retried only when it provably was not processed (429,
   * connection refused). When it may have been processed but no usable answer was read (timeout, reset,
   * cut or unreadable 201, 5xx), the tenant's tokens are listed and the error reports the token the
   * attempt made (`details.orphanedTokens`), revoking it when `revokeOrphans` is set. A token that
   * arrives already expired (its expiry not after now) is refused with `invalid_response` and reported
   * the same way, by the id in the answer.
   */
  async issue(request: HuaweiCloudIssueRequest, options: CallOptions = {}): Promise<Token> {
    const paths = tenantPaths(request);
    const revokeOrphans = request.revokeOrphans ?? this.config.revokeOrphans;
    // The list before the create tells tokens made by a failed attempt apart from older ones.
    const baseline = this.config.listBeforeCreate ? new Set((await this.#listSummaries(paths, options)).map((t) => t.token_id)) : undefined;
    // Stop here, unambiguously, if the list used up the budget: past this point a failure may mean a token.
    if (options.signal?.aborted) throw new TokenmintError("aborted", "createBearerToken: aborted by the caller before the create was sent", { provider: PROVIDER, cause: options.signal.reason });
    if (options.deadline !== undefined && options.deadline <= Date.now()) {
      throw new TokenmintError("timeout", "createBearerToken: the operation deadline passed before the create was sent", { provider: PROVIDER, details: { requestSent: false } });
    }
    const startedAt = this.config.now();
    this.#inFlight.set(paths.key, (this.#inFlight.get(paths.key) ?? 0) + 1);
    try {
      let token: Token;
      try {
        const response = await this.#transport.send({ method: "POST", url: `${this.config.endpoint}${paths.collection}`, headers: { accept: "application/json" } }, { ...options, retrySafe: OPERATIONS.createBearerToken.retrySafe, operation: "createBearerToken" });
        token = tokenFromCreate(parseCreateBearerTokenResponse(response.json(), { provider: PROVIDER, source: "response of createBearerToken" }), response.requestId);
      } catch (error) {
        if (error instanceof TokenmintError && error.code === "aborted") throw abortedCreate(error, paths.where, startedAt);
        const ambiguity = createFailureAmbiguity(error);
        if (ambiguity === undefined) throw error;
        const concurrent = (this.#inFlight.get(paths.key) ?? 0) > 1;
        // A server that answered has finished with the request, unless a gateway gave up waiting (504).
        const settle = ambiguity === "server-error" && (error as TokenmintError).status !== 504 ? 0 : this.config.orphanCheck.settleMs;
        throw await this.#followUpAmbiguousCreate(paths, error as TokenmintError, baseline, startedAt, revokeOrphans, concurrent, settle, options.signal);
      }
      // A token that arrives expired exists on the server all the same (and counts against the
      // tenant's limit): refused, and reported by id like a token of an ambiguous create.
      const expired = expiredOnArrival(token);
      if (expired !== undefined) throw await this.#refuseExpiredCreate(paths, token, expired, revokeOrphans, options.signal);
      this.#remember(token.id!);
      return token;
    } finally {
      const n = (this.#inFlight.get(paths.key) ?? 1) - 1;
      if (n <= 0) this.#inFlight.delete(paths.key);
      else this.#inFlight.set(paths.key, n);
    }
  }

  /** Lists the tenant's tokens (GET .../bearer-token), without values: the service never returns them again. */
  list(query: TenantRef, options: CallOptions = {}): AsyncIterable<TokenRecord> {
    // Validated now, so bad ids fail at the call, before any request.
    const paths = tenantPaths(query);
    const summaries = () => this.#listSummaries(paths, options);
    return {
      async *[Symbol.asyncIterator]() {
        // No pagination is documented: one answer holds every token.
        for (const summary of await summaries()) yield recordFromSummary(summary, paths.where);
      },
    };
  }

  /** {@link list} collected into an array. */
  async listAll(query: TenantRef, options: CallOptions = {}): Promise<TokenRecord[]> {
    const paths = tenantPaths(query);
    return (await this.#listSummaries(paths, options)).map((s) => recordFromSummary(s, paths.where));
  }

  /**
   * Deletes a token (DELETE .../bearer-token/{token_id}). Repeated on timeouts, resets and 5xx. A 404
   * answering a repeat (after an attempt that may have deleted the token) counts as success: the token
   * is gone, as asked. A 404 when no earlier attempt can have deleted it (the first, or after a 429 or a
   * refused connection) is `not_found`, so a wrong id is not taken for success.
   */
  async revoke(target: HuaweiCloudRevokeRequest, options: CallOptions = {}): Promise<void> {
    const paths = tenantPaths(target);
    const tokenId = pathId("tokenId", (target as Partial<HuaweiCloudRevokeRequest>).tokenId);
    await this.#delete(paths, tokenId, options);
  }

  async #delete(paths: Paths, tokenId: string, options: CallOptions): Promise<void> {
    const response = await this.#transport.send(
      { method: "DELETE", url: `${this.config.endpoint}${paths.collection}/${tokenId}`, headers: { accept: "application/json" } },
      // 404 is read here, not by the transport: after a repeat it means "already deleted".
      { ...options, retrySafe: OPERATIONS.deleteBearerToken.retrySafe, operation: "deleteBearerToken", successStatuses: [...OPERATIONS.deleteBearerToken.successStatuses, 202, 404] },
    );
    if (response.status === 404 && !response.earlierAttemptMayHaveApplied) throw this.#mapError(response);
  }

  async #listSummaries(paths: Paths, options: CallOptions): Promise<BearerTokenSummary[]> {
    const response = await this.#transport.send({ method: "GET", url: `${this.config.endpoint}${paths.collection}`, headers: { accept: "application/json" } }, { ...options, retrySafe: OPERATIONS.listBearerTokens.retrySafe, operation: "listBearerTokens" });
    return parseListBearerTokensResponse(response.json(), { provider: PROVIDER, source: "response of listBearerTokens" }).bearer_tokens;
  }

  #remember(id: string): void {
    this.#ownIds.add(id);
    if (this.#ownIds.size > OWN_IDS_KEPT) this.#ownIds.delete(this.#ownIds.values().next().value as string);
  }

  /**
   * The error for a create whose token arrived expired: the token exists, its id is in the answer, so it
   * is reported (and revoked when `revokeOrphans` is set) without any listing. Its id is remembered, so
   * a later orphan check never takes it for the token of another failed create.
   */
  async #refuseExpiredCreate(paths: Paths, token: Token, expired: TokenmintError, revokeOrphans: boolean, signal: AbortSignal | undefined): Promise<TokenmintError> {
    const id = token.id!;
    this.#remember(id);
    let revoked = false;
    let revokeSkipped: string | undefined;
    if (revokeOrphans) {
      try {
        await this.#delete(paths, pathId("token_id", id), { signal, deadline: Date.now() + this.config.orphanCheck.timeoutMs });
        revoked = true;
      } catch (error) {
        revokeSkipped = `revoking it failed: ${error instanceof TokenmintError ? `${error.code}: ${error.message}` : "unexpected error"}`;
      }
    }
    return expiredCreateError({ expired, where: paths.where, token: { id, ...isoTimes(token) }, revoked, revokeSkipped });
  }

  /**
   * Lists the tenant's tokens until the one the failed create made shows up (it may still be running on
   * the server) or `orphanCheck.settleMs` passes, revokes it when asked and safe, and returns the error to
   * throw. Runs on its own budget (`orphanCheck.timeoutMs`) even after the operation's deadline, because
   * leaving an orphan unreported is worse than a late error; the caller's AbortSignal still stops it.
   */
  async #followUpAmbiguousCreate(paths: Paths, failure: TokenmintError, baseline: ReadonlySet<string> | undefined, startedAt: number, revokeOrphans: boolean, concurrent: boolean, settleMs: number, signal: AbortSignal | undefined): Promise<TokenmintError> {
    const { intervalMs, timeoutMs, windowMs } = this.config.orphanCheck;
    const budgetEnd = Date.now() + timeoutMs;
    const settleEnd = Date.now() + settleMs;
    const windowStart = startedAt - windowMs;
    let candidates: BearerTokenSummary[] = [];
    let checkError: TokenmintError | undefined;
    for (;;) {
      try {
        candidates = orphanCandidates(await this.#listSummaries(paths, { signal, deadline: budgetEnd }), baseline, windowStart, this.#ownIds);
        checkError = undefined;
      } catch (error) {
        if (!(error instanceof TokenmintError)) throw error;
        checkError = error;
        if (error.code === "aborted") break;
      }
      if (candidates.length > 0 || signal?.aborted || Date.now() + intervalMs > Math.min(settleEnd, budgetEnd)) break;
      await sleep(intervalMs, signal);
    }
    const orphans: OrphanedToken[] = candidates.map(describeOrphan);
    const check: OrphanCheck = orphans.length > 0 ? "found" : checkError !== undefined ? "failed" : "none-found";
    const revoked: string[] = [];
    let revokeSkipped: string | undefined;
    if (revokeOrphans && orphans.length > 0) {
      if (orphans.length > 1) revokeSkipped = "several tokens appeared and it cannot be told which one the failed attempt made";
      else if (concurrent || (this.#inFlight.get(paths.key) ?? 0) > 1) revokeSkipped = "another create on this tenant was under way, so the token may be its";
      else {
        try {
          await this.#delete(paths, pathId("token_id", orphans[0]!.id), { signal, deadline: budgetEnd });
          revoked.push(orphans[0]!.id);
        } catch (error) {
          revokeSkipped = `revoking it failed: ${error instanceof TokenmintError ? `${error.code}: ${error.message}` : "unexpected error"}`;
        }
      }
    }
    return orphanError({ failure, where: paths.where, check, orphans, revoked, revokeSkipped, checkError: orphans.length > 0 ? undefined : checkError, attemptStartedAt: startedAt, settleMs });
  }
}

function isoTimes(token: Token): { createdAt?: string; expiresAt?: string } {
  return { ...(token.issuedAt ? { createdAt: token.issuedAt.toISOString() } : {}), ...(token.expiresAt ? { expiresAt: token.expiresAt.toISOString() } : {}) };
}

/** An aborted create may have reached the server too; the caller asked to stop, so only say so. */
function abortedCreate(error: TokenmintError, where: TenantRef, startedAt: number): TokenmintError {
  return new TokenmintError("aborted", error.message, {
    provider: error.provider,
    hint: `the create may have reached the server before the abort: list the tokens of identity store ${where.identityStoreId}, tenant ${where.tenantId}, and revoke any created after ${new Date(startedAt).toISOString()} that you did not receive`,
    details: { ...error.details, requestMayHaveBeenProcessed: true, attemptStartedAt: new Date(startedAt).toISOString() },
    cause: error.cause ?? error,
  });
}

/** Builds a client from options, filling gaps from the environment (HUAWEICLOUD_SDK_AK, ...). */
export function createHuaweiCloudClient(options: HuaweiCloudOptions = {}, context: ConfigContext = {}): HuaweiCloudClient {
  return new HuaweiCloudClient(resolveConfig(options, context.env ?? process.env, context.logger));
}
