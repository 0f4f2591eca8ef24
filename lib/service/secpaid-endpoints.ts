import { CreateLinkDto, type CreateLinkInput } from '../dto/create-link.dto.js';
import { CreateSplitLinkDto, type CreateSplitLinkInput } from '../dto/create-split-link.dto.js';
import { DeleteLinkDto } from '../dto/delete-link.dto.js';
import type { LinkInputBase } from '../dto/create-link.dto.js';
import {
  LinkListQueryDto,
  PayInTransactionQueryDto,
  PayOutTransactionQueryDto,
  TaxInvoiceQueryDto,
  type LinkListQuery,
  type PayInTransactionQuery,
  type PayOutTransactionQuery,
  type TaxInvoiceQuery,
} from '../dto/list-queries.dto.js';
import { RefundPaymentDto, type RefundPaymentInput } from '../dto/refund-payment.dto.js';
import type { SecPaidEnvelope } from '../http/envelope.parser.js';
import type { SecPaidCall } from '../http/request-executor.js';
import { parsePaidLink } from '../models/paid-link.model.js';
import { listOf, pageOf, type Page } from '../models/page.model.js';
import { parsePayInTransaction } from '../models/pay-in-transaction.model.js';
import { parsePayOutTransaction } from '../models/pay-out-transaction.model.js';
import { parsePaymentLink } from '../models/payment-link.model.js';
import type { RefundRequest } from '../models/refund-request.model.js';
import { parseTaxInvoice } from '../models/tax-invoice.model.js';

/**
 * One SecPaid endpoint as `SecPaidService` calls it: validate the input against `Dto`, send
 * `toWire(dto)` to `endpoint`, retry as `safety` allows, `parse` the success envelope.
 */
export interface SecPaidEndpoint<D extends object, T> extends SecPaidCall<T, D> {
  /** Name in validation errors: the `SecPaidService` method. */
  method: string;
  /** class-validator DTO of the input. */
  Dto: new () => D;
  /** The method may be called without input (the list queries). */
  inputOptional: boolean;
  /** camelCase DTO -> SecPaid's wire body (docs/secpaid-api.md per endpoint). */
  toWire: (dto: D) => Record<string, unknown>;
}

/**
 * Every endpoint, in one place. Adding one: an entry here (with its wire mapping below), its
 * DTO, its model, and a one-line `SecPaidService` method.
 */
export const SECPAID_ENDPOINTS = {
  createLink: endpoint({
    method: 'createLink',
    endpoint: 'createLink',
    Dto: CreateLinkDto,
    inputOptional: false,
    toWire: createLinkWireBody,
    safety: 'write',
    parse: (envelope) => parsePaymentLink(envelope['data']),
  }),
  createSplitLink: endpoint({
    method: 'createSplitLink',
    endpoint: 'createSplitLink',
    Dto: CreateSplitLinkDto,
    inputOptional: false,
    toWire: createSplitLinkWireBody,
    safety: 'write',
    parse: (envelope) => parsePaymentLink(envelope['data']),
  }),
  deleteLink: endpoint({
    method: 'deleteLink',
    endpoint: 'deleteLink',
    Dto: DeleteLinkDto,
    inputOptional: false,
    toWire: (dto) => ({ link_id: dto.linkId }),
    safety: 'write',
    parse: (): void => undefined,
  }),
  refundPayment: endpoint({
    method: 'refundPayment',
    endpoint: 'refundPayment',
    Dto: RefundPaymentDto,
    inputOptional: false,
    toWire: refundPaymentWireBody,
    safety: 'write',
    parse: parseRefundRequest,
  }),
  getMyUnusedLinks: endpoint({
    method: 'getMyUnusedLinks',
    endpoint: 'getMyUnusedLinks',
    Dto: LinkListQueryDto,
    inputOptional: true,
    toWire: listQueryWireBody,
    safety: 'read',
    parse: (envelope) => listOf(envelope['data'], (item) => parsePaymentLink(item, 'Unused')),
  }),
  getMyUsedLinks: endpoint({
    method: 'getMyUsedLinks',
    endpoint: 'getMyUsedLinks',
    Dto: LinkListQueryDto,
    inputOptional: true,
    toWire: listQueryWireBody,
    safety: 'read',
    parse: (envelope) => listOf(envelope['data'], parsePaidLink),
  }),
  getPayInTransactions: endpoint({
    method: 'getPayInTransactions',
    endpoint: 'getPayInTransactions',
    Dto: PayInTransactionQueryDto,
    inputOptional: true,
    toWire: listQueryWireBody,
    safety: 'read',
    parse: paged(parsePayInTransaction, 200),
  }),
  getPayOutTransactions: endpoint({
    method: 'getPayOutTransactions',
    endpoint: 'getPayOutTransactions',
    Dto: PayOutTransactionQueryDto,
    inputOptional: true,
    toWire: listQueryWireBody,
    safety: 'read',
    parse: paged(parsePayOutTransaction, 10),
  }),
  getTaxInvoiceList: endpoint({
    method: 'getTaxInvoiceList',
    endpoint: 'getTaxInvoiceList',
    Dto: TaxInvoiceQueryDto,
    inputOptional: true,
    toWire: listQueryWireBody,
    safety: 'read',
    parse: paged(parseTaxInvoice, 10),
  }),
  // The cheapest read-only call; the health indicator bounds and caches it: never retried.
  verifyApiKey: endpoint({
    method: 'verifyApiKey',
    endpoint: 'getTaxInvoiceList',
    Dto: TaxInvoiceQueryDto,
    inputOptional: false,
    toWire: listQueryWireBody,
    safety: 'read',
    neverRetried: true,
    parse: (): void => undefined,
  }),
} as const;

