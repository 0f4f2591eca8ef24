import { randomBytes } from 'node:crypto';
import type { OnModuleDestroy } from '@nestjs/common';
import type { GenericAbortSignal } from 'axios';
import { SecPaidRateLimitError } from '../../core/secpaid.errors.js';
import { abortError, shutdownError } from '../../core/abort.util.js';
import { SecPaidSecret } from '../../core/secret.value.js';
import type { SecPaidApiKeyHolder } from '../../options/api-key.holder.js';
import type { ResolvedSecPaidOptions } from '../../options/secpaid-options.js';
import { fallbackBudget } from '../../options/secpaid-redis.options.js';
import type { SecPaidRedisCoordinator } from '../../redis/secpaid-redis.coordinator.js';
import {
  type BudgetLedger,
  type BudgetSettings,
  type LedgerReply,
  LANE_CODES,
  LocalBudgetLedger,
  type SecPaidBudgetLane,
} from './budget.ledger.js';
import { RedisBudgetLedger } from './redis-budget.ledger.js';

/**
 * The budget of a registration (`null` with `rateLimit: false`): in process, or with `redis`
 * shared by every replica of each key. Per-call keys get the module key's figures (SecPaid's
 * limit is the same per key).
 */
export function createSecPaidBudget(
  options: ResolvedSecPaidOptions,
  redis: SecPaidRedisCoordinator | null,
  windowMs: number,
  keys: SecPaidModuleKey,
): SecPaidBudget | null {
  const { rateLimit, webhooks } = options;
  if (rateLimit === false) return null;
  const limit = rateLimit.requestsPerMinute;
  const settings: BudgetSettings = {
    limit,
    windowMs,
    maxQueue: rateLimit.maxQueue,
    confirmationLimit: webhooks === false ? limit : Math.min(limit, webhooks.confirmCallsPerMinute),
  };
  const redisOptions = options.redis;
  const ledgerFor =
    redis === null || redisOptions === false
      ? () => new LocalBudgetLedger(settings)
      : (apiKey: SecPaidSecret, replica: string) =>
          new RedisBudgetLedger(redis, {
            apiKey,
            replica,
            settings,
            fallbackLimit: fallbackBudget(redisOptions, limit),
          });
  return new SecPaidBudget(
    keys,
    ledgerFor,
    rateLimit.maxWaitMs === undefined ? {} : { maxWaitMs: rateLimit.maxWaitMs },
  );
}

/** How many per-call keys keep a budget of their own before the least recently used is dropped. */
export const SECPAID_MAX_KEY_BUDGETS = 256;

/** The module's key as the budget reads it per call (the instance's key holder: it may rotate). */
export type SecPaidModuleKey = Pick<SecPaidApiKeyHolder, 'current' | 'keyHash'>;

/** What a caller asks the budget for. */
export interface SecPaidBudgetRequest {
  /** Default `interactive`. */
  lane?: SecPaidBudgetLane;
  /** Aborting leaves the line at once; the call is never sent afterwards. */
  signal?: GenericAbortSignal;
  /** Longest acceptable wait in ms (default: the module's `rateLimit.maxWaitMs`, else none). */
  maxWaitMs?: number;
  /** Per-call key; default the module's. Only its hash is kept. */
  apiKey?: string | SecPaidSecret;
  /** For error messages. */
  endpoint?: string;
}

interface Waiter {
  resolve: (waitedMs: number) => void;
  reject: (error: unknown) => void;
  endpoint: string;
  enteredAt: number;
  /** Not granted by its first reply: it waited in line. */
  queued: boolean;
  /** Removes the abort listener and the bound's timer. */
  detach: () => void;
}

