/**
 * Which lane a call waits in when the key's budget is spent (docs/replicas.md "Lanes"):
 * `interactive` (the default: checkout, a user waiting), `confirmation` (webhook lookups,
 * capped by `webhooks.confirmCallsPerMinute` for every replica together) and `background`
 * (pending re-checks, paginators, an app's own batch jobs).
 * @publicApi
 */
export type SecPaidBudgetLane = 'interactive' | 'confirmation' | 'background';

/** Every lane, for validation. */
export const SECPAID_BUDGET_LANES: readonly SecPaidBudgetLane[] = [
  'interactive',
  'confirmation',
  'background',
];

/** One character per lane inside a queue member (`<replica>|<lane>|<sequence>`). */
export const LANE_CODES: Readonly<Record<SecPaidBudgetLane, string>> = {
  interactive: 'i',
  confirmation: 'c',
  background: 'b',
};

/**
 * How much later than its arrival a lane's call is ordered, as a share of the window: an
 * interactive call goes before a confirmation that came up to a sixth of a window (10 s)
 * earlier and before a background call that came up to a whole window (61 s) earlier. So
 * interactive calls go first while demand exceeds the budget, and no lane waits for ever: a
 * background call that has waited a window goes before interactive calls arriving after it.
 */
export function laneDelayMs(lane: SecPaidBudgetLane, windowMs: number): number {
  if (lane === 'interactive') return 0;
  return lane === 'confirmation' ? Math.round(windowMs / 6) : windowMs;
}

/** The figures of one key's budget (the same for the local and the Redis ledger). */
export interface BudgetSettings {
  /** Requests allowed to start in any window (`rateLimit.requestsPerMinute`). */
  limit: number;
  /** The window in ms: SecPaid's minute plus a margin for transit time (61000). */
  windowMs: number;
  /** Confirmation-lane requests allowed in any window (`webhooks.confirmCallsPerMinute`). */
  confirmationLimit: number;
  /** Most calls that may wait for a slot, counted per key (across replicas with Redis). */
  maxQueue: number;
}

/** A call asking for a slot. */
export interface BudgetEntry {
  /** Unique id: `<replica>|<lane code>|<sequence>`. */
  member: string;
  lane: SecPaidBudgetLane;
  /** Refuse at once when the expected wait is longer (ms); none: wait as long as it takes. */
  maxWaitMs?: number;
}

/** What a ledger says after entering or pumping. */
export interface LedgerReply {
  /** Members of this process that may start now. */
  granted: string[];
  /** When to pump again (ms), or undefined when nothing of this process waits for anything. */
  nextPumpMs: number | undefined;
}

/** The answer to `enter`. */
export interface LedgerEntryReply extends LedgerReply {
  /** Set when the entry was refused (it is not queued): the queue is full or the wait too long. */
  refused?: { reason: 'full' | 'wait'; expectedWaitMs: number };
}

/**
 * The state of one key's budget: who waits (ordered by arrival plus lane delay) and when the
 * last requests started (an exact sliding window). `LocalBudgetLedger` keeps it in this
 * process, `RedisBudgetLedger` in Redis for every replica (one Lua script); the budget in front
 * of either (secpaid-budget.ts) is the same code.
 */
export interface BudgetLedger {
  /**
   * Queues `entry` and grants what may start now (in order: the entry itself only when nobody
   * ordered before it waits). Refuses it when it would wait and `maxQueue` calls already wait,
   * or when its expected wait is longer than its `maxWaitMs`.
   */
  enter(entry: BudgetEntry): Promise<LedgerEntryReply>;
  /** Grants what may start now; call it again after `nextPumpMs`. */
  pump(): Promise<LedgerReply>;
  /** Removes a waiting member (aborted, bound reached); no-op when it is gone. */
  leave(member: string): Promise<void>;
  /** Starts nothing for `ms` (a 429's `Retry-After`); only ever extends a pause. */
  pause(ms: number): Promise<void>;
}

