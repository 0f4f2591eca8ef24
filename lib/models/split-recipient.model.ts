import {
  WireFormatError,
  asRecord,
  optionalString,
  readNumber,
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
