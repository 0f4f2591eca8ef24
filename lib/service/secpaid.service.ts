import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { AxiosInstance } from 'axios';
import { inspect } from 'node:util';
import type { CreateLinkInput } from '../dto/create-link.dto.js';
import type { CreateSplitLinkInput, CreateSplitLinkDto } from '../dto/create-split-link.dto.js';
import type {
  LinkListQuery,
  PayInTransactionQuery,
  PayOutTransactionQuery,
  TaxInvoiceQuery,
} from '../dto/list-queries.dto.js';
import type { RefundPaymentInput } from '../dto/refund-payment.dto.js';
import { SecPaidRequestExecutor, type SecPaidCallOptions } from '../http/request-executor.js';
import { SecPaidRetryPolicy } from '../http/retry.policy.js';
import {
  SECPAID_API_KEY,
  SECPAID_RETRY_POLICY,
  SECPAID_SHUTDOWN_GATE,
  SECPAID_TELEMETRY,
  SECPAID_HTTP_SERVICE,
  SECPAID_RESOLVED_OPTIONS,
  SECPAID_CONFIRMATION_LANE,
  SECPAID_CREATED_LINKS,
} from '../secpaid.constants.js';
import { SecPaidShutdownGate } from '../http/secpaid-request.pipeline.js';
import { SecPaidTelemetry } from '../observability/secpaid.telemetry.js';
import type { PaidLink } from '../models/paid-link.model.js';
import type { Page } from '../models/page.model.js';
import {
  isSuccessfulPaymentRow,
  type PayInTransaction,
} from '../models/pay-in-transaction.model.js';
import type { PayOutTransaction } from '../models/pay-out-transaction.model.js';
import type { PaymentLink } from '../models/payment-link.model.js';
import type { RefundRequest } from '../models/refund-request.model.js';
import type { TaxInvoice } from '../models/tax-invoice.model.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import type { SecPaidEnvironment } from '../secpaid.constants.js';
import { SecPaidValidationError } from '../core/secpaid.errors.js';
import type { SecPaidApiKeyHolder } from '../options/api-key.holder.js';
import { snapshotCallOptions, type CallOptionsSnapshot } from '../validation/call-options.rule.js';
import {
  readCallbackQuery,
  type SecPaidCallbackVerification,
  type SecPaidConfirmationLane,
} from './callback-verification.js';
import type { SecPaidCreatedLinks } from './created-links.ledger.js';
import { sendReconciled } from './create-reconciliation.js';
import { validateInput } from '../validation/validate-input.util.js';
import { SecPaidPaginator, type SecPaidListPaging } from './list.paginator.js';
import { SECPAID_ENDPOINTS, type SecPaidEndpoint } from './secpaid-endpoints.js';

/**
 * What `verifyApiKey()` resolves to when SecPaid accepted the key.
 * @publicApi
 */
export interface SecPaidApiKeyVerification {
  valid: true;
  /** The environment the key was checked against. */
  environment: SecPaidEnvironment;
  /** Round trip of the check, in ms. */
  latencyMs: number;
}

const VERIFY_QUERY = Object.freeze({ page: 1, limit: 1 });

/**
 * The SecPaid v2 API, one method per endpoint. Every method validates its input first
 * (`SecPaidValidationError`, nothing sent), goes through the module's rate limiter and axios
 * instance, retries only what its safety class allows, and rejects with a typed `SecPaidError`
 * that never contains the API key. The last argument of every method is
 * `{ signal?, timeoutMs?, apiKey? }`. The endpoints themselves are defined in `SECPAID_ENDPOINTS`.
 * @publicApi
 */
@Injectable()
export class SecPaidService {
  private readonly logger = new Logger(SecPaidService.name);
  private readonly executor: SecPaidRequestExecutor;

  constructor(
    @Inject(SECPAID_HTTP_SERVICE) http: HttpService,
    @Inject(SECPAID_RESOLVED_OPTIONS) private readonly options: ResolvedSecPaidOptions,
    @Inject(SECPAID_RETRY_POLICY) retryPolicy: SecPaidRetryPolicy,
    @Inject(SECPAID_TELEMETRY) private readonly telemetry: SecPaidTelemetry,
    @Inject(SECPAID_SHUTDOWN_GATE) gate: SecPaidShutdownGate,
    @Inject(SECPAID_API_KEY) keys: SecPaidApiKeyHolder,
    @Optional()
    @Inject(SECPAID_CREATED_LINKS)
    private readonly createdLinks: SecPaidCreatedLinks | null = null,
    @Optional()
    @Inject(SECPAID_CONFIRMATION_LANE)
    private readonly confirmationLane: SecPaidConfirmationLane | null = null,
  ) {
    this.executor = new SecPaidRequestExecutor(
      // @nestjs/axios 4 (Nest 11) exposes axios' CommonJS typings; the instance is the same.
      http.axiosRef as AxiosInstance,
      keys,
      retryPolicy,
      options.maxRetries,
      this.logger,
      gate.closing,
    );
  }