/**
 * When the `position`-th caller in line (0 = next) may start, given the start times in the
 * window (ascending) and the rule "at most `limit` starts in any `windowMs`": the i-th future
 * start waits for the (i - free)-th oldest start before it (past or future) to leave the window.
 * The Lua script computes the same (budget.script.ts).
 */
export function expectedStartAt(
  startsAscending: readonly number[],
  limit: number,
  windowMs: number,
  now: number,
  position: number,
): number {
  const free = limit - startsAscending.length;
  if (position < free) return now;
  const future: number[] = [];
  for (let i = 0; i <= position; i++) {
    const j = i - free;
    const before =
      j < 0 ? now - windowMs : (startsAscending[j] ?? future[j - startsAscending.length]!);
    future.push(Math.max(now, before + windowMs));
  }
  return future[position]!;
}

interface QueuedEntry {
  member: string;
  lane: SecPaidBudgetLane;
  /** Arrival plus lane delay: the order of service. */
  score: number;
}

/** A limit that may change with time (the outage share of the Redis ledger's fallback). */
export type LimitAt = (now: number) => number;

/**
 * The in-process ledger: the budget of a module without Redis, and each replica's fallback
 * while Redis is unavailable (then `limitAt` is its share, see redis-budget.ledger.ts).
 * Memory follows the traffic: starts older than the window are dropped.
 */
export class LocalBudgetLedger implements BudgetLedger {
  private readonly queue: QueuedEntry[] = [];
  private starts: number[] = [];
  private confirmationStarts: number[] = [];
  private pausedUntil = 0;
  private readonly limitAt: LimitAt;
  private readonly confirmationLimitAt: LimitAt;

  constructor(
    private readonly settings: BudgetSettings,
    limits: { limitAt?: LimitAt; confirmationLimitAt?: LimitAt } = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limitAt = limits.limitAt ?? (() => settings.limit);
    this.confirmationLimitAt = limits.confirmationLimitAt ?? (() => settings.confirmationLimit);
  }

  /** Members waiting, in order of service. */
  get waiting(): readonly string[] {
    return this.queue.map((entry) => entry.member);
  }

  /** Start times (local clock) still inside the window, per lane kind: for outage accounting. */
  startsInWindow(): { all: readonly number[]; confirmation: readonly number[] } {
    this.prune(this.now());
    return { all: this.starts, confirmation: this.confirmationStarts };
  }

  enter(entry: BudgetEntry, arrivedAt = this.now()): Promise<LedgerEntryReply> {
    return Promise.resolve(this.enterNow(entry, arrivedAt));
  }

  /** `enter`, synchronously; `arrivedAt` keeps a moved caller's place in line. */
  enterNow(entry: BudgetEntry, arrivedAt = this.now()): LedgerEntryReply {
    const now = this.now();
    const queued: QueuedEntry = {
      member: entry.member,
      lane: entry.lane,
      score: arrivedAt + laneDelayMs(entry.lane, this.settings.windowMs),
    };
    const at = this.insertionIndex(queued.score);
    this.queue.splice(at, 0, queued);
    const reply = this.pumpNow();
    if (reply.granted.includes(entry.member)) return reply;
    if (this.queue.length > this.settings.maxQueue) {
      this.remove(entry.member);
      return {
        ...reply,
        refused: { reason: 'full', expectedWaitMs: this.expectedWait(queued, now) },
      };
    }
    if (entry.maxWaitMs !== undefined) {
      const expectedWaitMs = this.expectedWait(queued, now);
      if (expectedWaitMs > entry.maxWaitMs) {
        this.remove(entry.member);
        return { ...this.pumpNow(), refused: { reason: 'wait', expectedWaitMs } };
      }
    }
    return reply;
  }

  pump(): Promise<LedgerReply> {
    return Promise.resolve(this.pumpNow());
  }

