import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { SecPaidValidationError, type SecPaidValidationIssue } from '../core/secpaid.errors.js';

// Input validation: a snapshot of the known fields of an input (what is validated is what is
// sent), class-validator over it, and its findings flattened into `{ field, message }` issues.

/**
 * Validates a camelCase input against its DTO class and returns a fresh DTO instance holding a
 * snapshot of the input's own, known fields: that snapshot is what was validated and what is
 * sent. Throws a `SecPaidValidationError` naming every bad field (no request is sent then):
 * unknown keys (a typo, an own `__proto__`) are rejected, not ignored, and an input that throws
 * while being read (a getter, a Proxy) is rejected too.
 */
export function validateInput<T extends object>(
  Dto: new () => T,
  input: unknown,
  endpoint: string,
  optional = false,
): T {
  if (input === undefined && optional) return new Dto();
  if (input === null || typeof input !== 'object' || isArray(input)) {
    throw new SecPaidValidationError([{ field: 'input', message: 'must be an object' }], endpoint);
  }
  let snapshot;
  try {
    snapshot = snapshotKnownFields(Dto, input);
  } catch {
    throw new SecPaidValidationError(
      [{ field: 'input', message: 'could not be read (a getter or Proxy threw)' }],
      endpoint,
    );
  }
  const issues = [
    ...snapshot.unknownKeys.map((key) => ({
      field: printableKey(key),
      message: 'is not a known field',
    })),
    ...collectValidationIssues(snapshot.instance),
  ];
  if (issues.length > 0) throw new SecPaidValidationError(issues, endpoint);
  return snapshot.instance;
}

/** `Array.isArray`, which throws for a revoked Proxy: that counts as "not an object" here. */
function isArray(value: object): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return true;
  }
}

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

/**
 * Runs class-validator on a decorated instance and flattens the result into
 * `{ field, message }` issues with dotted/bracketed paths. Values are never copied into
 * messages (class-validator's `$value` is not used anywhere in this package).
 */
export function collectValidationIssues(instance: object): SecPaidValidationIssue[] {
  return flatten(validateSync(instance, { forbidUnknownValues: false }), '');
}

function flatten(errors: ValidationError[], parent: string): SecPaidValidationIssue[] {
  return errors.flatMap((error) => {
    const field = joinPath(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: stripPropertyName(message, error.property),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** class-validator's default messages start with the property name; we print the path instead. */
function stripPropertyName(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
