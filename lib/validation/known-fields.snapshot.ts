import { getMetadataStorage } from 'class-validator';

/** The fields a decorated class declares, read once per class from class-validator's metadata. */
const knownFieldsCache = new WeakMap<object, ReadonlySet<string>>();

/** Names of the properties `Schema` (or a parent) decorates with class-validator rules. */
export function knownFieldsOf(Schema: new () => object): ReadonlySet<string> {
  let fields = knownFieldsCache.get(Schema);
  if (fields === undefined) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(Schema, '', true, false);
    fields = new Set(metadata.map((rule) => rule.propertyName));
    knownFieldsCache.set(Schema, fields);
  }
  return fields;
}

/** A fresh instance holding the known fields of an input, and the input's other keys. */
export interface FieldSnapshot<T> {
  instance: T;
  /** Own enumerable keys `Schema` does not declare (e.g. `__proto__`, a typo), in input order. */
  unknownKeys: string[];
}

/**
 * Copies the own, known fields of `input` into a fresh `Schema` instance, reading each one
 * exactly once, so that what is validated is what is sent (a getter cannot answer 30 to the
 * validator and 5000 to the wire mapping) and an own `__proto__` key can never replace the
 * instance's prototype (which would hide every rule from class-validator). Nested arrays and
 * objects are copied too (one level of plain fields, into null-prototype objects) unless `deep`
 * is false (module options, whose values may be class instances such as a dedupe store). Throws
 * whatever the input throws while being read (a throwing getter, a Proxy trap): callers turn
 * that into their typed error.
 */
export function snapshotKnownFields<T extends object>(
  Schema: new () => T,
  input: object,
  { deep = true }: { deep?: boolean } = {},
): FieldSnapshot<T> {
  const known = knownFieldsOf(Schema);
  const instance = new Schema();
  const target = instance as Record<string, unknown>;
  for (const field of known) {
    if (Object.hasOwn(input, field)) {
      const value = (input as Record<string, unknown>)[field];
      target[field] = deep ? copyValue(value) : value;
    }
  }
  const unknownKeys = Object.keys(input).filter((key) => !known.has(key));
  return { instance, unknownKeys };
}

/** More items than any input may hold (split recipients are bounded far below it). */
const MAX_COPIED_ITEMS = 1000;

/** Primitives as they are; arrays and objects (split recipients) copied one level deep. */
function copyValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 1) return value;
  if (Array.isArray(value)) {
    // A sparse `new Array(2 ** 32 - 1)` must not be walked: one item over any bound is enough
    // for the validator to reject the length.
    return Array.from(value.slice(0, MAX_COPIED_ITEMS + 1), (item) => copyValue(item, depth + 1));
  }
  const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    copy[key] = copyValue((value as Record<string, unknown>)[key], depth + 1);
  }
  return copy;
}

/** A key as it may appear in an error message: bounded, so a 1 MB key does not become one. */
export function printableKey(key: string): string {
  return key.length > 64 ? `${key.slice(0, 64)}...` : key;
}