  /** `pump`, synchronously. */
  pumpNow(): LedgerReply {
    const now = this.now();
    this.prune(now);
    let free = now < this.pausedUntil ? 0 : this.limitAt(now) - this.starts.length;
    let confirmationFree = this.confirmationLimitAt(now) - this.confirmationStarts.length;
    const granted: string[] = [];
    for (let i = 0; i < this.queue.length && free > 0;) {
      const entry = this.queue[i]!;
      const confirmation = entry.lane === 'confirmation';
      if (confirmation && confirmationFree <= 0) {
        i++; // its lane's cap holds it; the others pass
        continue;
      }
      this.queue.splice(i, 1);
      granted.push(entry.member);
      this.starts.push(now);
      free--;
      if (confirmation) {
        this.confirmationStarts.push(now);
        confirmationFree--;
      }
    }
    return { granted, nextPumpMs: this.nextPumpMs(now, free) };
  }

  leave(member: string): Promise<void> {
    this.remove(member);
    return Promise.resolve();
  }

  pause(ms: number): Promise<void> {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    return Promise.resolve();
  }

  /** Records starts made elsewhere (a fallback's grants replayed): `at` in this clock. */
  record(at: number, lane: SecPaidBudgetLane): void {
    this.starts.push(at);
    this.starts.sort((a, b) => a - b);
    if (lane === 'confirmation') {
      this.confirmationStarts.push(at);
      this.confirmationStarts.sort((a, b) => a - b);
    }
  }

  /** Empties the queue (its callers moved elsewhere). */
  clearQueue(): void {
    this.queue.length = 0;
  }

  private nextPumpMs(now: number, free: number): number | undefined {
    if (this.queue.length === 0) return undefined;
    const candidates: number[] = [];
    if (now < this.pausedUntil) candidates.push(this.pausedUntil);
    else if (free <= 0) candidates.push(this.freeAgainAt(this.starts, now));
    if (this.queue.some((entry) => entry.lane === 'confirmation')) {
      candidates.push(this.freeAgainAt(this.confirmationStarts, now));
    }
    // A limit that grows with time (the outage share) is looked at again within a second.
    candidates.push(now + Math.min(1_000, this.settings.windowMs / 4));
    return Math.max(1, Math.min(...candidates) - now);
  }

  private freeAgainAt(starts: readonly number[], now: number): number {
    return starts.length === 0 ? now : starts[0]! + this.settings.windowMs;
  }

  private expectedWait(entry: QueuedEntry, now: number): number {
    const ahead = this.queue.filter((other) => other.score < entry.score);
    let at = expectedStartAt(
      this.starts,
      this.limitAt(now),
      this.settings.windowMs,
      now,
      ahead.length,
    );
    if (entry.lane === 'confirmation') {
      const aheadInLane = ahead.filter((other) => other.lane === 'confirmation').length;
      at = Math.max(
        at,
        expectedStartAt(
          this.confirmationStarts,
          this.confirmationLimitAt(now),
          this.settings.windowMs,
          now,
          aheadInLane,
        ),
      );
    }
    return Math.max(at, this.pausedUntil) - now;
  }

  private prune(now: number): void {
    const since = now - this.settings.windowMs;
    this.starts = dropBefore(this.starts, since);
    this.confirmationStarts = dropBefore(this.confirmationStarts, since);
  }

  private insertionIndex(score: number): number {
    let low = 0;
    let high = this.queue.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.queue[middle]!.score <= score) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private remove(member: string): void {
    const index = this.queue.findIndex((entry) => entry.member === member);
    if (index >= 0) this.queue.splice(index, 1);
  }
}

/** `times` (ascending) without those at or before `since`. */
function dropBefore(times: number[], since: number): number[] {
  let first = 0;
  while (first < times.length && times[first]! <= since) first++;
  return first === 0 ? times : times.slice(first);
}
