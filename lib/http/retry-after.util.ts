/**
 * Parses a `Retry-After` header (delta-seconds or an HTTP date) into milliseconds.
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfterMs(value: unknown, now: number = Date.now()): number | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (typeof header === 'number') return header >= 0 ? header * 1000 : undefined;
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
