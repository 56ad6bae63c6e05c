// The Intersight client: list (every page), get, revoke and bulk revoke of iam.OAuthToken records,
// signed with an API key.
import {
  type CallOptions,
  type ConfigContext,
  type ErrorMapper,
  fingerprint,
  HttpTransport,
  type HttpResponse,
  type ProviderClient,
  type TokenRecord,
  TokenmintError,
} from "@tokenmint/core";
import { type IntersightOptions, type ResolvedConfig, resolveConfig } from "./config.js";
import { intersightErrorMapper } from "./errors.js";
import { type IamOAuthToken, OPERATIONS, parseIamOAuthToken, parseIamOAuthTokenList, REQUEST_ID_HEADERS, SECRET_WIRE_NAMES } from "./generated/index.js";
import { type ApiKey, parseApiKey } from "./keys.js";
import { type PageRequest, paginate } from "./paginate.js";
import { filterText, type ListQuery, orderByText, type PageQuery, selectList, stableOrder, wholeNumber } from "./query.js";
import { toTokenRecord } from "./records.js";
import { createIntersightSigner } from "./signer.js";

const PROVIDER = "intersight";
const API_PREFIX = "/api/v1";
const COLLECTION = OPERATIONS.GetIamOAuthTokenList.path;
/** Moids are 24 hex digits (MongoDB ObjectIds); checking them keeps anything else out of the URL path. */
const MOID = /^[0-9a-f]{24}$/i;

/** One page of a full listing. */
export interface TokenRecordPage {
  /** Records not returned by an earlier page, in order. */
  readonly records: readonly TokenRecord[];
  /** 0-based page number. */
  readonly index: number;
  /** The number of matching records when the listing began (`$inlinecount=allpages` on the first request). */
  readonly totalAtStart: number | undefined;
  /** Re-synchronisations this page needed because records before the cursor were deleted. */
  readonly resyncs: number;
}

/** One request's answer (`listPage`). */
export interface ListPageResult {
  readonly records: readonly TokenRecord[];
  /** `Count` when `inlineCount` was asked. */
  readonly count: number | undefined;
}

export interface RevokeOptions extends CallOptions {
  /** Treat an unknown Moid as done instead of `not_found`. Default false. */
  missingOk?: boolean | undefined;
}

export interface BulkRevokeOptions extends CallOptions {
  /** List what would be revoked without deleting anything. Default false. */
  dryRun?: boolean | undefined;
  /** Deletions in flight at once. Default 4. */
  concurrency?: number | undefined;
  /** Called after each deletion (done so far, total), e.g. for a progress line. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** A bulk revoke query: a filter is required unless `all` says every record is meant. */
export interface BulkRevokeQuery extends Omit<ListQuery, "select"> {
  /** Revoke every record when no filter is given (a guard against an accidental empty filter). */
  readonly all?: boolean | undefined;
}

/** What a bulk revoke did (or, with `dryRun`, would do). */
export interface BulkRevokeResult {
  readonly dryRun: boolean;
  /** Moids revoked (or that would be), in listing order. */
  readonly ids: readonly string[];
  /** The matching records as listed before any deletion. */
  readonly records: readonly TokenRecord[];
  /** Moids that were gone by the time they were deleted (logged out or expired meanwhile). */
  readonly alreadyGone: readonly string[];
  /** Deletions that failed; the others went ahead. */
  readonly failed: readonly { readonly id: string; readonly error: TokenmintError }[];
}

/** Errors after which a bulk revoke stops: later deletions would fail the same way. */
const FATAL = new Set(["invalid_credentials", "access_denied", "aborted", "timeout", "configuration"]);

function checkMoid(moid: string): string {
  if (typeof moid !== "string" || !MOID.test(moid)) throw new TokenmintError("invalid_request", "a Moid is 24 hexadecimal digits", { provider: PROVIDER });
  return moid;
}

/**
 * A client of one Intersight account, authenticated with an API key. Create it with
 * {@link createIntersightClient}.
 */
export class IntersightClient implements ProviderClient {
  readonly provider = PROVIDER;
  readonly configKey: string;
  /** Service URL, e.g. https://intersight.com. */
  readonly endpoint: string;
  readonly keyId: string;
  /** `rsa-sha256` for RSA (v2) keys, `hs2019` for EC (v3) keys. */
  readonly algorithm: ApiKey["algorithm"];
  readonly #config: ResolvedConfig;
  readonly #transport: HttpTransport;
  readonly #mapError: ErrorMapper;

