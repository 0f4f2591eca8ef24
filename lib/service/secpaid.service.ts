import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AxiosInstance } from 'axios';
import { CreateLinkDto, createLinkWireBody, type CreateLinkInput } from '../dto/create-link.dto.js';
import {
  CreateSplitLinkDto,
  createSplitLinkWireBody,
  type CreateSplitLinkInput,
} from '../dto/create-split-link.dto.js';
import { DeleteLinkDto } from '../dto/delete-link.dto.js';
import {
  LinkListQueryDto,
  PayInTransactionQueryDto,
  PayOutTransactionQueryDto,
  TaxInvoiceQueryDto,
  listQueryWireBody,
  type LinkListQuery,
  type PayInTransactionQuery,
  type PayOutTransactionQuery,
  type TaxInvoiceQuery,
} from '../dto/list-queries.dto.js';
import {
  RefundPaymentDto,
  refundPaymentWireBody,
  type RefundPaymentInput,
} from '../dto/refund-payment.dto.js';
import { validateInput } from '../validation/validate-input.util.js';
import type { SecPaidEnvelope } from '../http/envelope.parser.js';
import {
  SecPaidRequestExecutor,
  type SecPaidCall,
  type SecPaidCallOptions,
} from '../http/request-executor.js';
import { SECPAID_RETRY_POLICY, SecPaidRetryPolicy } from '../http/retry.policy.js';
import { parsePaidLink, type PaidLink } from '../models/paid-link.model.js';
import { pageOf, listOf, type Page } from '../models/page.model.js';
import { parsePayInTransaction, type PayInTransaction } from '../models/pay-in-transaction.model.js';
import {
  parsePayOutTransaction,
  type PayOutTransaction,
} from '../models/pay-out-transaction.model.js';
import { parsePaymentLink, type PaymentLink } from '../models/payment-link.model.js';
import type { RefundRequest } from '../models/refund-request.model.js';
import { parseTaxInvoice, type TaxInvoice } from '../models/tax-invoice.model.js';
import type { SecPaidEnvironment } from '../secpaid.constants.js';
import { SECPAID_HTTP_SERVICE, SECPAID_RESOLVED_OPTIONS } from '../secpaid.constants.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';

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

/** Documented default page sizes, reported in `Page.limit` when none was asked for. */
const DEFAULT_LIMITS = { payIn: 200, payOut: 10, taxInvoice: 10 } as const;
const VERIFY_QUERY = Object.freeze({ page: 1, limit: 1 });

/**
 * The SecPaid v2 API, one method per endpoint. Every method validates its input first
 * (`SecPaidValidationError`, nothing sent), goes through the module's rate limiter and axios
 * instance, retries only what its safety class allows, and rejects with a typed `SecPaidError`
 * that never contains the API key. The last argument of every method is
 * `{ signal?, timeoutMs?, apiKey? }`.
 * @publicApi
 */
@Injectable()
export class SecPaidService {
  private readonly logger = new Logger(SecPaidService.name);
  private readonly executor: SecPaidRequestExecutor;
  // Call descriptors are built once: no per-call closures on the hot path.
  private readonly calls: ReturnType<typeof buildCalls>;

  constructor(
    @Inject(SECPAID_HTTP_SERVICE) http: HttpService,
    @Inject(SECPAID_RESOLVED_OPTIONS) private readonly options: ResolvedSecPaidOptions,
    @Inject(SECPAID_RETRY_POLICY) retryPolicy: SecPaidRetryPolicy,
  ) {
    this.executor = new SecPaidRequestExecutor(
      // @nestjs/axios 4 (Nest 11) exposes axios' CommonJS typings; the instance is the same.
      http.axiosRef as AxiosInstance,
      options.apiKey,
      retryPolicy,
      this.logger,
    );
    this.calls = buildCalls(options.maxRetries);
  }

  /**
   * Creates a payment link.
   * @example `const link = await secpaid.createLink({ amount: 49.99, note: 'Order 1001' });`
   */
  async createLink(input: CreateLinkInput, options?: SecPaidCallOptions): Promise<PaymentLink> {
    const dto = validateInput(CreateLinkDto, input, 'createLink');
    return this.executor.execute(
      this.calls.createLink,
      createLinkWireBody(dto),
      options,
      undefined,
    );
  }