  /**
   * Creates a payment link.
   * @example `const link = await secpaid.createLink({ amount: 49.99, note: 'Order 1001' });`
   */
  createLink(input: CreateLinkInput, options?: SecPaidCallOptions): Promise<PaymentLink> {
    return this.noted(this.call(SECPAID_ENDPOINTS.createLink, input, options), options);
  }

  /**
   * Creates a split link: recipients get their shares, you keep the remainder.
   * @example `await secpaid.createSplitLink({ amount: 100, recipients: [{ token: 'partner-a', share: 30 }] });`
   */
  createSplitLink(input: CreateSplitLinkInput, options?: SecPaidCallOptions): Promise<PaymentLink> {
    return this.noted(this.call(SECPAID_ENDPOINTS.createSplitLink, input, options), options);
  }

  /**
   * Deletes an unused link (paid links cannot be deleted). Unknown ID: `SecPaidNotFoundError`.
   * @example `await secpaid.deleteLink(link.id);`
   */
  deleteLink(linkId: number, options?: SecPaidCallOptions): Promise<void> {
    return this.call(SECPAID_ENDPOINTS.deleteLink, { linkId }, options);
  }

  /**
   * Requests a refund (reviewed by SecPaid; one request per link; no status endpoint).
   * @example `await secpaid.refundPayment({ payId: 99290, refundAmount: 20 });`
   */
  refundPayment(input: RefundPaymentInput, options?: SecPaidCallOptions): Promise<RefundRequest> {
    return this.call(SECPAID_ENDPOINTS.refundPayment, input, options);
  }

  /**
   * Lists unpaid links.
   * @example `const links = await secpaid.getMyUnusedLinks({ limit: 50, search: 'Order' });`
   */
  getMyUnusedLinks(query?: LinkListQuery, options?: SecPaidCallOptions): Promise<PaymentLink[]> {
    return this.call(SECPAID_ENDPOINTS.getMyUnusedLinks, query, options);
  }

  /**
   * Lists paid links.
   * @example `const paid = await secpaid.getMyUsedLinks({ limit: 50 });`
   */
  getMyUsedLinks(query?: LinkListQuery, options?: SecPaidCallOptions): Promise<PaidLink[]> {
    return this.call(SECPAID_ENDPOINTS.getMyUsedLinks, query, options);
  }

  /**
   * Lists pay-ins (payments received), newest first.
   * @example `const { items } = await secpaid.getPayInTransactions({ payId: 99290 });`
   */
  getPayInTransactions(
    query?: PayInTransactionQuery,
    options?: SecPaidCallOptions,
  ): Promise<Page<PayInTransaction>> {
    return this.call(SECPAID_ENDPOINTS.getPayInTransactions, query, options);
  }

  /**
   * Lists payouts (one per day of successful payments).
   * @example `const { items } = await secpaid.getPayOutTransactions({ startDate: '2026-05-01' });`
   */
  getPayOutTransactions(
    query?: PayOutTransactionQuery,
    options?: SecPaidCallOptions,
  ): Promise<Page<PayOutTransaction>> {
    return this.call(SECPAID_ENDPOINTS.getPayOutTransactions, query, options);
  }

  /**
   * Lists monthly service-fee invoices.
   * @example `const { items, total } = await secpaid.getTaxInvoiceList({ page: 1, limit: 12 });`
   */
  getTaxInvoiceList(
    query?: TaxInvoiceQuery,
    options?: SecPaidCallOptions,
  ): Promise<Page<TaxInvoice>> {
    return this.call(SECPAID_ENDPOINTS.getTaxInvoiceList, query, options);
  }

  /**
   * Proves the key works in the configured environment with one read-only call
   * (`getTaxInvoiceList {"page":1,"limit":1}`), never retried. Rejects with the typed error
   * (`SecPaidAuthenticationError` for a bad or wrong-environment key).
   * @example `const { latencyMs } = await secpaid.verifyApiKey({ timeoutMs: 3000 });`
   */
  async verifyApiKey(options?: SecPaidCallOptions): Promise<SecPaidApiKeyVerification> {
    const started = performance.now();
    await this.call(SECPAID_ENDPOINTS.verifyApiKey, VERIFY_QUERY, options);
    return {
      valid: true,
      environment: this.options.environment,
      latencyMs: Math.round(performance.now() - started),
    };
  }

