import {
  optionalBerlinDate,
  WireFormatError,
  asRecord,
  optionalBoolean,
  optionalNumber,
  optionalString,
  readNumber,
  readString,
  type WireRecord,
} from './wire-value.util.js';

/**
 * One recipient of a split link: their recipient token and their share (a percentage for
 * `normal` splits, EUR for `absolute` ones).
 * @publicApi
 */
export interface SplitRecipient {
  token: string;
  share: number;
}

/**
 * Reads `recipients` (or the old `recipient`) as SecPaid sends it: an array, a JSON-encoded
 * string of an array (`"[{\"token\":\"a\",\"share\":10}]"`), `null`, `""` or absent.
 */
export function parseRecipients(record: WireRecord): SplitRecipient[] {
  let value = record['recipients'] ?? record['recipient'];
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new WireFormatError('recipients', 'a JSON array');
    }
  }
  if (value === null) return [];
  if (!Array.isArray(value)) throw new WireFormatError('recipients', 'an array');
  return value.map((item: unknown) => {
    const recipient = asRecord(item, 'recipients[]');
    // The old split how-to calls the token `recipient_token`.
    const token =
      optionalString(recipient, 'token') ?? optionalString(recipient, 'recipient_token');
    if (token === undefined) throw new WireFormatError('recipients[].token', 'a string');
    return { token, share: readNumber(recipient, 'share') };
  });
}

/** How the shares of a split link are read. */
export type SecPaidSplitType = 'normal' | 'absolute';

/**
 * An unpaid payment link, as returned by `createLink`, `createSplitLink` and
 * `getMyUnusedLinks`. Fields SecPaid did not send are `undefined`; `raw` is the record as sent.
 * @publicApi
 */
export interface PaymentLink {
  /** The numeric link ID (`id` or `linktopay_id`); also the `payId` of its payment. */
  id: number;
  /** The hosted payment page to send the customer to (`pay_link`). */
  url: string;
  /** A QR code image of `url` (`qr_img`). */
  qrCodeUrl: string | undefined;
  /** Amount in EUR. */
  amount: number;
  /** `recipient_note`: your reference, shown to the payer. */
  note: string | undefined;
  /** `Unused` or `Used` (docs also name `Cancelled`, `Deleted`); `Unused` for unused-link lists. */
  status: string;
  /** True for split links (`is_split_link`). */
  isSplit: boolean;
  /** Share semantics of a split link. */
  splitType: SecPaidSplitType | undefined;
  /** Split recipients; empty for a basic link. */
  recipients: SplitRecipient[];
  /** Creation time (`created_at`, Europe/Berlin local time on the wire). */
  createdAt: Date | undefined;
  /** Owner account (`user_id`). */
  userId: string | undefined;
  /** `callback_url` as stored. */
  callbackUrl: string | undefined;
  /** `paymentEndpoint` / `payment_endpoint` as stored. */
  paymentEndpoint: string | undefined;
  /** `servicefee` (older pages: `service_fee`); its unit is not documented. */
  serviceFee: number | undefined;
  /** `is_qr_link`: created as a Personal QR link. */
  isQrLink: boolean | undefined;
  /** `bank_transfer`: bank transfer enabled. */
  bankTransfer: boolean | undefined;
  /** `is_cancelled` (`Yes`/`No`) when sent. `is_cancellation` stays in `raw`: its meaning is unclear. */
  isCancelled: boolean | undefined;
  /** `Basic`, `Split` or `Personal QR`. */
  transactionType: string | undefined;
  /** The record exactly as SecPaid sent it. */
  raw: Readonly<Record<string, unknown>>;
}

/** Reads the link ID from `id`, `linktopay_id`, or failing both the base64 `link_id` of `pay_link`. */
function linkIdOf(record: WireRecord, url: string): number {
  const id = optionalNumber(record, 'id') ?? optionalNumber(record, 'linktopay_id');
  if (id !== undefined) {
    if (!Number.isSafeInteger(id) || id <= 0) throw new WireFormatError('id', 'a positive integer');
    return id;
  }
  const encoded = /[?&]link_id=([^&#]+)/.exec(url)?.[1];
  const decoded = encoded ? Buffer.from(decodeURIComponent(encoded), 'base64').toString() : '';
  if (/^\d+$/.test(decoded)) return Number(decoded);
  throw new WireFormatError('id|linktopay_id', 'a link ID');
}

/** Parses one link record; `defaultStatus` applies when the record has no `status`. */
export function parsePaymentLink(value: unknown, defaultStatus = 'Unused'): PaymentLink {
  const record = asRecord(value, 'data');
  const url = readString(record, 'pay_link');
  const splitType = optionalString(record, 'split_type');
  const recipients = parseRecipients(record);
  return {
    id: linkIdOf(record, url),
    url,
    qrCodeUrl: optionalString(record, 'qr_img'),
    amount: readNumber(record, 'amount'),
    note: optionalString(record, 'recipient_note'),
    status: optionalString(record, 'status') ?? defaultStatus,
    isSplit: optionalBoolean(record, 'is_split_link') ?? recipients.length > 0,
    splitType: splitType === 'normal' || splitType === 'absolute' ? splitType : undefined,
    recipients,
    createdAt: optionalBerlinDate(record, 'created_at'),
    userId: optionalString(record, 'user_id'),
    callbackUrl: optionalString(record, 'callback_url'),
    paymentEndpoint:
      optionalString(record, 'paymentEndpoint') ?? optionalString(record, 'payment_endpoint'),
    serviceFee: optionalNumber(record, 'servicefee') ?? optionalNumber(record, 'service_fee'),
    isQrLink: optionalBoolean(record, 'is_qr_link'),
    bankTransfer: optionalBoolean(record, 'bank_transfer'),
    isCancelled: optionalBoolean(record, 'is_cancelled'),
    transactionType: optionalString(record, 'transaction_type'),
    raw: record,
  };
}