  /**
   * Creates a split link: recipients get their shares, you keep the remainder.
   * @example `await secpaid.createSplitLink({ amount: 100, recipients: [{ token: 'partner-a', share: 30 }] });`
   */
  async createSplitLink(
    input: CreateSplitLinkInput,
    options?: SecPaidCallOptions,
  ): Promise<PaymentLink> {
    const dto = validateInput(CreateSplitLinkDto, input, 'createSplitLink');
    const body = createSplitLinkWireBody(dto);
    return this.executor.execute(this.calls.createSplitLink, body, options, undefined);
  }

  /**
   * Deletes an unused link (paid links cannot be deleted). Unknown ID: `SecPaidNotFoundError`.
   * @example `await secpaid.deleteLink(link.id);`
   */
  async deleteLink(linkId: number, options?: SecPaidCallOptions): Promise<void> {
    validateInput(DeleteLinkDto, { linkId }, 'deleteLink');
    await this.executor.execute(this.calls.deleteLink, { link_id: linkId }, options, undefined);
  }

  /**
   * Requests a refund (reviewed by SecPaid; one request per link; no status endpoint).
   * @example `await secpaid.refundPayment({ payId: 99290, refundAmount: 20 });`
   */
  async refundPayment(
    input: RefundPaymentInput,
    options?: SecPaidCallOptions,
  ): Promise<RefundRequest> {
    const dto = validateInput(RefundPaymentDto, input, 'refundPayment');
    return this.executor.execute(
      this.calls.refundPayment,
      refundPaymentWireBody(dto),
      options,
      dto,
    );
  }

  /**
   * Lists unpaid links.
   * @example `const links = await secpaid.getMyUnusedLinks({ limit: 50, search: 'Order' });`
   */
  async getMyUnusedLinks(
    query?: LinkListQuery,
    options?: SecPaidCallOptions,
  ): Promise<PaymentLink[]> {
    const dto = validateInput(LinkListQueryDto, query, 'getMyUnusedLinks', true);
    const body = listQueryWireBody(dto);
    return this.executor.execute(this.calls.getMyUnusedLinks, body, options, undefined);
  }

  /**
   * Lists paid links.
   * @example `const paid = await secpaid.getMyUsedLinks({ limit: 50 });`
   */
  async getMyUsedLinks(query?: LinkListQuery, options?: SecPaidCallOptions): Promise<PaidLink[]> {
    const dto = validateInput(LinkListQueryDto, query, 'getMyUsedLinks', true);
    const body = listQueryWireBody(dto);
    return this.executor.execute(this.calls.getMyUsedLinks, body, options, undefined);
  }

  /**
   * Lists pay-ins (payments received), newest first.
   * @example `const { items } = await secpaid.getPayInTransactions({ payId: 99290 });`
   */
  async getPayInTransactions(
    query?: PayInTransactionQuery,
    options?: SecPaidCallOptions,
  ): Promise<Page<PayInTransaction>> {
    const dto = validateInput(PayInTransactionQueryDto, query, 'getPayInTransactions', true);
    return this.executor.execute(
      this.calls.getPayInTransactions,
      listQueryWireBody(dto),
      options,
      dto,
    );
  }

  /**
   * Lists payouts (one per day of successful payments).
   * @example `const { items } = await secpaid.getPayOutTransactions({ startDate: '2026-05-01' });`
   */
  async getPayOutTransactions(
    query?: PayOutTransactionQuery,
    options?: SecPaidCallOptions,
  ): Promise<Page<PayOutTransaction>> {
    const dto = validateInput(PayOutTransactionQueryDto, query, 'getPayOutTransactions', true);
    return this.executor.execute(
      this.calls.getPayOutTransactions,
      listQueryWireBody(dto),
      options,
      dto,
    );
  }

