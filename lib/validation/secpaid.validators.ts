import type { ValidationOptions } from 'class-validator';
import { toCents } from './cents.util.js';
import { secpaidDecorator } from './secpaid-decorator.factory.js';

/** Largest page size any list endpoint documents (`limit` max 1000). */
export const SECPAID_MAX_LIST_LIMIT = 1000;
/** Client-side bound for free text (`recipient_note`, search, statement text); SecPaid documents none. */
export const SECPAID_MAX_TEXT_LENGTH = 255;
/** `YYYY-MM-DD` (shape only; `IsCalendarDate` also checks the day exists). */
export const CALENDAR_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** Most recipients a split link may have (SecPaid documents none; each one pays its own fee). */
export const SECPAID_MAX_SPLIT_RECIPIENTS = 50;
/** Longest recipient token accepted (SecPaid documents none; real tokens are short). */
export const SECPAID_MAX_RECIPIENT_TOKEN_LENGTH = 128;
/**
 * An AES-256 key as SecPaid uses it: 32 bytes taken from the text, so 32 printable ASCII
 * characters (a multi-byte character would make the key longer than 32 bytes).
 */
export const ENCRYPTION_KEY_PATTERN = /^[\x20-\x7e]{32}$/;
/** The message of every encryption-key issue; it never includes the value. */
export const ENCRYPTION_KEY_RULE = 'must be 32 ASCII characters (the 32-byte AES-256 key)';

/** A whole number JSON and JavaScript agree on: an integer within ±(2^53 - 1), greater than 0. */
export function IsSecPaidId(options?: ValidationOptions): PropertyDecorator {
  return secpaidDecorator(
    'isSecPaidId',
    (value) =>
      Number.isSafeInteger(value) && (value as number) > 0
        ? undefined
        : 'must be a positive whole number below 2^53',
    options,
  );
}

/** A `YYYY-MM-DD` day that exists in the calendar (no 2026-02-31). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return secpaidDecorator(
    'isCalendarDate',
    (value) => {
      const problem = 'must be a YYYY-MM-DD date';
      if (typeof value !== 'string' || !CALENDAR_DATE.test(value)) return problem;
      const [year, month, day] = value.split('-').map(Number) as [number, number, number];
      const date = new Date(Date.UTC(year, month - 1, day));
      return date.getUTCDate() === day && date.getUTCMonth() === month - 1 ? undefined : problem;
    },
    options,
  );
}
/** `YYYY-MM`. */
export const CALENDAR_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A EUR amount: a finite number, greater than 0, with at most 2 decimals. */
export function IsSecPaidAmount(options?: ValidationOptions): PropertyDecorator {
  return secpaidDecorator(
    'isSecPaidAmount',
    (value) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
      if (value <= 0) return 'must be greater than 0';
      if (toCents(value) === undefined) return 'must have at most 2 decimals';
      return undefined;
    },
    options,
  );
}

const INDEX = /^\d+$/;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * `callback_url` / `payment_endpoint`: an http(s) URL, a zero-based index into the account's
 * saved list (`"0"`), or a comma-separated mix (`"0,https://example.com/hook"`).
 */
export function IsUrlOrIndexList(options?: ValidationOptions): PropertyDecorator {
  return secpaidDecorator(
    'isUrlOrIndexList',
    (value) => {
      const rule = 'must be a URL, a zero-based index, or a comma-separated list of those';
      if (typeof value !== 'string' || value.length > 2048) return rule;
      const parts = value.split(',');
      return parts.every((part) => {
        const item = part.trim();
        return INDEX.test(item) || isHttpUrl(item);
      })
        ? undefined
        : rule;
    },
    options,
  );
}

/**
 * Split recipients: a non-empty array of at most `SECPAID_MAX_SPLIT_RECIPIENTS`
 * `{ token, share }` with non-empty tokens of bounded length, checked in
 * integer cents against the split rules: `normal` shares are percentages 0-100 summing to at
 * most 100; `absolute` shares are EUR amounts greater than 0 summing to at most `amount`.
 */
export function IsSplitRecipients(options?: ValidationOptions): PropertyDecorator {
  return secpaidDecorator('isSplitRecipients', recipientsProblem, options);
}

function recipientsProblem(value: unknown, object: object): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return 'must be a non-empty array';
  if (value.length > SECPAID_MAX_SPLIT_RECIPIENTS) {
    return `must have at most ${SECPAID_MAX_SPLIT_RECIPIENTS} recipients`;
  }
  const splitType = (object as { splitType?: unknown }).splitType ?? 'normal';
  let sum = 0;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (item === null || typeof item !== 'object') return `[${i}] must be an object`;
    const { token, share } = item as { token?: unknown; share?: unknown };
    if (typeof token !== 'string' || token.trim() === '') {
      return `[${i}].token must be a non-empty string`;
    }
    if (token.length > SECPAID_MAX_RECIPIENT_TOKEN_LENGTH) {
      return `[${i}].token must be at most ${SECPAID_MAX_RECIPIENT_TOKEN_LENGTH} characters`;
    }
    const cents = typeof share === 'number' && share === 0 ? 0 : toCents(share);
    if (cents === undefined || cents < 0) {
      return `[${i}].share must be a non-negative number with at most 2 decimals`;
    }
    if (splitType === 'normal' && cents > 10_000) return `[${i}].share must be between 0 and 100`;
    if (splitType === 'absolute' && cents === 0) return `[${i}].share must be greater than 0`;
    sum += cents;
  }
  if (splitType === 'normal' && sum > 10_000) return 'shares must sum to at most 100 (percent)';
  if (splitType === 'absolute') {
    const amount = toCents((object as { amount?: unknown }).amount);
    if (amount !== undefined && sum > amount) return 'shares must sum to at most amount';
  }
  return undefined;
}