/**
 * The one gate between this package and SecPaid: one budget per API key, shared by every
 * caller (service methods, raw `@InjectSecPaidHttpService()` calls, webhook confirmations and
 * re-checks, reconciliation, readiness checks, paginators) and, with Redis, by every replica.
 * `acquire` resolves when the call may be sent (to how long it waited in line, in ms; 0 when it
 * was let through at once) and rejects with:
 * - `SecPaidRateLimitError` (`clientSide: true`, nothing sent, `retryAfterMs` = the expected
 *   wait): at once when `rateLimit.maxQueue` calls already wait for the key, or when the expected
 *   wait is longer than the call's `maxWaitMs`; later when `maxWaitMs` passes before its turn;
 * - `SecPaidConnectionError` (`ABORT_ERR`): its signal aborted, or the module is closing.
 * The order of service is the ledger's (lanes, arrival); see budget.ledger.ts.
 */
export class SecPaidBudget implements OnModuleDestroy {
  /** The budget of the module's key, and the key hash it was made for. */
  private moduleKeyHash: string;
  private moduleBudget: KeyBudget;
  /** Per-call key budgets, least recently used first. */
  private readonly byKeyHash = new Map<string, KeyBudget>();
  /** Budgets replaced (a rotated module key, an evicted per-call key) that may still hold callers. */
  private readonly retired = new Set<KeyBudget>();
  private closed = false;

  constructor(
    /** Read per call: after a rotation new calls use the new key's budget (shared by its hash). */
    private readonly moduleKey: SecPaidModuleKey | string,
    /** The ledger of one key; `replica` names this process in a shared one. */
    private readonly ledgerFor: (apiKey: SecPaidSecret, replica: string) => BudgetLedger,
    private readonly defaults: { maxWaitMs?: number } = {},
    /** This process's id in shared queues. */
    readonly replica: string = randomBytes(6).toString('hex'),
    private readonly maxKeyBudgets = SECPAID_MAX_KEY_BUDGETS,
  ) {
    this.moduleKeyHash = this.currentKeyHash();
    this.moduleBudget = new KeyBudget(ledgerFor(this.currentKey(), replica), replica);
  }

  /** Resolves when the call may be sent; see the class comment for the refusals. */
  acquire(request: SecPaidBudgetRequest = {}): Promise<number> {
    const endpoint = request.endpoint ?? 'unknown';
    if (this.closed) return Promise.reject(shutdownError(endpoint));
    return this.budgetOf(request.apiKey).acquire(
      request.lane ?? 'interactive',
      endpoint,
      request.signal,
      request.maxWaitMs ?? this.defaults.maxWaitMs,
    );
  }

  /** Starts nothing for `apiKey` during `ms` (a 429's `Retry-After`; shared with Redis). */
  pause(ms: number, apiKey?: string | SecPaidSecret): Promise<void> {
    if (this.closed || !(ms > 0)) return Promise.resolve();
    return this.budgetOf(apiKey)
      .ledger.pause(ms)
      .catch(() => undefined);
  }

  /** Calls waiting for the module's key in this process. */
  get waiting(): number {
    return this.moduleBudget.waiting;
  }

  /** Rejects every waiting call with `ABORT_ERR`, stops the timers; later calls are refused. */
  close(): void {
    this.closed = true;
    this.moduleBudget.close();
    for (const budget of [...this.byKeyHash.values(), ...this.retired]) budget.close();
    this.byKeyHash.clear();
    this.retired.clear();
  }

  onModuleDestroy(): void {
    this.close();
  }

  private currentKey(): SecPaidSecret {
    return SecPaidSecret.of(
      typeof this.moduleKey === 'string' ? this.moduleKey : this.moduleKey.current(),
    );
  }

  private currentKeyHash(): string {
    return typeof this.moduleKey === 'string'
      ? SecPaidSecret.of(this.moduleKey).hash
      : this.moduleKey.keyHash;
  }

  /** The module key's budget: after a rotation a new one; the old one serves its waiters. */
  private moduleBudgetNow(): KeyBudget {
    const keyHash = this.currentKeyHash();
    if (keyHash !== this.moduleKeyHash) {
      this.moduleBudget.retireWhenIdle();
      this.retired.add(this.moduleBudget);
      this.moduleKeyHash = keyHash;
      this.moduleBudget = new KeyBudget(
        this.ledgerFor(this.currentKey(), this.replica),
        this.replica,
      );
    }
    return this.moduleBudget;
  }

