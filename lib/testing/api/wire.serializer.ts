/**
 * Turns the mock's camelCase state into SecPaid's documented wire records, quirks included:
 * ids and amounts as strings in lists, numbers in create responses, string booleans,
 * `recipients` as a JSON-encoded string, Europe/Berlin timestamps (docs/secpaid-api.md §3).
 */
import { callbackUrlValue, paymentEndpointValue } from '../accounts/account-urls.resolver.js';
import type {
  MockAccount,
  MockLink,
  MockPayIn,
  MockPayout,
  MockTaxInvoice,
} from '../secpaid-mock.types.js';
import { berlinDateTime, money, stringBool, yesNo } from './wire-format.util.js';

/** The service fee reported on links (`servicefee`, a numeric string whose unit is undocumented). */
export const LINK_SERVICE_FEE = '1.0';

function recipientsWire(link: MockLink): string | null {
  return link.isSplit ? JSON.stringify(link.recipients) : null;
}

/** The api/create-link (and create-split-link) `data` record. */
export function createdLinkRecord(link: MockLink, account: MockAccount): Record<string, unknown> {
  return {
    is_cancellation: yesNo(link.cancellable),
    user_id: link.userId,
    amount: link.amount,
    recipient_note: link.note,
    status: link.status,
    paymentEndpoint: paymentEndpointValue(link, account),
    callback_url: callbackUrlValue(link, account),
    servicefee: LINK_SERVICE_FEE,
    recipients: recipientsWire(link),
    is_split_link: stringBool(link.isSplit),
    split_type: link.splitType,
    bank_transfer: stringBool(link.bankTransfer),
    is_qr_link: stringBool(link.isQrLink),
    payment_config: '',
    bank_statement_description: link.bankStatementDescription,
    created_at: berlinDateTime(link.createdAt),
    id: link.id,
    pay_link: link.payLink,
    qr_img: link.qrImg,
  };
}

/** A getMyUnusedLinks record (api/get-my-unused-links). */
export function unusedLinkRecord(link: MockLink): Record<string, unknown> {
  return {
    linktopay_id: String(link.id),
    user_id: link.userId,
    recipient_note: link.note,
    amount: money(link.amount),
    is_cancelled: yesNo(link.status === 'Cancelled'),
    recipients: recipientsWire(link),
    is_split_link: stringBool(link.isSplit),
    pay_link: link.payLink,
    qr_img: link.qrImg,
    transaction_type: link.transactionType,
  };
}

/** A getMyUsedLinks record (api/get-my-used-links): `paid_on`, no pay_link/qr_img. */
export function usedLinkRecord(link: MockLink): Record<string, unknown> {
  return {
    linktopay_id: String(link.id),
    user_id: link.userId,
    recipient_note: link.note,
    amount: money(link.amount),
    is_cancelled: 'No',
    recipients: recipientsWire(link),
    is_split_link: stringBool(link.isSplit),
    paid_on: berlinDateTime(link.paidAt ?? link.createdAt),
    transaction_type: link.transactionType,
  };
}

/** A getPayInTransactions record (how-to/transactions shape, with `transaction_id`). */
export function payInRecord(payIn: MockPayIn): Record<string, unknown> {
  return {
    pay_id: String(payIn.payId),
    user_id: payIn.userId,
    transaction_id: payIn.transactionId,
    amount: money(payIn.amount),
    net_amount: money(payIn.netAmount),
    service_fee: money(payIn.serviceFee),
    service_fee_psp: money(payIn.serviceFeePsp),
    status: payIn.status,
    recipient_note: payIn.note,
    payout_status: payIn.payoutStatus,
    created_at: berlinDateTime(payIn.createdAt),
    is_split_link: stringBool(payIn.isSplit),
    is_dispute: stringBool(payIn.isDispute),
    is_refund: stringBool(payIn.isRefund),
    payment_method: payIn.paymentMethod,
    transaction_type: payIn.transactionType,
  };
}

/** A getPayOutTransactions record: `payout_amount` string, `service_fee`/`net_amount` numbers. */
export function payoutRecord(payout: MockPayout): Record<string, unknown> {
  return {
    payout_id: String(payout.payoutId),
    user_id: payout.userId,
    transaction_id: payout.transactionId,
    payout_amount: money(payout.payoutAmount),
    service_fee: payout.serviceFee,
    net_amount: payout.netAmount,
    payout_status: payout.payoutStatus,
    request_date: payout.requestDate,
    created_at: berlinDateTime(payout.createdAt),
    is_split_link: stringBool(payout.isSplit),
    is_dispute: 'false',
    is_refund: 'false',
    transaction_type: payout.transactionType,
  };
}

/** A getTaxInvoiceList record: fee totals and `vat` as numbers. */
export function taxInvoiceRecord(invoice: MockTaxInvoice): Record<string, unknown> {
  return {
    sf_id: String(invoice.sfId),
    user_id: invoice.userId,
    company: invoice.company,
    name: invoice.name,
    street: invoice.street,
    house_no: invoice.houseNo,
    city: invoice.city,
    country: invoice.country,
    zipcode: invoice.zipcode,
    invoice_id: invoice.invoiceId,
    invoice_date: invoice.invoiceDate,
    service_month: invoice.serviceMonth,
    total_secpaid_fee: invoice.totalSecpaidFee,
    total_psp_fee: invoice.totalPspFee,
    vat: invoice.vat,
    created_at: berlinDateTime(invoice.createdAt),
  };
}
