/**
 * Request body parsing: SecPaid accepts JSON and form-urlencoded bodies (docs/secpaid-api.md §2.3).
 * Form bodies nest PHP-style bracket keys (`recipients[0][token]=a`) into objects and arrays.
 */

/** A parsed request body: a plain object of whatever the client sent. */
export type MockBody = Record<string, unknown>;

/** Thrown when the body cannot be parsed (malformed JSON). */
export class MockBodyParseError extends Error {}

/** Parses a raw body by content type; an empty body is `{}`. */
export function parseRequestBody(raw: string, contentType: string | undefined): MockBody {
  if (raw.trim() === '') return {};
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return parseForm(raw);
  if (type === 'application/json' || type.endsWith('+json')) return parseJson(raw);
  // No or unknown content type: try JSON, then form (curl without a header sends a form).
  try {
    return parseJson(raw);
  } catch {
    return parseForm(raw);
  }
}

function parseJson(raw: string): MockBody {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new MockBodyParseError('Malformed JSON body');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MockBodyParseError('The JSON body must be an object');
  }
  return value as MockBody;
}

/** Parses `a=1&b[c]=2&d[0][e]=3` into `{ a: '1', b: { c: '2' }, d: [{ e: '3' }] }`. */
export function parseForm(raw: string): MockBody {
  const root: MockBody = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const path = splitBracketKey(key);
    assignPath(root, path, value);
  }
  return root;
}

function splitBracketKey(key: string): string[] {
  const first = key.indexOf('[');
  if (first <= 0 || !key.endsWith(']')) return [key];
  const rest = key.slice(first);
  const parts = [key.slice(0, first)];
  for (const match of rest.matchAll(/\[([^\]]*)\]/g)) parts.push(match[1]);
  return parts;
}

function assignPath(root: MockBody, path: string[], value: string): void {
  let node: Record<string, unknown> | unknown[] = root;
  path.forEach((segment, index) => {
    const last = index === path.length - 1;
    const nextIsIndex = !last && /^\d*$/.test(path[index + 1]);
    const key = segment === '' && Array.isArray(node) ? String(node.length) : segment;
    const container = node as Record<string, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    if (container[key] === undefined || typeof container[key] !== 'object') {
      container[key] = nextIsIndex ? [] : {};
    }
    node = container[key] as Record<string, unknown> | unknown[];
  });
}

/** A trimmed string for strings and numbers, `undefined` for absent/empty values. */
export function readString(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A number from a number or numeric string (`"25.00"`); `NaN` when present but not numeric. */
export function readNumber(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  const text = readString(value);
  if (text === undefined) return undefined;
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
}

/** Lenient boolean: `true`/`"true"`/`"1"`/`"yes"` and their opposites; otherwise the fallback. */
export function readBoolean(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const text = readString(value)?.toLowerCase();
  if (text === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  return fallback;
}
