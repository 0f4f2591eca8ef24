export type { PaymentLink, SecPaidSplitType, SplitRecipient } from './payment-link.model.js';
export type { PaidLink } from './paid-link.model.js';
export type { RefundRequest } from './refund-request.model.js';
export type { PayInTransaction } from './pay-in-transaction.model.js';
export type { PayOutTransaction } from './pay-out-transaction.model.js';
export type { TaxInvoice } from './tax-invoice.model.js';
export type { Page } from './page.model.js';
export { SECPAID_TIME_ZONE, parseBerlinTimestamp } from './wire-value.util.js';
