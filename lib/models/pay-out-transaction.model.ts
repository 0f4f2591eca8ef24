import {
  optionalBerlinDate,
  asRecord,
  optionalBoolean,
  optionalNumber,
  optionalString,
  readId,
} from './wire-value.util.js';

/**
 * A payout (one day's successful payments, aggregated), as returned by `getPayOutTransactions`.
 * @publicApi
 */
export interface PayOutTransaction {
  /** `payout_id`. */
  payoutId: number;
  /** `YYYYMMDD-po-XXXXXXXXXX`. */
  transactionId: string | undefined;
  /** Gross amount in EUR (`payout_amount`, a string on the wire). */
  payoutAmount: number | undefined;
  /** SecPaid's fee, EUR (a number on the wire). */
  serviceFee: number | undefined;
  /** Amount paid out after fees, EUR. */
  netAmount: number | undefined;
  /** `InProgress` or `Approved`. */
  payoutStatus: string | undefined;
  /** The day the payments were aggregated for, `YYYY-MM-DD` (a calendar date, kept as text). */
  requestDate: string | undefined;
  /** `created_at`, Europe/Berlin local time on the wire. */
  createdAt: Date | undefined;
  /** `is_split_link`. */
  isSplit: boolean | undefined;
  /** `is_dispute`. */
  isDispute: boolean | undefined;
  /** `is_refund`. */
  isRefund: boolean | undefined;
  /** `Basic` or `Split`. */
  transactionType: string | undefined;
  /** Account paid out to (`user_id`). */
  userId: string | undefined;
  /** The record exactly as SecPaid sent it. */
  raw: Readonly<Record<string, unknown>>;
}

/** Parses one `getPayOutTransactions` record. */
export function parsePayOutTransaction(value: unknown): PayOutTransaction {
  const record = asRecord(value, 'data[]');
  return {
    payoutId: readId(record, 'payout_id', 'id'),
    transactionId: optionalString(record, 'transaction_id'),
    payoutAmount: optionalNumber(record, 'payout_amount') ?? optionalNumber(record, 'amount'),
    serviceFee: optionalNumber(record, 'service_fee') ?? optionalNumber(record, 'servicefee'),
    netAmount: optionalNumber(record, 'net_amount'),
    payoutStatus: optionalString(record, 'payout_status'),
    requestDate: optionalString(record, 'request_date'),
    createdAt: optionalBerlinDate(record, 'created_at'),
    isSplit: optionalBoolean(record, 'is_split_link'),
    isDispute: optionalBoolean(record, 'is_dispute'),
    isRefund: optionalBoolean(record, 'is_refund'),
    transactionType: optionalString(record, 'transaction_type'),
    userId: optionalString(record, 'user_id'),
    raw: record,
  };
}
