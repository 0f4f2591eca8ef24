import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

/** What every printed form of a secret shows instead of its value. */
export const REDACTED = '[REDACTED]';

/**
 * Brand of every instance; a `Symbol.for` key is the same in the ESM and the CommonJS build, so
 * `isSecPaidSecret` holds for a secret made by either.
 */
const SECRET_BRAND = Symbol.for('nestjs-secpaid:secret');

/**
 * Anything that can tell the secret to use right now. A `SecPaidSecret` is its own source; a
 * key that changes while the app runs (rotation) is a source whose `current()` changes, and
 * every reader asks at the moment the value goes on the wire, so nothing keeps an old copy.
 * @publicApi
 */
export interface SecPaidSecretSource {
  /** The secret to use for the next request. */
  current(): SecPaidSecret;
}

/**
 * The one way this package holds a secret (an API key, the webhook encryption key, a Redis URL
 * with its password, an app-owned Redis client whose options hold credentials: `T` is the type
 * of the value, text by default). The value lives in a private field: `util.inspect`, `JSON.stringify`,
 * `String()`, template literals, `Object.keys`, spreading and structured cloning never see it,
 * so a class that keeps one cannot leak it by forgetting a field list. `reveal()` is called
 * only where the value goes on the wire, into a cipher or into a client library's connect call.
 *
 * `hash` is the SHA-256 (hex) of a text secret: a stable, one-way stand-in for map keys, Redis
 * key names and budgets that must tell keys apart without holding one.
 * @publicApi
 */
export class SecPaidSecret<T = string> implements SecPaidSecretSource {
  readonly #value: T;
  #hash: string | undefined;

  private constructor(value: T) {
    this.#value = value;
    Object.defineProperty(this, SECRET_BRAND, { value: true });
    Object.freeze(this);
  }

  /** Holds the text `value` (a secret given again is returned as it is). */
  static of(value: string | SecPaidSecret): SecPaidSecret {
    return isSecPaidSecret(value) ? value : new SecPaidSecret(value);
  }

  /** Holds any other value whose printed form would show credentials (e.g. a Redis client). */
  static holding<T extends object>(value: T): SecPaidSecret<T> {
    return new SecPaidSecret(value);
  }

  /** The secret itself: only for the wire, a cipher or a client library's connect call. */
  reveal(): T {
    return this.#value;
  }

  /** SHA-256 of a text secret, hex (computed once); a held object has none (TypeError). */
  get hash(): string {
    if (typeof this.#value !== 'string') throw new TypeError('only a text secret has a hash');
    this.#hash ??= hashSecretText(this.#value);
    return this.#hash;
  }

  /** Whether `other` holds the same text (compared by hash: no early exit on the value). */
  sameAs(other: SecPaidSecret | undefined): boolean {
    return other !== undefined && other.hash === this.hash;
  }

  /** A text secret is its own source. */
  current(this: SecPaidSecret): SecPaidSecret {
    return this;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  /** Template literals and `+` concatenation. */
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `SecPaidSecret ${REDACTED}`;
  }
}

/** Whether `value` is a `SecPaidSecret` (of this build or the other one). */
export function isSecPaidSecret(value: unknown): value is SecPaidSecret<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[SECRET_BRAND] === true
  );
}

/** SHA-256 of `text`, hex: the one hash behind `SecPaidSecret.hash`. */
export function hashSecretText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Replaces every occurrence of every non-empty secret in `text`: for text that comes from
 * outside (a server message or a transport error that may echo the key), which no type can
 * guard. Secrets the package holds are `SecPaidSecret`s and never print themselves.
 */
export function redactSecrets(
  text: string,
  secrets: readonly (SecPaidSecret | string | undefined)[],
): string {
  let result = text;
  for (const secret of secrets) {
    const value = typeof secret === 'string' ? secret : secret?.reveal();
    if (value) result = result.split(value).join(REDACTED);
  }
  return result;
}
