/** Context shared by every error this package throws. */
export interface SecPaidErrorOptions {
  /** The SecPaid endpoint the failed call was made to, e.g. `createLink`. */
  endpoint?: string;
  /** The underlying error, already scrubbed of secrets. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by `nestjs-secpaid`.
 *
 * No instance ever carries the API key: messages are built from our own text and scrubbed,
 * and `cause` is a sanitised copy of the transport error (never axios' request config).
 * @publicApi
 */
export class SecPaidError extends Error {
  /** The SecPaid endpoint involved, when there is one. */
  readonly endpoint?: string;

  constructor(message: string, options: SecPaidErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // `new.target.name` keeps the subclass name without repeating it in every file.
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false });
    if (options.endpoint !== undefined) this.endpoint = options.endpoint;
  }

  /** A plain, secret-free view for `JSON.stringify` and structured loggers. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as object) };
  }
}
