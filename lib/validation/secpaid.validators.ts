import type { ValidationOptions } from 'class-validator';
import { toCents } from './cents.util.js';
import { secpaidDecorator } from './secpaid-decorator.factory.js';

/** Largest page size any list endpoint documents (`limit` max 1000). */
export const SECPAID_MAX_LIST_LIMIT = 1000;
/** Client-side bound for free text (`recipient_note`, search, statement text); SecPaid documents none. */
export const SECPAID_MAX_TEXT_LENGTH = 255;
/** `YYYY-MM-DD`. */
export const CALENDAR_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
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
 * Split recipients: a non-empty array of `{ token, share }` with non-empty tokens, checked in
 * integer cents against the split rules: `normal` shares are percentages 0-100 summing to at
 * most 100; `absolute` shares are EUR amounts greater than 0 summing to at most `amount`.
 */
export function IsSplitRecipients(options?: ValidationOptions): PropertyDecorator {
  return secpaidDecorator('isSplitRecipients', recipientsProblem, options);
}

function recipientsProblem(value: unknown, object: object): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return 'must be a non-empty array';
  const splitType = (object as { splitType?: unknown }).splitType ?? 'normal';
  let sum = 0;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (item === null || typeof item !== 'object') return `[${i}] must be an object`;
    const { token, share } = item as { token?: unknown; share?: unknown };
    if (typeof token !== 'string' || token.trim() === '') {
      return `[${i}].token must be a non-empty string`;
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