  /**
   * What the API says about the payment a return page names. SecPaid redirects the payer's
   * browser to `callback_url?pay_id=..&user_id=..&status=success`, a URL anyone can type: pass
   * its query (`request.query`, the query string or the whole URL) and show the customer the
   * answer, never the URL's `status`. `paid` comes only from a successful pay-in the API shows
   * (`payment`); `cancelled` from the link list; `pending` for a link that exists but shows no
   * payment yet (the webhook will tell); `unknown` when nothing confirms the link. Lookups go
   * through the webhook confirmations' budget (`webhooks.confirmCallsPerMinute`), so made-up
   * URLs cannot spend the rest of the key's minute.
   * @example `const { status } = await secpaid.verifyCallback(request.query);`
   */
  async verifyCallback(
    query: unknown,
    options?: Pick<SecPaidCallOptions, 'signal'>,
  ): Promise<SecPaidCallbackVerification> {
    const { payId } = readCallbackQuery(query);
    if (payId === undefined) return { payId, status: 'unknown' };
    const signal = options?.signal;
    const lane = this.confirmationLane;
    const rows = lane
      ? await lane.rowsFor([payId], signal)
      : (await this.getPayInTransactions({ payId }, { signal })).items;
    const payment = rows.find((row) => row.payId === payId && isSuccessfulPaymentRow(row));
    if (payment !== undefined) return { payId, status: 'paid', payment };
    // In the confirmation lane too: made-up return URLs cost what forged webhooks do.
    const listUnused = () =>
      this.getMyUnusedLinks({ limit: 1000 }, { signal, ...(lane ? { lane: 'confirmation' } : {}) });
    const unused = await (lane ? lane.spend(listUnused, signal) : listUnused());
    const link = unused.find((candidate) => candidate.id === payId);
    if (link !== undefined) return { payId, status: link.isCancelled ? 'cancelled' : 'pending' };
    // Not unpaid and no payment shown: a link this app created is paid and not visible yet
    // (or deleted); any other id is not confirmed by anything.
    const own = (await this.createdLinks?.centsOf(payId)) !== undefined;
    return { payId, status: own ? 'pending' : 'unknown' };
  }

  /**
   * Every pay-in matching `query`, page by page (`page` is the first page, `limit` the page
   * size, default 1000: SecPaid's maximum, the fewest requests under the rate limit).
   * @example `for await (const payIn of secpaid.paginatePayInTransactions({ since: 7 })) { ... }`
   */
  paginatePayInTransactions(
    query?: PayInTransactionQuery,
    options?: SecPaidCallOptions,
  ): SecPaidPaginator<PayInTransaction> {
    return this.paginate(
      SECPAID_ENDPOINTS.getPayInTransactions,
      'numbered',
      'paginatePayInTransactions',
      query,
      options,
    );
  }

  /**
   * Every payout matching `query`, page by page (as `paginatePayInTransactions`).
   * @example `const payouts = await secpaid.paginatePayOutTransactions().toArray({ limit: 500 });`
   */
  paginatePayOutTransactions(
    query?: PayOutTransactionQuery,
    options?: SecPaidCallOptions,
  ): SecPaidPaginator<PayOutTransaction> {
    return this.paginate(
      SECPAID_ENDPOINTS.getPayOutTransactions,
      'numbered',
      'paginatePayOutTransactions',
      query,
      options,
    );
  }

  /**
   * Every tax invoice matching `query`, page by page (as `paginatePayInTransactions`).
   * @example `for await (const invoice of secpaid.paginateTaxInvoices({ date: '2026-04' })) { ... }`
   */
  paginateTaxInvoices(
    query?: TaxInvoiceQuery,
    options?: SecPaidCallOptions,
  ): SecPaidPaginator<TaxInvoice> {
    return this.paginate(
      SECPAID_ENDPOINTS.getTaxInvoiceList,
      'numbered',
      'paginateTaxInvoices',
      query,
      options,
    );
  }

  /**
   * Unpaid links. SecPaid documents no `page` for link lists, so this is one request of
   * `limit` links (default 1000, the maximum); a full answer logs a warning (narrow `search`).
   * @example `for await (const link of secpaid.paginateUnusedLinks({ search: 'Order' })) { ... }`
   */
  paginateUnusedLinks(
    query?: LinkListQuery,
    options?: SecPaidCallOptions,
  ): SecPaidPaginator<PaymentLink> {
    return this.paginate(
      SECPAID_ENDPOINTS.getMyUnusedLinks,
      'single',
      'paginateUnusedLinks',
      query,
      options,
    );
  }

