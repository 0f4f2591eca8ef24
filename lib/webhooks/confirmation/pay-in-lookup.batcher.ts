import { SecPaidNotFoundError } from '../../core/secpaid.errors.js';
import type { PayInTransaction } from '../../models/pay-in-transaction.model.js';
import type { SecPaidPayInLookup } from './payment-confirmation.js';

/** Settings of {@link PayInLookupBatcher}. */
export interface PayInLookupBatcherSettings {
  /** Page size of a shared list call (newest rows first). */
  listLimit: number;
}

/** Rejects what waits in the batcher once the module is being destroyed. */
export class PayInLookupClosedError extends Error {
  constructor() {
    super('SecPaid webhook confirmation stopped: the module is shutting down');
    this.name = 'PayInLookupClosedError';
  }
}

interface Waiter {
  payIds: readonly number[];
  resolve: (rows: readonly PayInTransaction[]) => void;
  reject: (error: unknown) => void;
  detach: () => void;
}

/** A call of its own that spends one unit of the same budget ({@link PayInLookupBatcher.spend}). */
interface Task {
  run: () => Promise<void>;
  reject: (error: unknown) => void;
  detach: () => void;
}

/**
 * Shares `getPayInTransactions` calls between confirmations, whatever the webhook rate.
 * Everyone who wants rows waits for the next call that starts after they asked; that one call
 * serves them all: a lookup by `pay_id` when a single id waits, else one newest-first list page
 * shared by every waiting id. Calls run one at a time, each in the key's budget's
 * `confirmation` lane (lib/http/budget/), capped by `webhooks.confirmCallsPerMinute` for every
 * replica together, so a flood of (forged) webhooks costs the same as a trickle; the rest of the
 * account's 60/min stays with business calls and the readiness probe. The return page's other
 * lookups (`verifyCallback`) go through {@link spend} (in the same lane), taking turns with the
 * shared calls. A shared call all of whose waiters gave up is aborted: never sent late.
 */
export class PayInLookupBatcher {
  private readonly closing = new AbortController();
  private waiting: Waiter[] = [];
  private tasks: Task[] = [];
  /** Whether the last call was a task: shared calls and tasks take turns. */
  private taskLast = false;
  /** Waiters of the call under way; close() does not wait for its answer. */
  private inFlight: Waiter[] = [];
  /** Aborts the shared call under way (all its waiters left). */
  private callAbort: AbortController | undefined;
  private running = false;
  /** Upstream calls started so far (for logs and tests). */
  calls = 0;

  constructor(
    private readonly lookup: SecPaidPayInLookup,
    private readonly settings: PayInLookupBatcherSettings,
  ) {}

  /**
   * Resolves with the rows of the next call that covers `payIds` (callers pick their own rows;
   * "not found" resolves with none). Rejects with the API error of that call, with `signal`'s
   * reason when it aborts first, or with {@link PayInLookupClosedError} on close.
   */
  rowsFor(payIds: readonly number[], signal?: AbortSignal): Promise<readonly PayInTransaction[]> {
    if (this.closing.signal.aborted) return Promise.reject(new PayInLookupClosedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting = this.waiting.filter((w) => w !== waiter);
        const before = this.inFlight.length;
        this.inFlight = this.inFlight.filter((w) => w !== waiter);
        if (before > 0 && this.inFlight.length === 0) this.callAbort?.abort();
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        payIds,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      void this.drain();
    });
  }

  /**
   * Runs `work` (one upstream call, made in the `confirmation` lane) in turn with the shared
   * lookups;
   * resolves or rejects with it. Rejects with `signal`'s reason when it aborts before `work`
   * started, or with {@link PayInLookupClosedError} on close.
   */
  spend<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closing.signal.aborted) return Promise.reject(new PayInLookupClosedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        this.tasks = this.tasks.filter((t) => t !== task);
        reject(signal?.reason);
      };
      const task: Task = {
        run: () => work().then(resolve, reject),
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.tasks.push(task);
      void this.drain();
    });
  }

  /** Rejects every waiter and stops; nothing is called after this. */
  close(): void {
    this.closing.abort();
    const waiters = [...this.waiting.splice(0), ...this.inFlight.splice(0)];
    this.settle(waiters, { error: new PayInLookupClosedError() });
    for (const task of this.tasks.splice(0)) {
      task.detach();
      task.reject(new PayInLookupClosedError());
    }
  }

  /** Nest's destroy hook (the batcher is a provider): same as {@link close}. */
  onModuleDestroy(): void {
    this.close();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while ((this.waiting.length > 0 || this.tasks.length > 0) && !this.closing.signal.aborted) {
        const task =
          this.tasks.length > 0 && (this.waiting.length === 0 || !this.taskLast)
            ? this.tasks.shift()
            : undefined;
        this.taskLast = task !== undefined;
        if (task !== undefined) {
          this.calls++;
          task.detach();
          await task.run();
          continue;
        }
        // Whoever waits now is served by this call; later arrivals wait for the next one.
        const batch = this.waiting.splice(0);
        if (batch.length > 0) await this.serve(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async serve(batch: Waiter[]): Promise<void> {
    const ids = new Set(batch.flatMap((waiter) => waiter.payIds));
    const query =
      ids.size === 1
        ? { payId: [...ids][0]!, limit: this.settings.listLimit }
        : { page: 1, limit: this.settings.listLimit };
    this.calls++;
    const callAbort = new AbortController();
    this.callAbort = callAbort;
    this.inFlight = batch;
    try {
      const page = await this.lookup.getPayInTransactions(query, {
        lane: 'confirmation',
        signal: AbortSignal.any([this.closing.signal, callAbort.signal]),
      });
      this.settle(this.inFlight, { rows: page.items });
    } catch (error) {
      if (error instanceof SecPaidNotFoundError) this.settle(this.inFlight, { rows: [] });
      else this.settle(this.inFlight, { error });
    } finally {
      this.inFlight = [];
      this.callAbort = undefined;
    }
  }

  private settle(
    batch: Waiter[],
    outcome: { rows: readonly PayInTransaction[] } | { error: unknown },
  ): void {
    for (const waiter of batch) {
      waiter.detach();
      if ('rows' in outcome) waiter.resolve(outcome.rows);
      else waiter.reject(outcome.error);
    }
  }
}
