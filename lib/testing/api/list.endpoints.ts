/**
 * The five read-only list endpoints (docs/secpaid-api.md §3.5-§3.9): defaults (limit 200 for pay-ins,
 * 10 elsewhere, max 1000), filters, newest first, paging (`page` + `limit` for pay-ins, payouts
 * and invoices; `limit` only for the link lists), the caller's records only.
 */
import { readNumber, readString, type MockBody } from '../server/body.parser.js';
import type { MockEndpointContext } from './endpoint.context.js';
import {
  LIST_SUCCESS_MESSAGE,
  MockApiError,
  successEnvelope,
  type MockEnvelope,
} from './envelope.util.js';
import { berlinDate, money } from './wire-format.util.js';
import {
  payInRecord,
  payoutRecord,
  taxInvoiceRecord,
  unusedLinkRecord,
  usedLinkRecord,
} from './wire.serializer.js';

const MAX_LIMIT = 1000;

function readPositiveInt(body: MockBody, field: string, fallback: number): number {
  const value = readNumber(body[field]);
  if (value === undefined) return fallback;
  // Undocumented message for a non-numeric or non-positive page/limit.
  if (!Number.isInteger(value) || value < 1) throw new MockApiError(`Invalid ${field}`);
  return Math.min(value, MAX_LIMIT);
}

function paginate<T>(items: T[], body: MockBody, defaultLimit: number): T[] {
  const page = readPositiveInt(body, 'page', 1);
  const limit = readPositiveInt(body, 'limit', defaultLimit);
  return items.slice((page - 1) * limit, page * limit);
}

/** The link lists document `limit` only, no `page` (§3.7, §3.8): always the newest `limit`. */
function firstOf<T>(items: T[], body: MockBody, defaultLimit: number): T[] {
  return items.slice(0, readPositiveInt(body, 'limit', defaultLimit));
}

function includes(haystack: string, needle: string | undefined): boolean {
  return needle === undefined || haystack.toLowerCase().includes(needle.toLowerCase());
}

function newestFirst<T extends { createdAt: Date }>(a: T, b: T): number {
  return b.createdAt.getTime() - a.createdAt.getTime();
}

/** POST /api/v2/getMyUnusedLinks: unpaid links (cancelled ones show `is_cancelled: "Yes"`). */
export function getMyUnusedLinks(body: MockBody, context: MockEndpointContext): MockEnvelope {
  const search = readString(body.search);
  const links = context.state.links
    .filter((l) => l.userId === context.account.userId)
    .filter((l) => l.status === 'Unused' || l.status === 'Cancelled')
    .filter((l) => includes(l.note, search))
    .sort((a, b) => b.id - a.id);
  return successEnvelope(LIST_SUCCESS_MESSAGE, firstOf(links, body, 10).map(unusedLinkRecord));
}

/** POST /api/v2/getMyUsedLinks: paid links with `paid_on`. */
export function getMyUsedLinks(body: MockBody, context: MockEndpointContext): MockEnvelope {
  const search = readString(body.search);
  const links = context.state.links
    .filter((l) => l.userId === context.account.userId && l.status === 'Used')
    .filter((l) => includes(l.note, search))
    .sort((a, b) => (b.paidAt?.getTime() ?? 0) - (a.paidAt?.getTime() ?? 0) || b.id - a.id);
  return successEnvelope(LIST_SUCCESS_MESSAGE, firstOf(links, body, 10).map(usedLinkRecord));
}

/** POST /api/v2/getPayInTransactions: filters search/date/since/pay_id; adds `totalRecords`. */
export function getPayInTransactions(body: MockBody, context: MockEndpointContext): MockEnvelope {
  const search = readString(body.search);
  const date = readString(body.date);
  const since = readNumber(body.since) ?? 0;
  const payId = readNumber(body.pay_id);
  const sinceMs = Number.isFinite(since) && since > 0 ? Date.now() - since * 86_400_000 : 0;
  const payIns = context.state.payIns
    .filter((p) => p.userId === context.account.userId)
    .filter((p) => p.visibleAt === undefined || p.visibleAt.getTime() <= Date.now())
    .filter((p) => payId === undefined || p.payId === payId)
    .filter((p) => date === undefined || berlinDate(p.createdAt) === date)
    .filter((p) => p.createdAt.getTime() >= sinceMs)
    .filter(
      (p) =>
        search === undefined ||
        [p.note, money(p.amount), p.transactionId, p.paymentMethod ?? ''].some((field) =>
          includes(field, search),
        ),
    )
    .sort(newestFirst);
  const page = paginate(payIns, body, 200).map(payInRecord);
  return successEnvelope(LIST_SUCCESS_MESSAGE, page, payIns.length);
}

/** POST /api/v2/getPayOutTransactions: search by transaction_id, start_date/end_date on request_date. */
export function getPayOutTransactions(body: MockBody, context: MockEndpointContext): MockEnvelope {
  const search = readString(body.search);
  const start = readString(body.start_date);
  const end = readString(body.end_date);
  const payouts = context.state.payouts
    .filter((p) => p.userId === context.account.userId)
    .filter((p) => includes(p.transactionId, search))
    .filter((p) => start === undefined || p.requestDate >= start)
    .filter((p) => end === undefined || p.requestDate <= end)
    .sort(newestFirst);
  return successEnvelope(LIST_SUCCESS_MESSAGE, paginate(payouts, body, 10).map(payoutRecord));
}

/** POST /api/v2/getTaxInvoiceList: month filter `date` (YYYY-MM) on invoice_date; `totalRecords`. */
export function getTaxInvoiceList(body: MockBody, context: MockEndpointContext): MockEnvelope {
  const search = readString(body.search);
  const month = readString(body.date);
  const invoices = context.state.taxInvoices
    .filter((i) => i.userId === context.account.userId)
    .filter((i) => month === undefined || i.invoiceDate.startsWith(month))
    .filter(
      (i) =>
        search === undefined ||
        [i.invoiceId, i.company, i.name, i.serviceMonth].some((field) => includes(field, search)),
    )
    .sort(newestFirst);
  const page = paginate(invoices, body, 10).map(taxInvoiceRecord);
  return successEnvelope(LIST_SUCCESS_MESSAGE, page, invoices.length);
}
