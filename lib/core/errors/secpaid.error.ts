/** Context shared by every error this package throws. */
export interface SecPaidErrorOptions {
  /** The SecPaid endpoint the failed call was made to, e.g. `createLink`. */
  endpoint?: string;
  /** The underlying error, already scrubbed of secrets. */
  cause?: unknown;
}

/**
 * Brand every instance carries: the names of its classes from its own up to `SecPaidError`.
 * A `Symbol.for` key is the same in the ESM and the CommonJS build, so `instanceof` holds across
 * them (an app that loads both would otherwise have two unrelated `SecPaidError` classes).
 */
const SECPAID_ERROR_BRAND = Symbol.for('nestjs-secpaid:error-classes');

/** The class names of `target` and its ancestors, up to and including `SecPaidError`. */
function classNamesOf(target: abstract new (...args: never[]) => unknown): string[] {
  const names: string[] = [];
  for (let cls: unknown = target; typeof cls === 'function'; cls = Object.getPrototypeOf(cls)) {
    names.push(cls.name);
    if (cls === SecPaidError) break;
  }
  return names;
}

/**
 * Base class of every error thrown by `nestjs-secpaid`.
 *
 * No instance ever carries the API key: messages are built from our own text and scrubbed,
 * and `cause` is a sanitised copy of the transport error (never axios' request config).
 *
 * `error instanceof SecPaidXxxError` holds whichever build of the package (ESM or CommonJS)
 * created the error: instances carry a brand with their class names, checked by
 * `Symbol.hasInstance`.
 * @publicApi
 */
export class SecPaidError extends Error {
  /** The SecPaid endpoint involved, when there is one. */
  readonly endpoint?: string;

  constructor(message: string, options: SecPaidErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // `new.target.name` keeps the subclass name without repeating it in every file.
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false });
    Object.defineProperty(this, SECPAID_ERROR_BRAND, {
      value: Object.freeze(classNamesOf(new.target)),
      enumerable: false,
    });
    if (options.endpoint !== undefined) this.endpoint = options.endpoint;
  }

  /**
   * `instanceof` by prototype chain first, then by brand: an error of the other build counts
   * when its class chain has a class of this name that is (or extends) a `SecPaidError`.
   */
  static override [Symbol.hasInstance](instance: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, instance)) return true;
    if (typeof instance !== 'object' || instance === null) return false;
    const brand: unknown = (instance as Record<symbol, unknown>)[SECPAID_ERROR_BRAND];
    return Array.isArray(brand) && brand.includes(this.name);
  }

  /** A plain, secret-free view for `JSON.stringify` and structured loggers. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as object) };
  }
}
