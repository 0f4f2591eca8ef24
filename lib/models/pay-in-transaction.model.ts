import {
  optionalBerlinDate,
  asRecord,
  optionalBoolean,
  optionalNumber,
  optionalString,
  readId,
  readNumber,
} from './wire-value.util.js';

/**
 * A pay-in (payment received), as returned by `getPayInTransactions`.
 * @publicApi
 */
export interface PayInTransaction {
  /** The payment ID, equal to the link ID it paid. */
  payId: number;
  /** `YYYYMMDD-pi-XXXXXXXXXX`; absent from some documented responses. */
  transactionId: string | undefined;
  /** Gross amount in EUR. */
  amount: number;
  /** Amount after all fees. */
  netAmount: number | undefined;
  /** SecPaid's fee (may be negative). */
  serviceFee: number | undefined;
  /** The payment provider's fee (`service_fee_psp`). */
  pspFee: number | undefined;
  /** `Success` or `Pending`. */
  status: string | undefined;
  /** `recipient_note`. */
  note: string | undefined;
  /** Whether it is in a payout yet (`Pending` ...). */
  payoutStatus: string | undefined;
  /** `created_at`, Europe/Berlin local time on the wire. */
  createdAt: Date | undefined;
  /** `is_split_link`. */
  isSplit: boolean | undefined;
  /** `is_dispute` (absent from one documented example). */
  isDispute: boolean | undefined;
  /** `is_refund` (absent from one documented example). */
  isRefund: boolean | undefined;
  /** `card`, `Bank Transfer`, ...; `null` when SecPaid sent `null`. */
  paymentMethod: string | null | undefined;
  /** `Basic`, `Split`, `Personal QR`, `Refund`, `Dispute`, `Dispute Refund`. */
  transactionType: string | undefined;
  /** Account that received the payment (`user_id`). */
  userId: string | undefined;
  /** `creator_id` (only in one documented example; not explained). */
  creatorId: string | undefined;
  /** The record exactly as SecPaid sent it. */
  raw: Readonly<Record<string, unknown>>;
}

/** Parses one `getPayInTransactions` record. */
export function parsePayInTransaction(value: unknown): PayInTransaction {
  const record = asRecord(value, 'data[]');
  return {
    payId: readId(record, 'pay_id'),
    transactionId: optionalString(record, 'transaction_id'),
    amount: readNumber(record, 'amount'),
    netAmount: optionalNumber(record, 'net_amount'),
    serviceFee: optionalNumber(record, 'service_fee') ?? optionalNumber(record, 'servicefee'),
    pspFee: optionalNumber(record, 'service_fee_psp'),
    status: optionalString(record, 'status'),
    note: optionalString(record, 'recipient_note'),
    payoutStatus: optionalString(record, 'payout_status'),
    createdAt: optionalBerlinDate(record, 'created_at'),
    isSplit: optionalBoolean(record, 'is_split_link'),
    isDispute: optionalBoolean(record, 'is_dispute'),
    isRefund: optionalBoolean(record, 'is_refund'),
    paymentMethod:
      record['payment_method'] === null ? null : optionalString(record, 'payment_method'),
    transactionType: optionalString(record, 'transaction_type'),
    userId: optionalString(record, 'user_id'),
    creatorId: optionalString(record, 'creator_id'),
    raw: record,
  };
}

/**
 * `transaction_type`s of a payment (docs/secpaid-api.md §3.5); `Refund`, `Dispute` and
 * `Dispute Refund` rows share the pay id but prove nothing about a payment, and a type not
 * known here is not trusted either.
 */
const PAYMENT_TRANSACTION_TYPES: ReadonlySet<string> = new Set(['basic', 'split', 'personal qr']);

/**
 * True for a row that records a successful payment: a payment type (or none given), not
 * flagged refund or dispute, a positive amount, status Success.
 */
export function isSuccessfulPaymentRow(row: PayInTransaction): boolean {
  if (row.isRefund === true || row.isDispute === true || !(row.amount > 0)) return false;
  const type = row.transactionType?.trim().toLowerCase();
  if (type !== undefined && !PAYMENT_TRANSACTION_TYPES.has(type)) return false;
  return row.status?.trim().toLowerCase() === 'success';
}