  private budgetOf(apiKey: string | SecPaidSecret | undefined): KeyBudget {
    if (apiKey === undefined) return this.moduleBudgetNow();
    const secret = SecPaidSecret.of(apiKey);
    const keyHash = secret.hash;
    if (keyHash === this.currentKeyHash()) return this.moduleBudgetNow();
    let budget = this.byKeyHash.get(keyHash);
    if (budget === undefined)
      budget = new KeyBudget(this.ledgerFor(secret, this.replica), this.replica);
    else this.byKeyHash.delete(keyHash);
    this.byKeyHash.set(keyHash, budget);
    if (this.byKeyHash.size > this.maxKeyBudgets) {
      const [oldestHash, oldest] = this.byKeyHash.entries().next().value!;
      this.byKeyHash.delete(oldestHash);
      oldest.retireWhenIdle();
      if (oldest.waiting > 0) this.retired.add(oldest);
    }
    return budget;
  }
}

/**
 * One key's callers in this process: their promises, signals and bounds, and one timer that
 * pumps the ledger when a slot may be free. The ledger decides who goes; this only tells them.
 */
class KeyBudget {
  private readonly waiters = new Map<string, Waiter>();
  private sequence = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private pumping = false;
  private pumpAgain = false;
  private closed = false;
  private retired = false;

  constructor(
    readonly ledger: BudgetLedger,
    private readonly replica: string,
  ) {}

  get waiting(): number {
    return this.waiters.size;
  }

  acquire(
    lane: SecPaidBudgetLane,
    endpoint: string,
    signal: GenericAbortSignal | undefined,
    maxWaitMs: number | undefined,
  ): Promise<number> {
    if (this.closed) return Promise.reject(shutdownError(endpoint));
    if (signal?.aborted) return Promise.reject(abortError(endpoint, signal));
    const member = `${this.replica}|${LANE_CODES[lane]}|${++this.sequence}`;
    return new Promise<number>((resolve, reject) => {
      let boundTimer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = (): void => this.giveUp(member, abortError(endpoint, signal));
      const waiter: Waiter = {
        resolve,
        reject,
        endpoint,
        enteredAt: performance.now(),
        queued: false,
        detach: () => {
          if (boundTimer !== undefined) clearTimeout(boundTimer);
          signal?.removeEventListener?.('abort', onAbort);
        },
      };
      this.waiters.set(member, waiter);
      signal?.addEventListener?.('abort', onAbort, { once: true });
      this.ledger.enter({ member, lane, ...(maxWaitMs === undefined ? {} : { maxWaitMs }) }).then(
        (reply) => {
          if (
            maxWaitMs !== undefined &&
            this.waiters.has(member) &&
            !reply.granted.includes(member)
          ) {
            // Its expected wait fitted, but calls of a higher lane may still come first.
            const left = maxWaitMs - (performance.now() - waiter.enteredAt);
            boundTimer = setTimeout(
              () => this.giveUp(member, waitTooLongError(endpoint, maxWaitMs, maxWaitMs)),
              Math.max(0, left),
            );
          }
          waiter.queued = !reply.granted.includes(member);
          if (reply.refused !== undefined) {
            const { reason, expectedWaitMs } = reply.refused;
            this.settle(
              member,
              reason === 'full'
                ? queueFullError(endpoint, expectedWaitMs)
                : waitTooLongError(endpoint, maxWaitMs ?? 0, expectedWaitMs),
            );
          }
          this.apply(reply);
        },
        (error: unknown) => {
          this.settle(member, error);
          this.schedule(0);
        },
      );
    });
  }

  close(): void {
    this.closed = true;
    this.clearTimer();
    for (const [member, waiter] of [...this.waiters]) {
      this.settle(member, shutdownError(waiter.endpoint));
      this.ledger.leave(member).catch(() => undefined);
    }
  }

