/** A record as SecPaid sent it: keys are snake_case, values loosely typed. */
export type WireRecord = Readonly<Record<string, unknown>>;

/**
 * Thrown by the readers below; the request executor wraps it in a
 * `SecPaidUnexpectedResponseError` carrying the endpoint (it becomes the `cause`).
 */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';

  constructor(field: string, expected: string) {
    super(`unreadable "${field}" (expected ${expected})`);
  }
}

/** Narrows a record, or throws when SecPaid sent something else. */
export function asRecord(value: unknown, what: string): WireRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WireFormatError(what, 'an object');
  }
  return value as WireRecord;
}

/** Numbers arrive as `25`, `35.39`, `"100.00"` or `"-0.10"`. */
export function readNumber(record: WireRecord, field: string): number {
  const value = optionalNumber(record, field);
  if (value === undefined) throw new WireFormatError(field, 'a number');
  return value;
}

/** Like `readNumber`, but absent, `null` and `""` give undefined. */
export function optionalNumber(record: WireRecord, field: string): number | undefined {
  const value = record[field];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? +value : NaN;
  if (!Number.isFinite(number)) throw new WireFormatError(field, 'a number');
  return number;
}

/** IDs arrive as `99290` or `"99290"`. */
export function readId(record: WireRecord, ...fields: string[]): number {
  for (const field of fields) {
    const value = optionalNumber(record, field);
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) throw new WireFormatError(field, 'an id');
    return value;
  }
  throw new WireFormatError(fields.join('|'), 'an id');
}

/** Strings; numbers are accepted and stringified (IDs and codes are sometimes numbers). */
export function optionalString(record: WireRecord, field: string): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new WireFormatError(field, 'a string');
}

/** Like `optionalString`, but the field must be there. */
export function readString(record: WireRecord, field: string): string {
  const value = optionalString(record, field);
  if (value === undefined) throw new WireFormatError(field, 'a string');
  return value;
}

const TRUE_VALUES = new Set(['true', 'yes', '1']);
const FALSE_VALUES = new Set(['false', 'no', '0', '']);

/** Flags arrive as `true`, `"true"`, `"True"`, `"Yes"`, `"No"`, `1`... */
export function optionalBoolean(record: WireRecord, field: string): boolean | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (TRUE_VALUES.has(lower)) return true;
    if (FALSE_VALUES.has(lower)) return false;
  }
  throw new WireFormatError(field, 'a boolean');
}