  constructor(config: ResolvedConfig, context: ConfigContext = {}) {
    const key = parseApiKey(config.privateKeyPem);
    this.#config = config;
    this.endpoint = config.endpoint;
    this.keyId = config.keyId;
    this.algorithm = key.algorithm;
    this.configKey = fingerprint({ endpoint: config.endpoint, keyId: config.keyId, privateKey: config.privateKeyPem });
    this.#mapError = intersightErrorMapper();
    const { sign } = createIntersightSigner({ keyId: config.keyId, key: key.key, algorithm: key.algorithm, signedHeaders: config.signedHeaders, validitySeconds: config.signatureValiditySeconds, now: config.now });
    this.#transport = new HttpTransport({
      provider: PROVIDER,
      attemptTimeoutMs: config.attemptTimeoutMs,
      operationTimeoutMs: config.operationTimeoutMs,
      retry: config.maxAttempts === undefined ? undefined : { maxAttempts: config.maxAttempts },
      requestIdHeaders: REQUEST_ID_HEADERS,
      userAgent: config.userAgent,
      sign,
      errorFromResponse: this.#mapError,
      logger: context.logger,
      secretNames: SECRET_WIRE_NAMES,
    });
  }

  #url(path: string, params?: URLSearchParams): URL {
    const url = new URL(`${this.endpoint}${API_PREFIX}${path}`);
    if (params !== undefined && [...params.keys()].length > 0) url.search = params.toString();
    return url;
  }

  async #getList(params: URLSearchParams, options: CallOptions): Promise<{ results: Record<string, unknown>[]; parsed: IamOAuthToken[]; count: number | undefined; objectType: string }> {
    const response = await this.#transport.send(
      { method: "GET", url: this.#url(COLLECTION, params) },
      { signal: options.signal, deadline: options.deadline, retrySafe: OPERATIONS.GetIamOAuthTokenList.retrySafe, successStatuses: OPERATIONS.GetIamOAuthTokenList.successStatuses, operation: "GetIamOAuthTokenList" },
    );
    const raw = response.json();
    // Validates every record (bad shapes fail with the JSON pointer); the raw objects are kept so
    // that `extras` has Intersight's own strings.
    const parsed = parseIamOAuthTokenList(raw, { provider: PROVIDER, source: `response of GET ${API_PREFIX}${COLLECTION}` });
    const results = ((raw as { Results?: unknown }).Results ?? []) as Record<string, unknown>[];
    return { results, parsed: parsed.Results ?? [], count: parsed.Count, objectType: parsed.ObjectType };
  }

  /** One request, exactly as asked: `$filter`, `$select`, `$orderby`, `$top`, `$skip`, `$inlinecount`. */
  async listPage(query: PageQuery = {}, options: CallOptions = {}): Promise<ListPageResult> {
    const params = new URLSearchParams();
    const filter = filterText(query.filter);
    const select = selectList(query.select);
    const orderby = orderByText(query.orderBy);
    const top = wholeNumber(query.top, "top", 0, this.#config.maxPageSize);
    const skip = wholeNumber(query.skip, "skip", 0);
    if (filter !== undefined) params.set("$filter", filter);
    if (select !== undefined) params.set("$select", select.join(","));
    if (orderby !== undefined) params.set("$orderby", orderby);
    if (top !== undefined) params.set("$top", String(top));
    if (skip !== undefined) params.set("$skip", String(skip));
    if (query.inlineCount) params.set("$inlinecount", "allpages");
    const page = await this.#getList(params, options);
    return { records: page.results.map((r, i) => toTokenRecord(r, page.parsed[i])), count: page.count };
  }

  /** The number of records matching a filter (`$count=true`). */
  async count(filter?: ListQuery["filter"], options: CallOptions = {}): Promise<number> {
    return this.#count(filterText(filter), options);
  }

  async #count(filter: string | undefined, options: CallOptions): Promise<number> {
    const params = new URLSearchParams();
    if (filter !== undefined) params.set("$filter", filter);
    params.set("$count", "true");
    const page = await this.#getList(params, options);
    if (page.count === undefined) throw new TokenmintError("invalid_response", `$count=true was answered without Count (ObjectType ${page.objectType})`, { provider: PROVIDER });
    return page.count;
  }

  /**
   * Every matching record, page by page: stable when records are added or deleted meanwhile (no
   * duplicates, nothing silently skipped; see paginate.ts).
   *
   * @example
   * for await (const page of client.pages({ filter: { ClientName: "Terraform" }, pageSize: 500 })) {
   *   console.log(page.index, page.records.length);
   * }
   */
  async *pages(query: ListQuery = {}, options: CallOptions = {}): AsyncGenerator<TokenRecordPage, void, undefined> {
    const filter = filterText(query.filter);
    const select = selectList(query.select);
    const order = stableOrder(query.orderBy);
    const pageSize = wholeNumber(query.pageSize, "pageSize", 1, this.#config.maxPageSize) ?? this.#config.pageSize;
    const limit = wholeNumber(query.top, "top", 0);
    if (query.strategy !== undefined && query.strategy !== "offset" && query.strategy !== "keyset") throw new TokenmintError("invalid_request", 'strategy is "offset" or "keyset"', { provider: PROVIDER });
    // Raw record -> its parsed twin (dates already decoded), for the pages the pager yields.
    const typed = new WeakMap<Record<string, unknown>, IamOAuthToken>();
    const source = {
      fetchPage: async (request: PageRequest) => {
        const params = new URLSearchParams();
        if (request.filter !== undefined) params.set("$filter", request.filter);
        if (request.select !== undefined) params.set("$select", request.select);
        params.set("$orderby", request.orderby);
        params.set("$top", String(request.top));
        params.set("$skip", String(request.skip));
        if (request.inlineCount) params.set("$inlinecount", "allpages");
        const page = await this.#getList(params, options);
        for (let i = 0; i < page.results.length; i++) typed.set(page.results[i]!, page.parsed[i]!);
        return page;
      },
      count: (countFilter: string | undefined) => this.#count(countFilter, options),
    };
    for await (const page of paginate(source, { filter, order, pageSize, maxPageSize: this.#config.maxPageSize, limit, select, strategy: query.strategy })) {
      yield { records: page.results.map((r) => toTokenRecord(r, typed.get(r))), index: page.index, totalAtStart: page.totalAtStart, resyncs: page.resyncs };
    }
  }

  /**
   * Every matching record as canonical TokenRecords (`extras` keeps every Intersight property).
   *
   * @example
   * const weekAgo = new Date(Date.now() - 7 * 86_400_000);
   * for await (const record of client.list({ filter: { LastLoginTime: { lt: weekAgo } } })) console.log(record.id, record.client);
   */
  async *list(query: ListQuery = {}, options: CallOptions = {}): AsyncGenerator<TokenRecord, void, undefined> {
    for await (const page of this.pages(query, options)) yield* page.records;
  }

  /** Collects {@link list} into an array. */
  async listAll(query: ListQuery = {}, options: CallOptions = {}): Promise<TokenRecord[]> {
    const out: TokenRecord[] = [];
    for await (const page of this.pages(query, options)) out.push(...page.records);
    return out;
  }

  /** One record by Moid; `not_found` when it does not exist. */
  async get(moid: string, options: CallOptions = {}): Promise<TokenRecord> {
    const path = OPERATIONS.GetIamOAuthTokenByMoid.path.replace("{Moid}", checkMoid(moid));
    const response = await this.#transport.send(
      { method: "GET", url: this.#url(path) },
      { signal: options.signal, deadline: options.deadline, retrySafe: OPERATIONS.GetIamOAuthTokenByMoid.retrySafe, successStatuses: OPERATIONS.GetIamOAuthTokenByMoid.successStatuses, operation: "GetIamOAuthTokenByMoid" },
    );
    const raw = response.json();
    const parsed = parseIamOAuthToken(raw, { provider: PROVIDER, source: `response of GET ${API_PREFIX}${OPERATIONS.GetIamOAuthTokenByMoid.path}` });
    return toTokenRecord(raw as Record<string, unknown>, parsed);
  }

  /**
   * Revokes one record (`DELETE /api/v1/iam/OAuthTokens/{Moid}`): the session it stands for can no
   * longer be refreshed. DELETE is retried like GET because repeating it changes nothing; when a
   * repeated attempt (after a timeout, reset or 5xx of an earlier one) answers 404, the earlier attempt
   * did the deletion, and that counts as success. A 404 when no earlier attempt can have deleted anything
   * (the first, or after a 429 or a refused connection) is `not_found` (unless `missingOk`).
   */
  async revoke(moid: string, options: RevokeOptions = {}): Promise<void> {
    await this.#delete(moid, options);
  }

  /** Deletes; returns "deleted" or "gone" (404 after an attempt that may have deleted, or with missingOk). */
  async #delete(moid: string, options: RevokeOptions): Promise<"deleted" | "gone"> {
    const path = OPERATIONS.DeleteIamOAuthToken.path.replace("{Moid}", checkMoid(moid));
    const response: HttpResponse = await this.#transport.send(
      { method: "DELETE", url: this.#url(path) },
      { signal: options.signal, deadline: options.deadline, retrySafe: OPERATIONS.DeleteIamOAuthToken.retrySafe, successStatuses: [...OPERATIONS.DeleteIamOAuthToken.successStatuses, 204, 404], operation: "DeleteIamOAuthToken" },
    );
    if (response.status !== 404) return "deleted";
    if (response.earlierAttemptMayHaveApplied || options.missingOk) return "gone";
    throw this.#mapError(response);
  }

  /**
   * Revokes every record matching a query, e.g. every token of one application older than 30 days.
   * The matching records are listed first (all pages), then deleted with bounded concurrency. With
   * `dryRun` nothing is deleted and the result says what would be.
   *
   * @example
   * const cutoff = new Date(Date.now() - 30 * 86_400_000);
   * const plan = await client.revokeMatching({ filter: { ClientName: "Terraform", CreateTime: { lt: cutoff } } }, { dryRun: true });
   * console.log(`would revoke ${plan.ids.length}`);
   */
  async revokeMatching(query: BulkRevokeQuery, options: BulkRevokeOptions = {}): Promise<BulkRevokeResult> {
    if (query.filter === undefined && query.all !== true) {
      throw new TokenmintError("invalid_request", "revokeMatching needs a filter; to revoke every token record, pass all: true", { provider: PROVIDER });
    }
    const concurrency = wholeNumber(options.concurrency, "concurrency", 1, 64) ?? 4;
    const { all: _all, ...listQuery } = query;
    const records = await this.listAll(listQuery, options);
    const ids = records.map((r) => r.id);
    if (options.dryRun) return { dryRun: true, ids, records, alreadyGone: [], failed: [] };

    const alreadyGone: string[] = [];
    const failed: { id: string; error: TokenmintError }[] = [];
    let next = 0;
    let done = 0;
    let fatal: TokenmintError | undefined;
    const worker = async () => {
      while (fatal === undefined && next < ids.length) {
        const id = ids[next++]!;
        try {
          if ((await this.#delete(id, { ...options, missingOk: true })) === "gone") alreadyGone.push(id);
        } catch (error) {
          if (!(error instanceof TokenmintError)) throw error;
          if (FATAL.has(error.code)) fatal ??= error;
          else failed.push({ id, error });
        }
        options.onProgress?.(++done, ids.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
    if (fatal !== undefined) throw fatal;
    const failedIds = new Set(failed.map((f) => f.id));
    return { dryRun: false, ids: ids.filter((id) => !failedIds.has(id)), records, alreadyGone, failed };
  }
}

/** Creates a client from options, filling gaps from the environment (see config.ts for the names). */
export function createIntersightClient(options: IntersightOptions = {}, context: ConfigContext = {}): IntersightClient {
  return new IntersightClient(resolveConfig(options, context), context);
}
