import { inspect } from 'node:util';
import { hashSecretText as hashApiKey } from '../core/secret.value.js';
import { SecPaidConfigurationError } from '../core/secpaid.errors.js';
import { API_KEY_RULE, isValidApiKey } from '../validation/identifier.rules.js';

/**
 * A function that returns the API key, or a promise of it: a secret manager, a mounted secret
 * file, `ConfigService`. The module reads it at start-up, every `apiKeyRefreshMs`, and at once
 * when SecPaid refuses the key.
 * @publicApi
 */
export type SecPaidApiKeyProvider = () => string | PromiseLike<string>;

/** Why the key was read again: the refresh period elapsed, or SecPaid refused the key. */
export type SecPaidApiKeyReadReason = 'refresh' | 'refused';

/** What a key change reports: hash prefixes only, never a key. */
export interface SecPaidApiKeyChange {
  /** First characters of the SHA-256 (hex) of the key used until now. */
  previousKeyHash: string;
  /** First characters of the SHA-256 (hex) of the key used from now on. */
  keyHash: string;
  reason: SecPaidApiKeyReadReason;
}

/** The part of a Nest `Logger` the holder writes to. */
export interface SecPaidApiKeyLogger {
  log(message: string): void;
  warn(message: string): void;
}

/** Settings of {@link SecPaidApiKeyHolder}. */
export interface SecPaidApiKeyHolderOptions {
  /** How often the provider is read again, in ms; 0: only when SecPaid refuses the key. */
  refreshMs: number;
  /** Upper bound of one provider read, in ms: a provider that hangs keeps the last key. */
  readTimeoutMs: number;
  /**
   * Least time between two reads caused by refusals, in ms (default 5000): a wrong key must
   * not turn every refused call into a provider call.
   */
  minRefusedReadIntervalMs?: number;
  logger: SecPaidApiKeyLogger;
  /** Names the key in log lines (default `SecPaid API key`), e.g. with the instance name. */
  label?: string;
  /** Called once per change, after the new key is in use (the module logs and publishes it). */
  onChange?: (change: SecPaidApiKeyChange) => void;
  now?: () => number;
}

/** Default least time between two refusal-triggered reads. */
export const SECPAID_API_KEY_MIN_REFUSED_READ_MS = 5_000;

/** How many hex characters of a key hash a log line or a diagnostics message shows. */
const SHOWN_HASH_CHARS = 8;

/** How many earlier keys are remembered, only to scrub them from late answers' messages. */
const EARLIER_KEYS_KEPT = 3;

/** A fixed key is never read, so it logs nothing and has no timer. */
const FIXED_KEY_OPTIONS: SecPaidApiKeyHolderOptions = {
  refreshMs: 0,
  readTimeoutMs: 0,
  logger: { log: () => undefined, warn: () => undefined },
};

/** How late a timer may fire before the event loop counts as blocked rather than busy. */
const LATE_TIMER_MS = 100;

/** Why a read produced no key; the message never holds the provider's text or a value. */
class KeyReadFailure extends Error {}

/**
 * The one keeper of an instance's API key. With a string it holds that key for ever. With a
 * {@link SecPaidApiKeyProvider} it reads the key at start-up ({@link SecPaidApiKeyHolder.start}
 * fails with a `SecPaidConfigurationError` when it cannot), again every `refreshMs`, and at once
 * when a call reports a refusal ({@link refused}): one read at a time (concurrent refusals share
 * it), at most one refusal read per `minRefusedReadIntervalMs`. A read that throws, hangs past
 * `readTimeoutMs` or returns something that is not a valid key is logged (error name only: a
 * provider's message may quote the key) and the last good key stays in use.
 *
 * The key lives in private fields only: it is not enumerable, and `util.inspect` and
 * `JSON.stringify` show `[REDACTED]`.
 */
