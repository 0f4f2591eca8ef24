import { randomBytes } from 'node:crypto';

const BERLIN = 'Europe/Berlin';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const berlinParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: BERLIN,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

function partsOf(date: Date): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of berlinParts.formatToParts(date)) parts[part.type] = part.value;
  return parts;
}

/** `YYYY-MM-DD HH:MM:SS` in SecPaid's server time (Europe/Berlin), as in `created_at`. */
export function berlinDateTime(date: Date): string {
  const p = partsOf(date);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `YYYY-MM-DD` in Europe/Berlin. */
export function berlinDate(date: Date): string {
  return berlinDateTime(date).slice(0, 10);
}

/** `CEST` or `CET`, the envelope's `ServerTime`. */
export function serverTimeZone(date = new Date()): string {
  const name = partsOf(date).timeZoneName;
  return name === 'CEST' || name === 'CET' ? name : 'CEST';
}

/** Money as SecPaid's list endpoints print it: `"25.00"`. */
export function money(value: number): string {
  return value.toFixed(2);
}

/**
 * EUR as integer cents, rounded the way a server would store it. The mock keeps its own money
 * arithmetic on purpose (it imports nothing from the client: docs/architecture.md §1), and this
 * is its single definition.
 */
export function toCents(value: number): number {
  return Math.round(value * 100);
}

/** Rounds to cents. */
export function roundCents(value: number): number {
  return toCents(value) / 100;
}

/** Random alphanumeric string (API keys, transaction id suffixes). */
export function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[bytes[i] % ALPHANUMERIC.length];
  return out;
}

/** A pay-in (`pi`) or payout (`po`) transaction id: `YYYYMMDD-pi-XXXXXXXXXX` (Berlin date). */
export function transactionId(kind: 'pi' | 'po', date: Date): string {
  return `${berlinDate(date).replaceAll('-', '')}-${kind}-${randomAlphanumeric(10)}`;
}

/** `link_id` of a pay link: standard base64 of the decimal link id (docs/secpaid-api.md §3.1). */
export function encodeLinkId(id: number): string {
  return Buffer.from(String(id), 'utf8').toString('base64');
}

/** Inverse of {@link encodeLinkId}; `undefined` when it is not base64 of a decimal id. */
export function decodeLinkId(linkId: string): number | undefined {
  const decoded = Buffer.from(linkId, 'base64').toString('utf8');
  return /^\d+$/.test(decoded) ? Number(decoded) : undefined;
}

/** The documented quickchart QR URL: `pay_link` is embedded without URL-encoding. */
export function qrImageUrl(payLink: string): string {
  return `https://quickchart.io/chart?chl=${payLink}&chs=300x300&cht=qr`;
}

/** `"true"` / `"false"`, SecPaid's string booleans. */
export function stringBool(value: boolean): 'true' | 'false' {
  return value ? 'true' : 'false';
}

/** `"Yes"` / `"No"`. */
export function yesNo(value: boolean): 'Yes' | 'No' {
  return value ? 'Yes' : 'No';
}
