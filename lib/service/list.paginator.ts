import { SecPaidValidationError } from '../core/secpaid.errors.js';
import { abortError } from '../core/abort.util.js';
import type { SecPaidCallOptions } from '../http/request-executor.js';
import { SECPAID_MAX_LIST_LIMIT } from '../validation/secpaid.validators.js';

/**
 * Options of `toArray`: `limit` is required, so a whole history is never loaded by accident.
 * @publicApi
 */
export interface SecPaidToArrayOptions {
  /** The most items to collect (a positive integer); no page past the one that reaches it is fetched. */
  limit: number;
}

/** One answer of a list endpoint, as the paginator needs it. */
export interface SecPaidListChunk<T> {
  items: T[];
  /** `totalRecords`, when SecPaid sent it. */
  total?: number;
}

/**
 * How a list is walked (docs/secpaid-api.md §3.5-§3.9):
 * - `numbered`: `page` + `limit` (pay-ins, payouts, tax invoices). The last page is the one
 *   that reaches `total` when SecPaid sent it, otherwise the first short (or empty) page.
 * - `single`: `limit` only, no `page` is documented (the two link lists): one request.
 */
export type SecPaidListPaging = 'numbered' | 'single';

/** Fetches one page: `page` is `undefined` for `single` lists. */
export type SecPaidPageFetcher<T> = (
  page: number | undefined,
  limit: number,
  options: SecPaidCallOptions | undefined,
) => Promise<SecPaidListChunk<T>>;

/** What a paginator needs to know about its list. */
export interface SecPaidListPlan<T> {
  /** The `SecPaidService` method, for error messages. */
  method: string;
  paging: SecPaidListPaging;
  fetch: SecPaidPageFetcher<T>;
  /** First page (the query's `page`, default 1). */
  startPage: number;
  /** The query's `limit`, when it gave one: the page size. */
  pageSize: number | undefined;
  /** Called when a `single` list came back with SecPaid's maximum: it may hold more. */
  onFullSingle?: (method: string, limit: number) => void;
}

/**
 * Every item of a SecPaid list, fetched page by page as it is iterated (`for await`). Pages go
 * through the key's budget like every call, in the `background` lane unless the options name
 * another; nothing is fetched before the first
 * `next()`, and no page after the one the consumer stopped in. Aborting `signal` stops the walk
 * with a `SecPaidConnectionError` (`ABORT_ERR`), in flight, queued, or between items.
 * Each `for await` walks the list afresh.
 * @publicApi
 */
export class SecPaidPaginator<T> implements AsyncIterable<T> {
  /** The call options of every page: the `background` lane unless the caller chose one. */
  private readonly options: SecPaidCallOptions;

  constructor(
    private readonly plan: SecPaidListPlan<T>,
    options: SecPaidCallOptions | undefined,
  ) {
    // A report walking a whole history must not hold up a checkout (docs/replicas.md "Lanes").
    this.options = { ...options, lane: options?.lane ?? 'background' };
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.walk(this.plan.pageSize ?? SECPAID_MAX_LIST_LIMIT)[Symbol.asyncIterator]();
  }

  /**
   * Collects at most `limit` items. Without a page size in the query, pages are no larger than
   * `limit` (up to SecPaid's maximum of 1000), so a small `limit` costs one small request.
   * @example `const last50 = await secpaid.paginatePayInTransactions().toArray({ limit: 50 });`
   */
  async toArray(options: SecPaidToArrayOptions): Promise<T[]> {
    const limit = options?.limit;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
      throw new SecPaidValidationError(
        [{ field: 'limit', message: 'must be a positive integer (toArray needs an upper bound)' }],
        this.plan.method,
      );
    }
    const pageSize = this.plan.pageSize ?? Math.min(limit, SECPAID_MAX_LIST_LIMIT);
    const items: T[] = [];
    for await (const item of this.walk(pageSize)) {
      items.push(item);
      if (items.length >= limit) break;
    }
    return items;
  }

  private async *walk(pageSize: number): AsyncGenerator<T, void, undefined> {
    const { method, paging, fetch, startPage } = this.plan;
    const signal = this.options.signal;
    if (paging === 'single') {
      this.throwIfAborted(signal);
      const { items } = await fetch(undefined, pageSize, this.options);
      // Full at SecPaid's maximum: there may be more than SecPaid can list. (A smaller full
      // answer is just the `limit` the caller chose.)
      if (pageSize >= SECPAID_MAX_LIST_LIMIT && items.length >= pageSize) {
        this.plan.onFullSingle?.(method, pageSize);
      }
      yield* this.checked(items, signal);
      return;
    }
    for (let page = startPage; ; page++) {
      this.throwIfAborted(signal);
      const { items, total } = await fetch(page, pageSize, this.options);
      yield* this.checked(items, signal);
      if (isLastPage(items.length, pageSize, page, total)) return;
    }
  }

  /** Yields `items`, stopping at the first item after an abort. */
  private *checked(items: T[], signal: AbortSignal | undefined): Generator<T, void, undefined> {
    for (const item of items) {
      this.throwIfAborted(signal);
      yield item;
    }
  }

  private throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw abortError(this.plan.method, signal);
  }
}

/** The last page: an empty one always; with `total`, the one that reaches it; else a short one. */
function isLastPage(
  received: number,
  pageSize: number,
  page: number,
  total: number | undefined,
): boolean {
  if (received === 0) return true;
  if (total !== undefined) return page * pageSize >= total;
  return received < pageSize;
}