export class SecPaidApiKeyHolder {
  #key: string;
  #keyHash: string;
  /** Earlier keys, newest first; answers to requests sent with them may still arrive. */
  #earlierKeys: string[] = [];
  readonly #provider: SecPaidApiKeyProvider | undefined;
  readonly #options: SecPaidApiKeyHolderOptions;
  #reading: Promise<boolean> | undefined;
  /** The read a refusal started, while it runs: requests wait for it rather than be refused too. */
  #refusedRead: Promise<boolean> | undefined;
  #lastRefusedReadAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  private constructor(
    key: string,
    provider: SecPaidApiKeyProvider | undefined,
    options: SecPaidApiKeyHolderOptions,
  ) {
    this.#key = key;
    this.#keyHash = hashApiKey(key);
    this.#provider = provider;
    this.#options = options;
    this.#schedule();
  }

  /**
   * A holder for `source`: a validated key as is, or the first key a provider returns.
   * Rejects with a `SecPaidConfigurationError` naming `apiKey` when the provider throws, hangs
   * or returns an invalid key: the application must not start without one.
   */
  static async start(
    source: string | SecPaidApiKeyProvider,
    options: SecPaidApiKeyHolderOptions,
  ): Promise<SecPaidApiKeyHolder> {
    if (typeof source !== 'function') return SecPaidApiKeyHolder.fixed(source, options);
    try {
      const key = await readKey(source, options.readTimeoutMs);
      return new SecPaidApiKeyHolder(key, source, options);
    } catch (error) {
      throw startFailure(`could not be read from its provider: ${failureText(error)}`);
    }
  }

  /** A holder of one key that never changes; throws the API-key rule's error for an invalid one. */
  static fixed(
    key: string,
    options: SecPaidApiKeyHolderOptions = FIXED_KEY_OPTIONS,
  ): SecPaidApiKeyHolder {
    if (!isValidApiKey(key)) throw startFailure(API_KEY_RULE);
    return new SecPaidApiKeyHolder(key, undefined, options);
  }

  /** The key to send now. */
  current(): string {
    return this.#key;
  }

  /** SHA-256 (hex) of the current key: budgets and Redis names follow it, never the key. */
  get keyHash(): string {
    return this.#keyHash;
  }

  /** True when the key comes from a provider (it may change). */
  get rotates(): boolean {
    return this.#provider !== undefined;
  }

  /** The current key and the few before it: what error messages are scrubbed of. */
  knownKeys(): readonly string[] {
    return [this.#key, ...this.#earlierKeys];
  }

  /**
   * SecPaid refused `sentKey`. Resolves to true when a different key is now current (it already
   * was, or a read right now returned one), so the caller may send again with it. Reads the
   * provider at most once per `minRefusedReadIntervalMs`; concurrent refusals share one read.
   * Never rejects.
   */
  async refused(sentKey: string): Promise<boolean> {
    if (this.#provider === undefined || this.#closed) return false;
    if (sentKey !== this.#key) return true;
    const now = (this.#options.now ?? Date.now)();
    const minInterval =
      this.#options.minRefusedReadIntervalMs ?? SECPAID_API_KEY_MIN_REFUSED_READ_MS;
    if (this.#reading === undefined && now - this.#lastRefusedReadAt < minInterval) return false;
    if (this.#reading === undefined) this.#lastRefusedReadAt = now;
    const reading = this.read('refused');
    if (this.#refusedRead === undefined) {
      this.#refusedRead = reading;
      void reading.finally(() => {
        if (this.#refusedRead === reading) this.#refusedRead = undefined;
      });
    }
    await reading;
    return sentKey !== this.#key;
  }

  /**
   * The provider read a refusal started, while it runs (else undefined): a request about to
   * leave waits for it, since the key it would carry was just refused. Never rejects; bounded
   * by `readTimeoutMs`.
   */
  refusalRead(): Promise<unknown> | undefined {
    return this.#refusedRead;
  }

  /**
   * Reads the provider now (or joins the read in flight). Resolves to true when the key
   * changed; never rejects: failures are logged and the last good key stays.
   */
  read(reason: SecPaidApiKeyReadReason = 'refresh'): Promise<boolean> {
    if (this.#provider === undefined || this.#closed) return Promise.resolve(false);
    this.#reading ??= this.#readOnce(this.#provider, reason).finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  /** Stops the refresh timer; later reads do nothing. Idempotent. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  get #label(): string {
    return this.#options.label ?? 'SecPaid API key';
  }

  /** Nest's destroy hook (the holder is a provider). */
  onModuleDestroy(): void {
    this.close();
  }

  toJSON(): string {
    return '[SecPaidApiKeyHolder: REDACTED]';
  }

  [inspect.custom](): string {
    return this.toJSON();
  }

  async #readOnce(
    provider: SecPaidApiKeyProvider,
    reason: SecPaidApiKeyReadReason,
  ): Promise<boolean> {
    const { logger } = this.#options;
    let key: string;
    try {
      key = await readKey(provider, this.#options.readTimeoutMs);
    } catch (error) {
      logger.warn(
        `${this.#label} provider ${failureText(error)}; still using the key with hash ` +
          `${shown(this.#keyHash)}`,
      );
      return false;
    } finally {
      this.#schedule();
    }
    if (this.#closed || key === this.#key) return false;
    const previousKeyHash = this.#keyHash;
    this.#earlierKeys = [this.#key, ...this.#earlierKeys.filter((k) => k !== key)].slice(
      0,
      EARLIER_KEYS_KEPT,
    );
    this.#key = key;
    this.#keyHash = hashApiKey(key);
    const change: SecPaidApiKeyChange = {
      previousKeyHash: shown(previousKeyHash),
      keyHash: shown(this.#keyHash),
      reason,
    };
    logger.log(
      `${this.#label} changed (${reason === 'refused' ? 'after SecPaid refused the key' : 'refresh'}): ` +
        `key hash ${change.previousKeyHash} -> ${change.keyHash}`,
    );
    this.#options.onChange?.(change);
    return true;
  }

  /** (Re)arms the refresh timer; it never keeps the process alive. */
  #schedule(): void {
    if (this.#provider === undefined || this.#closed || this.#options.refreshMs <= 0) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.read('refresh');
    }, this.#options.refreshMs);
    this.#timer.unref?.();
  }
}

/** One provider call, bounded by `timeoutMs`, checked with the module's API-key rule. */
async function readKey(provider: SecPaidApiKeyProvider, timeoutMs: number): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // A timer that fires late means the event loop was blocked (an app's start-up compiles and
    // wires everything synchronously): the provider could not run either, so it gets a few
    // more turns of the loop before it counts as hung.
    const arm = (delayMs: number): void => {
      const due = Date.now() + delayMs;
      timer = setTimeout(() => {
        if (Date.now() - due > LATE_TIMER_MS) arm(LATE_TIMER_MS);
        else reject(new KeyReadFailure(`did not answer within ${timeoutMs} ms`));
      }, delayMs);
    };
    arm(timeoutMs);
  });
  try {
    const value: unknown = await Promise.race([Promise.resolve().then(provider), timeout]);
    if (!isValidApiKey(value)) {
      throw new KeyReadFailure(`returned a value that is not a valid API key (it ${API_KEY_RULE})`);
    }
    return value;
  } finally {
    clearTimeout(timer);
  }
}

/** What a failed read is logged as: our own reason, or the thrown error's class name only. */
function failureText(error: unknown): string {
  if (error instanceof KeyReadFailure) return error.message;
  const name = error instanceof Error ? error.name : typeof error;
  return `threw (${name})`;
}

function startFailure(message: string): SecPaidConfigurationError {
  return new SecPaidConfigurationError([{ field: 'apiKey', message }]);
}

function shown(hash: string): string {
  return hash.slice(0, SHOWN_HASH_CHARS);
}