  /**
   * Lists monthly service-fee invoices.
   * @example `const { items, total } = await secpaid.getTaxInvoiceList({ page: 1, limit: 12 });`
   */
  async getTaxInvoiceList(
    query?: TaxInvoiceQuery,
    options?: SecPaidCallOptions,
  ): Promise<Page<TaxInvoice>> {
    const dto = validateInput(TaxInvoiceQueryDto, query, 'getTaxInvoiceList', true);
    return this.executor.execute(
      this.calls.getTaxInvoiceList,
      listQueryWireBody(dto),
      options,
      dto,
    );
  }

  /**
   * Proves the key works in the configured environment with one read-only call
   * (`getTaxInvoiceList {"page":1,"limit":1}`), never retried. Rejects with the typed error
   * (`SecPaidAuthenticationError` for a bad or wrong-environment key).
   * @example `const { latencyMs } = await secpaid.verifyApiKey({ timeoutMs: 3000 });`
   */
  async verifyApiKey(options?: SecPaidCallOptions): Promise<SecPaidApiKeyVerification> {
    const started = performance.now();
    await this.executor.execute(this.calls.verifyApiKey, { ...VERIFY_QUERY }, options, undefined);
    return {
      valid: true,
      environment: this.options.environment,
      latencyMs: Math.round(performance.now() - started),
    };
  }
}

/** Page position asked for; the documented default applies when absent. */
interface PageQuery {
  page?: number;
  limit?: number;
}

/** The call descriptors, built once per service: no per-call closures on the hot path. */
function buildCalls(maxRetries: number) {
  const write = { safety: 'write', maxRetries } as const;
  const read = { safety: 'read', maxRetries } as const;
  const paged =
    <T>(parse: (item: unknown) => T, defaultLimit: number) =>
    (envelope: SecPaidEnvelope, query: PageQuery): Page<T> =>
      pageOf(envelope, parse, query.page ?? 1, query.limit ?? defaultLimit);
  return {
    createLink: {
      endpoint: 'createLink',
      ...write,
      parse: (envelope: SecPaidEnvelope) => parsePaymentLink(envelope['data']),
    },
    createSplitLink: {
      endpoint: 'createSplitLink',
      ...write,
      parse: (envelope: SecPaidEnvelope) => parsePaymentLink(envelope['data']),
    },
    deleteLink: { endpoint: 'deleteLink', ...write, parse: (): void => undefined },
    refundPayment: {
      endpoint: 'refundPayment',
      ...write,
      parse: (envelope: SecPaidEnvelope, input: RefundPaymentInput): RefundRequest => {
        const message = envelope['ResponseMsg'];
        return {
          payId: input.payId,
          refundAmount: input.refundAmount,
          fullRefund: input.fullRefund ?? false,
          status: 'Pending',
          message: typeof message === 'string' ? message : '',
          raw: envelope,
        };
      },
    },
    getMyUnusedLinks: {
      endpoint: 'getMyUnusedLinks',
      ...read,
      parse: (envelope: SecPaidEnvelope) =>
        listOf(envelope['data'], (item) => parsePaymentLink(item, 'Unused')),
    },
    getMyUsedLinks: {
      endpoint: 'getMyUsedLinks',
      ...read,
      parse: (envelope: SecPaidEnvelope) => listOf(envelope['data'], parsePaidLink),
    },
    getPayInTransactions: {
      endpoint: 'getPayInTransactions',
      ...read,
      parse: paged(parsePayInTransaction, DEFAULT_LIMITS.payIn),
    },
    getPayOutTransactions: {
      endpoint: 'getPayOutTransactions',
      ...read,
      parse: paged(parsePayOutTransaction, DEFAULT_LIMITS.payOut),
    },
    getTaxInvoiceList: {
      endpoint: 'getTaxInvoiceList',
      ...read,
      parse: paged(parseTaxInvoice, DEFAULT_LIMITS.taxInvoice),
    },
    // The health indicator bounds and caches this check: it is never retried.
    verifyApiKey: {
      endpoint: 'getTaxInvoiceList',
      safety: 'read',
      maxRetries: 0,
      parse: (): void => undefined,
    },
  } satisfies Record<string, SecPaidCall<unknown, never>>;
}
