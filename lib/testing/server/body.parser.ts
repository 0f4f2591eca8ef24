/**
 * Request body parsing: SecPaid accepts JSON and form-urlencoded bodies (docs/secpaid-api.md §2.3).
 * Form bodies nest PHP-style bracket keys (`recipients[0][token]=a`) into objects and arrays.
 *
 * Bodies come from anyone who can reach the mock (a plain HTML form on any website can post to
 * it, and the sample app runs it in-process), so every object is built with a null prototype: a
 * key such as `__proto__[polluted]=yes` stays an ordinary key and can never reach
 * `Object.prototype`. Nesting and key counts are bounded.
 */

/** Deepest nesting of objects and arrays accepted in a body. */
export const MAX_BODY_DEPTH = 8;
/** Most keys (object keys plus array items, over the whole body) accepted in a body. */
export const MAX_BODY_KEYS = 1000;
/** Highest array index a form key may name (`recipients[99]`); larger ones would make huge arrays. */
const MAX_FORM_INDEX = 999;

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
  return withNullPrototypes(value, 0, { keys: 0 }) as MockBody;
}

/** A copy of parsed JSON whose objects have no prototype, within the depth and key bounds. */
function withNullPrototypes(value: unknown, depth: number, budget: { keys: number }): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_BODY_DEPTH) throw new MockBodyParseError('The body is nested too deeply');
  if (Array.isArray(value)) {
    budget.keys += value.length;
    if (budget.keys > MAX_BODY_KEYS) throw new MockBodyParseError('The body has too many keys');
    return value.map((item) => withNullPrototypes(item, depth + 1, budget));
  }
  const copy = Object.create(null) as MockBody;
  for (const [key, item] of Object.entries(value)) {
    if (++budget.keys > MAX_BODY_KEYS) throw new MockBodyParseError('The body has too many keys');
    copy[key] = withNullPrototypes(item, depth + 1, budget);
  }
  return copy;
}

/** Parses `a=1&b[c]=2&d[0][e]=3` into `{ a: '1', b: { c: '2' }, d: [{ e: '3' }] }` (null prototypes). */
export function parseForm(raw: string): MockBody {
  const root = Object.create(null) as MockBody;
  let keys = 0;
  for (const [key, value] of new URLSearchParams(raw)) {
    if (++keys > MAX_BODY_KEYS) throw new MockBodyParseError('The body has too many keys');
    const path = splitBracketKey(key);
    if (path.length > MAX_BODY_DEPTH) throw new MockBodyParseError('The body is nested too deeply');
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

/**
 * Sets `value` at `path`, creating null-prototype objects and arrays on the way. An array only
 * takes index segments (`[]` appends): a named key on an array (`d[__proto__][x]`) would reach
 * `Array.prototype`, so such a parameter is dropped.
 */
function assignPath(root: MockBody, path: string[], value: string): void {
  let node: Record<string, unknown> | unknown[] = root;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index]!;
    const last = index === path.length - 1;
    const nextIsIndex = !last && /^\d*$/.test(path[index + 1]!);
    let key = segment;
    if (Array.isArray(node)) {
      if (segment === '') key = String(node.length);
      else if (!/^\d+$/.test(segment) || Number(segment) > MAX_FORM_INDEX) return;
    }
    const container = node as Record<string, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    const existing = container[key];
    if (existing === undefined || existing === null || typeof existing !== 'object') {
      container[key] = nextIsIndex ? [] : Object.create(null);
    }
    node = container[key] as Record<string, unknown> | unknown[];
  }
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