/** Infers an entry's types from its DTO and parser. */
function endpoint<D extends object, T>(definition: SecPaidEndpoint<D, T>): SecPaidEndpoint<D, T> {
  return Object.freeze(definition);
}

/** Page position asked for; the documented default page size applies when absent. */
interface PageQuery {
  page?: number;
  limit?: number;
}

/** A paged list; `Page.limit` reports `defaultLimit` (the documented default) when none was asked. */
function paged<T>(parseItem: (item: unknown) => T, defaultLimit: number) {
  return (envelope: SecPaidEnvelope, query: PageQuery): Page<T> =>
    pageOf(envelope, parseItem, query.page ?? 1, query.limit ?? defaultLimit);
}

/** SecPaid answers a refund request with a message only: the request is rebuilt from the input. */
function parseRefundRequest(envelope: SecPaidEnvelope, input: RefundPaymentDto): RefundRequest {
  const message = envelope['ResponseMsg'];
  return {
    payId: input.payId,
    refundAmount: input.refundAmount,
    fullRefund: input.fullRefund ?? false,
    status: 'Pending',
    message: typeof message === 'string' ? message : '',
    raw: envelope,
  };
}

// ---- Wire mapping: camelCase DTO -> SecPaid's snake_case body ----

/**
 * Wire fields of `LinkInputBase` except `is_qr_link`, whose type differs per endpoint
 * (createLink documents a string, createSplitLink a boolean).
 */
function linkBaseWireBody(input: LinkInputBase): Record<string, unknown> {
  const body: Record<string, unknown> = { amount: input.amount };
  if (input.note !== undefined) body['recipient_note'] = input.note;
  if (input.callbackUrl !== undefined) body['callback_url'] = input.callbackUrl;
  if (input.paymentEndpoint !== undefined) body['payment_endpoint'] = input.paymentEndpoint;
  if (input.cancellable !== undefined) body['cancellable'] = input.cancellable;
  return body;
}

/** Wire body: snake_case; `bank_transfer`, `is_encryption`, `is_qr_link` as `"true"`/`"false"` (api/create-link). */
export function createLinkWireBody(input: CreateLinkInput): Record<string, unknown> {
  const body = linkBaseWireBody(input);
  if (input.bankTransfer !== undefined) body['bank_transfer'] = String(input.bankTransfer);
  if (input.encryptWebhooks !== undefined) body['is_encryption'] = String(input.encryptWebhooks);
  if (input.encryptionKey !== undefined) body['encryption_key'] = input.encryptionKey;
  if (input.bankStatementDescription !== undefined) {
    body['bank_statement_description'] = input.bankStatementDescription;
  }
  if (input.isQrLink !== undefined) body['is_qr_link'] = String(input.isQrLink);
  return body;
}

/**
 * Wire body as JSON; `recipients` stays an array of `{ token, share }`. `is_qr_link` is a JSON
 * boolean here because api/create-split-link documents it as one (createLink: a string).
 */
export function createSplitLinkWireBody(input: CreateSplitLinkInput): Record<string, unknown> {
  const body = linkBaseWireBody(input);
  body['recipients'] = input.recipients.map(({ token, share }) => ({ token, share }));
  if (input.splitType !== undefined) body['split_type'] = input.splitType;
  if (input.isQrLink !== undefined) body['is_qr_link'] = input.isQrLink;
  return body;
}

/** Wire body: `pay_id` integer, `refund_amount` number, `isFullRefund` JSON boolean (api/refund-payment). */
export function refundPaymentWireBody(input: RefundPaymentInput): Record<string, unknown> {
  const body: Record<string, unknown> = {
    pay_id: input.payId,
    refund_amount: input.refundAmount,
  };
  if (input.fullRefund !== undefined) body['isFullRefund'] = input.fullRefund;
  return body;
}

/** camelCase query -> snake_case wire body; only the fields that were given. */
const QUERY_WIRE_NAMES: Readonly<Record<string, string>> = {
  page: 'page',
  limit: 'limit',
  search: 'search',
  date: 'date',
  since: 'since',
  payId: 'pay_id',
  startDate: 'start_date',
  endDate: 'end_date',
};

/** Maps any of the list queries to its wire body (integers stay JSON numbers). */
export function listQueryWireBody(
  query: LinkListQuery | PayInTransactionQuery | PayOutTransactionQuery | TaxInvoiceQuery,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key in query) {
    const value = (query as Record<string, unknown>)[key];
    const wireName = QUERY_WIRE_NAMES[key];
    if (value !== undefined && wireName !== undefined) body[wireName] = value;
  }
  return body;
}
