// Every error this package throws, in one place: the base class and its subclasses, lowest first.
// Public names are re-exported by lib/index.ts; the option shapes stay internal.

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

/** One problem with one field of an input. */
export interface SecPaidValidationIssue {
  /** Path of the field, e.g. `amount` or `recipients[1].share`. */
  field: string;
  /** What is wrong, without the offending value. */
  message: string;
}

/**
 * Bad input, rejected before any request was sent.
 * @publicApi
 */
export class SecPaidValidationError extends SecPaidError {
  /** One entry per problem found. */
  readonly issues: SecPaidValidationIssue[];

  constructor(issues: SecPaidValidationIssue[], endpoint?: string) {
    const where = endpoint ? ` for ${endpoint}` : '';
    super(
      `Invalid SecPaid input${where}: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
      { endpoint },
    );
    this.issues = issues;
  }
}

/**
 * The module options (or `secpaidConfig` environment variables) are invalid. Thrown at
 * bootstrap with one message that names every bad field; values are never echoed.
 * @publicApi
 */
export class SecPaidConfigurationError extends SecPaidError {
  /** One entry per bad option. */
  readonly issues: SecPaidValidationIssue[];

  /** The named instance whose options are bad; `undefined` for the default instance. */
  readonly instance?: string;

  /**
   * @param instance the registration's name, named in the message so that an app with several
   * SecPaid accounts sees which one is misconfigured (omitted for the default instance).
   */
  constructor(issues: SecPaidValidationIssue[], instance?: string) {
    const of = instance === undefined || instance === 'default' ? '' : ` of instance '${instance}'`;
    super(
      `Invalid SecPaid module options${of}: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
    );
    this.issues = issues;
    if (of) this.instance = instance;
  }
}

/** What SecPaid answered when it refused a call. */
export interface SecPaidApiErrorOptions {
  endpoint: string;
  /** HTTP status of the answer (SecPaid also reports errors with 200 and `ResponseCode: 0`). */
  httpStatus: number;
  /** SecPaid's `ResponseMsg`, when the body had one. */
  responseMessage?: string;
  /** The answer's `Retry-After`, in ms, when it had a readable one. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * SecPaid answered `ResponseCode: 0` or a non-2xx status.
 * @publicApi
 */
export class SecPaidApiError extends SecPaidError {
  declare readonly endpoint: string;
  /** HTTP status of the answer. */
  readonly httpStatus: number;
  /** SecPaid's `ResponseMsg`, when the body had one. */
  readonly responseMessage?: string;
  /**
   * How long SecPaid asked us to wait (from `Retry-After`), when it said: on a 429 above all,
   * and on a 503. The retry policy honours it (capped).
   */
  readonly retryAfterMs?: number;

  constructor(options: SecPaidApiErrorOptions, message?: string) {
    super(
      message ??
        `SecPaid ${options.endpoint} failed (HTTP ${options.httpStatus})` +
          (options.responseMessage ? `: ${options.responseMessage}` : ''),
      { endpoint: options.endpoint, cause: options.cause },
    );
    this.httpStatus = options.httpStatus;
    if (options.responseMessage !== undefined) this.responseMessage = options.responseMessage;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The API key is missing, invalid, or belongs to the other environment (SecPaid answers all
 * three the same way).
 * @publicApi
 */
export class SecPaidAuthenticationError extends SecPaidApiError {}

/**
 * The link or payment does not exist or belongs to another account
 * (`Invalid link ID` / `Link not found`).
 * @publicApi
 */
export class SecPaidNotFoundError extends SecPaidApiError {}

/**
 * SecPaid answered 429 Too Many Requests (60 requests per minute per key by default);
 * `retryAfterMs` holds its `Retry-After`, when it sent one. Also raised, with `clientSide: true`
 * and `httpStatus` 429, when the client-side limiter's queue is full (`rateLimit.maxQueue`):
 * then nothing was sent and the call is not retried.
 * @publicApi
 */
export class SecPaidRateLimitError extends SecPaidApiError {
  /** True when the client-side limiter refused the call (queue full); SecPaid never saw it. */
  readonly clientSide?: true;

  constructor(options: SecPaidApiErrorOptions & { clientSide?: boolean }, message?: string) {
    super(options, message);
    if (options.clientSide === true) this.clientSide = true;
  }
}

/**
 * SecPaid (or a gateway in front of it) answered with a 5xx status.
 * @publicApi
 */
export class SecPaidServerError extends SecPaidApiError {}

/**
 * No usable answer arrived: connection refused or reset, DNS failure, TLS failure.
 * @publicApi
 */
export class SecPaidConnectionError extends SecPaidError {
  /** The system error code, e.g. `ECONNREFUSED`, when known. */
  readonly code?: string;
  /**
   * True when the failure happened before the request could reach SecPaid (refused, DNS),
   * so a retry cannot create a duplicate.
   */
  readonly requestMayHaveReachedServer: boolean;

  constructor(
    message: string,
    options: SecPaidErrorOptions & { code?: string; requestMayHaveReachedServer: boolean },
  ) {
    super(message, options);
    if (options.code !== undefined) this.code = options.code;
    this.requestMayHaveReachedServer = options.requestMayHaveReachedServer;
  }
}

/**
 * One attempt took longer than its timeout. The request may have reached SecPaid.
 * @publicApi
 */
export class SecPaidTimeoutError extends SecPaidConnectionError {
  /** The per-attempt timeout that was exceeded. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, options: SecPaidErrorOptions = {}) {
    const where = options.endpoint ? ` ${options.endpoint}` : '';
    super(`SecPaid${where} did not answer within ${timeoutMs} ms`, {
      ...options,
      code: 'ETIMEDOUT',
      requestMayHaveReachedServer: true,
    });
    this.timeoutMs = timeoutMs;
  }
}

/**
 * SecPaid answered something that is not its JSON envelope (HTML, malformed JSON, a body
 * without `ResponseCode`/`Result`, or a record we cannot read).
 * @publicApi
 */
export class SecPaidUnexpectedResponseError extends SecPaidError {
  /** HTTP status of the answer, when there was one. */
  readonly httpStatus?: number;

  constructor(
    message: string,
    options: { endpoint?: string; httpStatus?: number; cause?: unknown },
  ) {
    super(message, options);
    if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
  }
}

/**
 * A webhook body that cannot be accepted. The message is deliberately generic: telling
 * base64, padding and JSON failures apart would hand an attacker a padding oracle.
 * @publicApi
 */
export class SecPaidWebhookError extends SecPaidError {
  constructor(message = 'Invalid SecPaid webhook', options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

/**
 * An error as a log line may show it: its name with its code or HTTP status, never its message,
 * which may quote server text or a secret (internal; every log line of the package uses it).
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return 'failure';
  if (error instanceof SecPaidApiError) return `${error.name} (HTTP ${error.httpStatus})`;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} (${code})` : error.name;
}
