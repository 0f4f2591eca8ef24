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

/** SecPaid's server zone: `created_at` / `paid_on` are its local time without an offset. */
export const SECPAID_TIME_ZONE = 'Europe/Berlin';

const LOCAL_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

// Built once: Intl formatters are expensive to construct and cheap to reuse.
const berlinFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: SECPAID_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

const HOUR_MS = 3_600_000;
/** Offsets by UTC hour: Berlin changes offset only on whole UTC hours, and Intl is slow. */
const offsetByHour = new Map<number, number>();

/** Offset of Berlin from UTC at `epochMs`, in ms (3600000 in winter, 7200000 in summer). */
function berlinOffsetMs(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = intlOffsetMs(hour * HOUR_MS);
    if (offsetByHour.size >= 4096) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

function intlOffsetMs(epochMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of berlinFormatter.formatToParts(epochMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts['year']!,
    parts['month']! - 1,
    parts['day']!,
    parts['hour']!,
    parts['minute']!,
    parts['second']!,
  );
  return asUtc - epochMs;
}

/**
 * Parses `YYYY-MM-DD HH:MM:SS` as Europe/Berlin wall-clock time, DST-correct. In the
 * autumn overlap hour the earlier (summer-time) instant is chosen; a wall time that does not
 * exist (the spring gap) is read with the summer offset. Returns undefined for anything else.
 */
export function parseBerlinTimestamp(text: string): Date | undefined {
  const match = LOCAL_TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const wall = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, s ? +s : 0);
  // Two passes: the offset at the first guess may differ from the offset at the answer.
  const summerGuess = wall - 7_200_000;
  const offset = berlinOffsetMs(summerGuess);
  const candidate = wall - offset;
  const check = berlinOffsetMs(candidate);
  return new Date(check === offset ? candidate : wall - check);
}

/** Reads an optional timestamp field; present but unreadable is a format error. */
export function optionalBerlinDate(record: WireRecord, field: string): Date | undefined {
  const text = optionalString(record, field);
  if (text === undefined || text === '') return undefined;
  const date = parseBerlinTimestamp(text);
  if (!date) throw new WireFormatError(field, 'a "YYYY-MM-DD HH:MM:SS" timestamp');
  return date;
}
