import type { SecPaidBudgetLane } from '../../secpaid.constants.js';

export type { SecPaidBudgetLane };

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

/**
 * Until it is due (its lane delay has passed), a background call leaves the other lanes room:
 * it starts only while more than this many slots of the window are free (a twentieth of the
 * budget, 3 of 60; none below 20), and only at the pace of `lowerLanePacedUntil`. Without them
 * an export takes every slot that frees while no checkout happens to wait, all at once, and the
 * next checkout waits for that burst to leave the window (bench 6 measured p50 30 s); with them
 * the window's starts stay spread, a full window frees a slot about every second, and a
 * checkout finds one within a second or two while the budget is still used in full.
 * (Confirmations have their own cap and a short inline window.)
 */
export function interactiveHeadroom(limit: number): number {
  return Math.floor(limit / 20);
}

/** The even spacing of the budget (window / limit: 1016 ms for 60 in 61 s), see above. */
export function lowerLanePaceMs(settings: Pick<BudgetSettings, 'limit' | 'windowMs'>): number {
  return Math.floor(settings.windowMs / settings.limit);
}

/**
 * When a background call not yet due may start, given the window's starts (ascending, every
 * lane): when the k-th newest start is at least k paces old, for every k. Pacing after the
 * latest start alone is not enough: a burst of checkouts plus a background call a pace after
 * each fills the window in half of it, and the next checkout then waits for that burst to leave
 * (bench 6: 19 s in the first minute, 10 s after it). Held to this staircase, the starts of any
 * stretch of the window are at most one per pace, so the slots free again one per pace too.
 * The Lua script computes the same (budget.script.ts).
 */
export function lowerLanePacedUntil(startsAscending: readonly number[], paceMs: number): number {
  let until = Number.NEGATIVE_INFINITY;
  const newest = startsAscending.length - 1;
  for (let k = 1; k <= startsAscending.length; k++) {
    until = Math.max(until, startsAscending[newest - k + 1]! + k * paceMs);
  }
  return until;
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
  // Nothing starts under a limit of 0 (an outage share that is gone for now).
  if (limit <= 0) return Number.POSITIVE_INFINITY;
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
  /** Left the line (granted, aborted): skipped, and dropped in bulk, so leaving is O(1). */
  gone: boolean;
}

/** A limit that may change with time (the outage share of the Redis ledger's fallback). */
export type LimitAt = (now: number) => number;

/**
 * The in-process ledger: the budget of a module without Redis, and each replica's fallback
 * while Redis is unavailable (then `limitAt` is its share, see redis-budget.ledger.ts).
 * Memory follows the traffic: starts older than the window are dropped, and callers that left
 * the line are marked and dropped in bulk (a mass abort stays linear).
 */
export class LocalBudgetLedger implements BudgetLedger {
  /** In order of service from `head` on; entries that left are marked `gone`. */
  private queue: QueuedEntry[] = [];
  private head = 0;
  private readonly byMember = new Map<string, QueuedEntry>();
  private confirmationsWaiting = 0;
  private starts: number[] = [];
  private confirmationStarts: number[] = [];
  private pausedUntil = 0;
  /** The earliest lower-lane call held by the headroom becomes due then (last pump). */
  private heldUntil = Number.POSITIVE_INFINITY;
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

