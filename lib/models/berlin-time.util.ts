import { WireFormatError, optionalString, type WireRecord } from './wire-value.util.js';

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