  /** Dropped from the per-call key cache: stop pumping once nobody waits here. */
  retireWhenIdle(): void {
    this.retired = true;
    if (this.waiters.size === 0) this.clearTimer();
  }

  /** The caller gave up: reject it now, and take it out of line (best effort). */
  private giveUp(member: string, error: unknown): void {
    if (!this.waiters.has(member)) return;
    this.settle(member, error);
    this.ledger.leave(member).catch(() => undefined);
  }

  /** Rejects `member` (no-op when it is already settled). */
  private settle(member: string, error: unknown): void {
    const waiter = this.waiters.get(member);
    if (waiter === undefined) return;
    this.waiters.delete(member);
    waiter.detach();
    waiter.reject(error);
  }

  private apply(reply: LedgerReply): void {
    for (const member of reply.granted) {
      const waiter = this.waiters.get(member);
      if (waiter === undefined) continue; // gave up meanwhile: never sent late
      this.waiters.delete(member);
      waiter.detach();
      waiter.resolve(waiter.queued ? Math.max(1, performance.now() - waiter.enteredAt) : 0);
    }
    this.schedule(reply.nextPumpMs);
  }

  /** Pumps after `ms` (keeping an earlier pump); nothing when `ms` is undefined and none waits. */
  private schedule(ms: number | undefined): void {
    if (this.closed || (this.retired && this.waiters.size === 0)) return this.clearTimer();
    if (ms === undefined) {
      if (this.waiters.size === 0) return this.clearTimer();
      // The ledger knows of nothing to wait for, yet callers wait here: look again in a second
      // rather than leave them (a safety net; the ledgers give a hint whenever they hold one).
      ms = 1_000;
    }
    const at = Date.now() + ms;
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      void this.pump();
    }, ms);
    // Waiting calls keep the process alive; a heartbeat alone does not.
    if (this.waiters.size === 0) this.timer.unref?.();
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        let reply: LedgerReply;
        try {
          reply = await this.ledger.pump();
        } catch (error) {
          // Not a Redis fault (the ledger falls back on those): a defect; fail the waiters.
          for (const member of [...this.waiters.keys()]) this.settle(member, error);
          return;
        }
        this.apply(reply);
      } while (this.pumpAgain && !this.closed);
    } finally {
      this.pumping = false;
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}

/** `rateLimit.maxQueue` calls already wait for this key: nothing was sent, not retried. */
function queueFullError(endpoint: string, expectedWaitMs: number): SecPaidRateLimitError {
  return new SecPaidRateLimitError(
    { endpoint, httpStatus: 429, clientSide: true, ...retryHint(expectedWaitMs) },
    `SecPaid ${endpoint} was not sent: rateLimit.maxQueue calls already wait for this API key's budget`,
  );
}

/** The expected (or actual) wait exceeds the call's `maxWaitMs`: nothing was sent. */
function waitTooLongError(
  endpoint: string,
  maxWaitMs: number,
  expectedWaitMs: number,
): SecPaidRateLimitError {
  const turn = Number.isFinite(expectedWaitMs)
    ? `is about ${Math.ceil(expectedWaitMs)} ms away, longer than`
    : 'cannot come before the shared budget is reachable again, so not within';
  return new SecPaidRateLimitError(
    { endpoint, httpStatus: 429, clientSide: true, ...retryHint(expectedWaitMs) },
    `SecPaid ${endpoint} was not sent: its turn in the API key's budget ${turn} its maxWaitMs ` +
      `of ${maxWaitMs} ms`,
  );
}

/** `retryAfterMs` from an expected wait; none when no turn is in sight (an outage, share 0). */
function retryHint(expectedWaitMs: number): { retryAfterMs?: number } {
  return Number.isFinite(expectedWaitMs) ? { retryAfterMs: Math.ceil(expectedWaitMs) } : {};
}