  /** Number of callers in line. */
  get waiting(): number {
    return this.byMember.size;
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
      gone: false,
    };
    this.queue.splice(this.insertionIndex(queued.score), 0, queued);
    this.byMember.set(queued.member, queued);
    if (queued.lane === 'confirmation') this.confirmationsWaiting++;
    const reply = this.pumpNow();
    if (queued.gone) return reply; // granted
    if (this.byMember.size > this.settings.maxQueue) {
      const expectedWaitMs = this.expectedWait(queued, now);
      this.remove(entry.member);
      return { ...reply, refused: { reason: 'full', expectedWaitMs } };
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
    const headroom = interactiveHeadroom(this.settings.limit);
    const pace = lowerLanePaceMs(this.settings);
    this.heldUntil = Number.POSITIVE_INFINITY;
    /**
     * Computed when a background call first asks; a grant at `now` then moves it to
     * `max(now, pacedUntil) + pace` (every start one place older), so a pump stays linear.
     */
    let pacedUntil: number | undefined;
    for (let i = this.head; i < this.queue.length && free > 0; i++) {
      const entry = this.queue[i]!;
      if (entry.gone) continue;
      const confirmation = entry.lane === 'confirmation';
      if (confirmation && confirmationFree <= 0) continue; // its lane's cap holds it; others pass
      if (entry.lane === 'background' && entry.score > now) {
        // Not due yet: it leaves the headroom to interactive calls and paces itself.
        pacedUntil ??= lowerLanePacedUntil(this.starts, pace);
        if (free <= headroom || now < pacedUntil) {
          const freeAt = free <= headroom ? this.freeAgainAt(this.starts, now) : pacedUntil;
          this.heldUntil = Math.min(this.heldUntil, entry.score, freeAt);
          continue;
        }
      }
      this.remove(entry.member);
      granted.push(entry.member);
      this.starts.push(now);
      if (pacedUntil !== undefined) pacedUntil = Math.max(now, pacedUntil) + pace;
      free--;
      if (confirmation) {
        this.confirmationStarts.push(now);
        confirmationFree--;
      }
    }
    this.compact();
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

  /** Empties the line (its callers moved elsewhere). */
  clearQueue(): void {
    this.queue = [];
    this.head = 0;
    this.byMember.clear();
    this.confirmationsWaiting = 0;
  }

  private nextPumpMs(now: number, free: number): number | undefined {
    if (this.byMember.size === 0) return undefined;
    const candidates: number[] = [];
    // A slot frees when the oldest start leaves the window; with no start in it (an outage
    // share of 0), only the share's growth below can free one, so nothing is polled sooner.
    if (now < this.pausedUntil) candidates.push(this.pausedUntil);
    else if (free <= 0 && this.starts.length > 0) {
      candidates.push(this.freeAgainAt(this.starts, now));
    }
    if (this.confirmationsWaiting > 0 && this.confirmationStarts.length > 0) {
      candidates.push(this.freeAgainAt(this.confirmationStarts, now));
    }
    if (this.heldUntil !== Number.POSITIVE_INFINITY) candidates.push(this.heldUntil);
    // A limit that grows with time (the outage share) is looked at again within a second.
    candidates.push(now + Math.min(1_000, this.settings.windowMs / 4));
    return Math.max(1, Math.min(...candidates) - now);
  }

  private freeAgainAt(starts: readonly number[], now: number): number {
    return starts.length === 0 ? now : starts[0]! + this.settings.windowMs;
  }

  private expectedWait(entry: QueuedEntry, now: number): number {
    let ahead = 0;
    let aheadInLane = 0;
    for (let i = this.head; i < this.queue.length; i++) {
      const other = this.queue[i]!;
      if (other.score >= entry.score) break;
      if (other.gone) continue;
      ahead++;
      if (other.lane === 'confirmation') aheadInLane++;
    }
    let at = this.startAt(this.starts, this.limitAt, now, ahead);
    if (entry.lane === 'confirmation') {
      at = Math.max(
        at,
        this.startAt(this.confirmationStarts, this.confirmationLimitAt, now, aheadInLane),
      );
    }
    return Math.max(at, this.pausedUntil) - now;
  }

  /**
   * {@link expectedStartAt} under a limit that may grow (an outage share): when nothing can
   * start under today's limit, the limit a window later decides, once every start of today's
   * window has left it. Infinite when even that limit is 0: nothing starts until Redis is back.
   */
  private startAt(
    starts: readonly number[],
    limitAt: LimitAt,
    now: number,
    position: number,
  ): number {
    const { windowMs } = this.settings;
    const at = expectedStartAt(starts, limitAt(now), windowMs, now, position);
    if (at !== Number.POSITIVE_INFINITY) return at;
    const later = now + windowMs;
    return expectedStartAt([], limitAt(later), windowMs, later, position);
  }

  private prune(now: number): void {
    const since = now - this.settings.windowMs;
    this.starts = dropBefore(this.starts, since);
    this.confirmationStarts = dropBefore(this.confirmationStarts, since);
  }

  /** First index (from `head`) whose score is above `score`: equal scores keep arrival order. */
  private insertionIndex(score: number): number {
    let low = this.head;
    let high = this.queue.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.queue[middle]!.score <= score) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private remove(member: string): void {
    const entry = this.byMember.get(member);
    if (entry === undefined) return;
    entry.gone = true;
    this.byMember.delete(member);
    if (entry.lane === 'confirmation') this.confirmationsWaiting--;
    if (this.byMember.size === 0) this.clearQueue();
  }

  /** Drops the leading entries that left, and every one that left once they dominate. */
  private compact(): void {
    while (this.head < this.queue.length && this.queue[this.head]!.gone) this.head++;
    const length = this.queue.length - this.head;
    if (length > 1024 && this.byMember.size * 2 < length) {
      this.queue = this.queue.filter((entry) => !entry.gone);
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

/** `times` (ascending) without those at or before `since`. */
function dropBefore(times: number[], since: number): number[] {
  let first = 0;
  while (first < times.length && times[first]! <= since) first++;
  return first === 0 ? times : times.slice(first);
}