  /**
   * Paid links, as `paginateUnusedLinks` (one request, no `page` documented).
   * @example `const paid = await secpaid.paginateUsedLinks().toArray({ limit: 100 });`
   */
  paginateUsedLinks(
    query?: LinkListQuery,
    options?: SecPaidCallOptions,
  ): SecPaidPaginator<PaidLink> {
    return this.paginate(
      SECPAID_ENDPOINTS.getMyUsedLinks,
      'single',
      'paginateUsedLinks',
      query,
      options,
    );
  }

  /** A paginator over a list endpoint; the query is checked now, before any request. */
  private paginate<D extends { page?: number; limit?: number }, T>(
    endpoint: SecPaidEndpoint<D, Page<T> | T[]>,
    paging: SecPaidListPaging,
    method: string,
    query: unknown,
    options: SecPaidCallOptions | undefined,
  ): SecPaidPaginator<T> {
    const dto = validateInput(endpoint.Dto, query, method, endpoint.inputOptional);
    const fetch = async (page: number | undefined, limit: number, callOptions = options) => {
      const pageQuery = page === undefined ? { ...dto, limit } : { ...dto, page, limit };
      const answer = await this.call(endpoint, pageQuery, callOptions);
      return Array.isArray(answer) ? { items: answer } : answer;
    };
    return new SecPaidPaginator<T>(
      {
        method,
        paging,
        fetch,
        startPage: dto.page ?? 1,
        pageSize: dto.limit,
        onFullSingle: (name, limit) =>
          this.logger.warn(
            `${name}: SecPaid returned its maximum of ${limit} links and documents no further ` +
              'pages; older links are not listed (narrow the query with search)',
          ),
      },
      options,
    );
  }

  /**
   * Validates the input (nothing is sent when it is bad), sends its wire body, parses the
   * answer; traced as operation `endpoint.method` (lib/observability/).
   */
  private async call<D extends object, T>(
    endpoint: SecPaidEndpoint<D, T>,
    input: unknown,
    options: SecPaidCallOptions | undefined,
  ): Promise<T> {
    const callOptions = snapshotCallOptions(options, endpoint.method);
    return this.telemetry.traceCall(endpoint, async (observer) => {
      const dto = validateInput(endpoint.Dto, input, endpoint.method, endpoint.inputOptional);
      const send = (): Promise<T> =>
        this.executor.execute(endpoint, endpoint.toWire(dto), dto, callOptions, observer);
      if (callOptions?.reconcile !== true) return send();
      return this.reconciled(
        endpoint.method,
        dto,
        send as () => Promise<unknown>,
        callOptions,
      ) as Promise<T>;
    });
  }

  /**
   * Notes a created link (module key only) so that its payment webhook ranks as this app's
   * own; the ledger never fails the create.
   */
  private async noted(
    created: Promise<PaymentLink>,
    options: SecPaidCallOptions | undefined,
  ): Promise<PaymentLink> {
    const link = await created;
    if (options?.apiKey === undefined) {
      await this.createdLinks?.remember(link).catch(() => undefined);
    }
    return link;
  }

  /** A create with `{ reconcile: true }` (see `sendReconciled`); other methods refuse the option. */
  private reconciled(
    method: string,
    dto: object,
    send: () => Promise<unknown>,
    callOptions: CallOptionsSnapshot,
  ): Promise<PaymentLink> {
    const { note, amount, recipients } = dto as Partial<CreateSplitLinkDto>;
    if (method !== 'createLink' && method !== 'createSplitLink') {
      throw new SecPaidValidationError(
        [{ field: 'reconcile', message: 'applies to createLink and createSplitLink only' }],
        method,
      );
    }
    if (note === undefined || note.trim() === '') {
      throw new SecPaidValidationError(
        [{ field: 'note', message: 'is required with reconcile: true (a note unique per order)' }],
        method,
      );
    }
    // The lookups wait in the create's lane (interactive unless the caller chose another).
    const { signal, apiKey, lane } = callOptions;
    return sendReconciled({
      endpoint: method,
      note,
      amount: amount!,
      split: recipients !== undefined,
      send: send as () => Promise<PaymentLink>,
      findUnused: (search) =>
        this.call(
          SECPAID_ENDPOINTS.getMyUnusedLinks,
          { search, limit: 1000 },
          { signal, apiKey, lane },
        ),
      aborted: () => signal?.aborted === true,
    });
  }

  /** What `JSON.stringify(service)` prints: no key, no internals. */
  toJSON(): Record<string, unknown> {
    return { environment: this.options.environment, baseUrl: this.options.baseUrl };
  }

  /** What `util.inspect(service)` and `console.log(service)` print: no key, no internals. */
  [inspect.custom](): string {
    return `SecPaidService { environment: '${this.options.environment}', baseUrl: '${this.options.baseUrl}' }`;
  }
}
