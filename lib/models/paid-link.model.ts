import {
  optionalBerlinDate,
  asRecord,
  optionalBoolean,
  optionalString,
  readId,
  readNumber,
} from './wire-value.util.js';
import { parseRecipients, type SplitRecipient } from './payment-link.model.js';

/**
 * A paid link, as returned by `getMyUsedLinks`.
 * @publicApi
 */
export interface PaidLink {
  /** The numeric link ID (`linktopay_id` or `id`); also the `payId` of its payment. */
  id: number;
  /** Amount in EUR. */
  amount: number;
  /** `recipient_note`. */
  note: string | undefined;
  /** True for split links. */
  isSplit: boolean;
  /** Split recipients; empty for a basic link. */
  recipients: SplitRecipient[];
  /** When it was paid (`paid_on`, Europe/Berlin local time on the wire). */
  paidAt: Date | undefined;
  /** `is_cancelled` when sent. */
  isCancelled: boolean | undefined;
  /** `Basic`, `Split` or `Personal QR`. */
  transactionType: string | undefined;
  /** Owner account (`user_id`). */
  userId: string | undefined;
  /** The record exactly as SecPaid sent it. */
  raw: Readonly<Record<string, unknown>>;
}

/** Parses one `getMyUsedLinks` record. */
export function parsePaidLink(value: unknown): PaidLink {
  const record = asRecord(value, 'data[]');
  const recipients = parseRecipients(record);
  return {
    id: readId(record, 'linktopay_id', 'id'),
    amount: readNumber(record, 'amount'),
    note: optionalString(record, 'recipient_note'),
    isSplit: optionalBoolean(record, 'is_split_link') ?? recipients.length > 0,
    recipients,
    paidAt: optionalBerlinDate(record, 'paid_on'),
    isCancelled: optionalBoolean(record, 'is_cancelled'),
    transactionType: optionalString(record, 'transaction_type'),
    userId: optionalString(record, 'user_id'),
    raw: record,
  };
}
