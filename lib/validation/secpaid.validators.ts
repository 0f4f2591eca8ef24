import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

/**
 * EUR in integer cents, or undefined when `value` is not a finite number with at most 2
 * decimals (sign is left to the caller). Every money comparison and check in the package
 * goes through it, so amounts are never compared as floats.
 */
export function toCents(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const cents = Math.round(value * 100);
  // Exact: `cents / 100` and a 2-decimal literal are both the double nearest to the same
  // decimal, so they are equal (0.29 * 100 = 28.999999999999996 still rounds back to 0.29),
  // while 1e-9 or 10.000000001 are not (a tolerance let those through, unrounded).
  if (!Number.isSafeInteger(cents) || cents / 100 !== value) return undefined;
  return cents;
}

/**
 * Builds a class-validator property decorator from one function that names the problem with a
 * value (`undefined` when it is valid). The message is `<property> <problem>`, like
 * class-validator's own (Nest's `ValidationPipe` shows it as is; our own issues strip the name
 * and print the path), unless `options.message` replaces it; messages never include the value.
 */
export function secpaidDecorator(
  name: string,
  problem: (value: unknown, object: object) => string | undefined,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          problem(value, args?.object ?? {}) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? String(propertyName)} ${problem(args?.value, args?.object ?? {}) ?? 'is invalid'}`,
      },
    });
  };
}

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

/**
 * Characters no text field may carry: C0 controls (tab, CR and LF included), DEL, C1 controls,
 * the Unicode line and paragraph separators, and the bidi embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069) that can make a note read differently to the payer than it was
 * written (the marks U+200E/U+200F stay allowed: right-to-left text needs them).
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const REFUSED_TEXT_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** A UTF-16 surrogate without its partner: no strict JSON parser or UTF-8 encoder accepts it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What is wrong with the characters of a text field (`undefined` when nothing): the one rule
 * every free text sent to SecPaid passes (note, bank statement text, searches, tokens).
 */
export function textCharactersProblem(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone UTF-16 surrogate';
  if (REFUSED_TEXT_CHARACTER.test(value)) {
    return 'must not contain control characters (tab and line breaks included) or bidi overrides';
  }
  return undefined;
}

/**
 * Free text sent to SecPaid (note, bank statement text, searches): a string without control
 * characters, line breaks, lone surrogates or bidi overrides; an empty string is valid. Its
 * length is `MaxLength`'s business (which counts an emoji as one character).
 */
export function IsSecPaidText(options?: ValidationOptions): PropertyDecorator {
  return secpaidDecorator(
    'isSecPaidText',
    (value) => (typeof value === 'string' ? textCharactersProblem(value) : 'must be a string'),
    options,
  );
}

/**
 * Highest index into an account's saved callback / endpoint list we send. SecPaid documents no
 * bound (docs/secpaid-api.md §3.1, §4.1); the lists are short dashboard settings, and an index
 * must stay a small number every JSON reader keeps exact.
 */
export const SECPAID_MAX_URL_INDEX = 99;
/** A zero-based index without sign, spaces or leading zeros, at most `SECPAID_MAX_URL_INDEX`. */
const INDEX = /^(0|[1-9]\d?)$/;
/** Whitespace, control and bidi characters: a URL carries none of them (URL parsers drop some silently). */
const REFUSED_URL_CHARACTER =
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  /[\s\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function isHttpUrl(text: string): boolean {
  if (REFUSED_URL_CHARACTER.test(text) || LONE_SURROGATE.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * `callback_url` / `payment_endpoint` (docs/secpaid-api.md §3.1): an http(s) URL, a zero-based
 * index into the account's saved list (`"0"`), or a comma-separated mix
 * (`"0,https://example.com/hook"`) without spaces, empty or repeated entries.
 */
export function IsUrlOrIndexList(options?: ValidationOptions): PropertyDecorator {
  return secpaidDecorator(
    'isUrlOrIndexList',
    (value) => {
      const rule =
        `must be a URL, a zero-based index up to ${SECPAID_MAX_URL_INDEX}, or a ` +
        'comma-separated list of those (no spaces, no repeats)';
      if (typeof value !== 'string' || value.length > 2048) return rule;
      const parts = value.split(',');
      if (new Set(parts).size !== parts.length) return rule;
      return parts.every((part) => INDEX.test(part) || isHttpUrl(part)) ? undefined : rule;
    },
    options,
  );
}

/**
 * A `YYYY-MM-DD` date that is not before the date in `field` of the same object (when both are
 * valid dates): an ordered range.
 */
export function IsNotBeforeDateIn(field: string, options?: ValidationOptions): PropertyDecorator {
  return secpaidDecorator(
    'isNotBeforeDateIn',
    (value, object) => {
      const start = (object as Record<string, unknown>)[field];
      const ordered =
        typeof value !== 'string' ||
        typeof start !== 'string' ||
        !CALENDAR_DATE.test(value) ||
        !CALENDAR_DATE.test(start) ||
        start <= value; // YYYY-MM-DD compares in calendar order as text
      return ordered ? undefined : `must not be before ${field}`;
    },
    options,
  );
}

/**
 * Split recipients: a non-empty array of at most `SECPAID_MAX_SPLIT_RECIPIENTS`
 * `{ token, share }` with distinct non-empty tokens of bounded length (free of the characters
 * `textCharactersProblem` refuses), checked in
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
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (item === null || typeof item !== 'object') return `[${i}] must be an object`;
    const { token, share } = item as { token?: unknown; share?: unknown };
    if (typeof token !== 'string' || token.trim() === '') {
      return `[${i}].token must be a non-empty string`;
    }
    const tokenProblem =
      token.trim() !== token ? 'must not start or end with a space' : textCharactersProblem(token);
    if (tokenProblem !== undefined) return `[${i}].token ${tokenProblem}`;
    if (seen.has(token)) return `[${i}].token repeats an earlier recipient`;
    seen.add(token);
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
