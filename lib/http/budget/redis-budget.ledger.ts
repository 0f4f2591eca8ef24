import type { SecPaidSecret } from '../../core/secret.value.js';
import { RedisKeyspace } from '../../redis/redis-keyspace.js';
import {
  RedisUnavailableError,
  type SecPaidRedisCoordinator,
} from '../../redis/secpaid-redis.coordinator.js';
import {
  type BudgetEntry,
  type BudgetLedger,
  type BudgetSettings,
  type LedgerEntryReply,
  type LedgerReply,
  type LimitAt,
  LocalBudgetLedger,
  type SecPaidBudgetLane,
  interactiveHeadroom,
  laneDelayMs,
  lowerLanePaceMs,
} from './budget.ledger.js';
import { BUDGET_SCRIPT } from './budget.script.js';

/**
 * Budget keys are named by the API key's hash alone, whatever the registration's `keyPrefix`:
 * SecPaid counts per key, so two apps on one key share one budget even with different prefixes.
 * The `{hash}` tag keeps them in the slot of the key's other Redis keys (Redis Cluster).
 */
export const BUDGET_KEY_PREFIX = 'secpaid:budget:';

/** Timing of the Redis ledger, derived from the window (see `redisBudgetTiming`). */
export interface RedisBudgetTiming {
  /** How often a replica with waiting calls or recent starts talks to Redis at least. */
  heartbeatMs: number;
  /** A replica silent this long loses its place in line. */
  leaseMs: number;
  /** After Redis lost its state, nothing is granted this long while replicas re-account. */
  holdMs: number;
}

/** Heartbeat 1 s (a quarter of the window at most), lease 5 heartbeats, hold 3 heartbeats. */
export function redisBudgetTiming(windowMs: number): RedisBudgetTiming {
  const heartbeatMs = Math.max(50, Math.min(1_000, Math.floor(windowMs / 4)));
  return { heartbeatMs, leaseMs: heartbeatMs * 5, holdMs: heartbeatMs * 3 };
}

/** How soon a replica in an outage with calls waiting tries Redis again (a failed try is cheap). */
const OUTAGE_RETRY_MS = 50;

/** Settings of one key's Redis ledger. */
export interface RedisBudgetLedgerOptions {
  /** Only its hash names the keys. */
  apiKey: SecPaidSecret;
  /** This process's id in the queue (one per module registration). */
  replica: string;
  settings: BudgetSettings;
  /** Most requests this replica starts per window while Redis is unavailable. */
  fallbackLimit: number;
  timing?: RedisBudgetTiming;
}

interface Start {
  member: string;
  lane: SecPaidBudgetLane;
  /** Local clock. */
  at: number;
}

interface Waiting {
  lane: SecPaidBudgetLane;
  /** In line (in Redis or the fallback): an account call may put it back after a flush. */
  placed: boolean;
  /** Local clock; keeps the caller's place when it moves between Redis and the fallback. */
  arrivedAt: number;
}

/** What the replica last saw of the shared window (local clock), for an outage's share. */
interface Mirror {
  starts: number[];
  confirmationStarts: number[];
  replicas: number;
}

type ScriptReply = [string, string, number, number, string[], number[], number[], number];

/**
 * The shared ledger of one API key (budget.script.ts), with the rules for Redis faults:
 * - a start is recorded by the script at the moment it is granted, and a grant whose reply
 *   comes later than `redis.commandTimeoutMs` is dropped, never sent late (a wasted slot);
 * - while Redis is unavailable the replica grants from a local fallback, within its share of
 *   what is provably free: starts it last saw in the window leave it, and slots it could not see
 *   count as taken until a whole window after the failure; the share is split between the
 *   replicas Redis last counted and capped by `fallbackLimit`;
 * - back on Redis, or when Redis lost its state (FLUSHALL, a restart), the replica first writes
 *   its starts of the last window and its waiting calls back (`account`), then carries on.
 * Documented bound (docs/replicas.md): any window holds at most `limit` starts, provided the
 * replicas that grant during an outage were counted by Redis before it (or `fallbackLimit` x
 * replicas fits in `limit`).
 */
export class RedisBudgetLedger implements BudgetLedger {
  private readonly keys: string[];
  private readonly timing: RedisBudgetTiming;
  private readonly waiting = new Map<string, Waiting>();
  /** This replica's starts of the last window (Redis and fallback). */
  private recent: Start[] = [];
  private epoch = '';
  private mirror: Mirror = { starts: [], confirmationStarts: [], replicas: 1 };
  /** Set during an outage: the local ledger granting this replica's share. */
  private fallback: LocalBudgetLedger | undefined;
  /** Grants made by an account call, handed out with the next reply. */
  private readonly pendingGrants: string[] = [];

  constructor(
    private readonly redis: SecPaidRedisCoordinator,
    private readonly options: RedisBudgetLedgerOptions,
    private readonly now: () => number = Date.now,
  ) {
    const keyspace = new RedisKeyspace(BUDGET_KEY_PREFIX, options.apiKey);
    this.keys = ['queue', 'starts', 'confirmation-starts', 'pause', 'replicas', 'epoch'].map(
      (name) => keyspace.key(name),
    );
    this.timing = options.timing ?? redisBudgetTiming(options.settings.windowMs);
  }

  /** True while Redis is unavailable and the local fallback grants. */
  get inOutage(): boolean {
    return this.fallback !== undefined;
  }

  async enter(entry: BudgetEntry): Promise<LedgerEntryReply> {
    const waiting: Waiting = { lane: entry.lane, arrivedAt: this.now(), placed: false };
    this.waiting.set(entry.member, waiting);
    if (this.fallback === undefined || (await this.tryRecover())) {
      try {
        const maxWait = entry.maxWaitMs === undefined ? -1 : entry.maxWaitMs;
        const delay = laneDelayMs(entry.lane, this.options.settings.windowMs);
        const reply = await this.run('enter', [entry.member, delay, maxWait]);
        const status = reply[0];
        if (status === 'full' || status === 'wait') this.waiting.delete(entry.member);
        else waiting.placed = true;
        const granted = this.granted(reply[4], reply[2]);
        if (status === 'full' || status === 'wait') {
          return { ...granted, refused: { reason: status, expectedWaitMs: reply[7] } };
        }
        return granted;
      } catch (error) {
        if (!(error instanceof RedisUnavailableError)) throw error;
        this.beginOutage();
      }
    }
    const reply = this.fallback!.enterNow(entry, waiting.arrivedAt);
    if (reply.refused !== undefined) this.waiting.delete(entry.member);
    else waiting.placed = true;
    const granted = this.granted(reply.granted, reply.nextPumpMs);
    return reply.refused === undefined ? granted : { ...granted, refused: reply.refused };
  }

  async pump(): Promise<LedgerReply> {
    if (this.fallback === undefined || (await this.tryRecover())) {
      try {
        const reply = await this.run('pump', []);
        return this.granted(reply[4], reply[2]);
      } catch (error) {
        if (!(error instanceof RedisUnavailableError)) throw error;
        this.beginOutage();
      }
    }
    const reply = this.fallback!.pumpNow();
    return this.granted(reply.granted, reply.nextPumpMs);
  }

  async leave(member: string): Promise<void> {
    if (!this.waiting.delete(member)) return;
    await this.fallback?.leave(member);
    await this.run('leave', [member]).catch(() => undefined); // its lease ends it otherwise
  }

  async pause(ms: number): Promise<void> {
    await this.fallback?.pause(ms);
    await this.run('pause', [Math.max(1, Math.ceil(ms))]).catch(() => undefined);
  }

  /** One script call; a replica that does not know the epoch accounts first (once). */
  private async run(op: string, args: (string | number)[]): Promise<ScriptReply> {
    if (this.epoch === '') await this.account();
    let reply = await this.call(op, args);
    if (reply[0] === 'epoch') {
      await this.account();
      reply = await this.call(op, args);
    }
    return reply;
  }

  /**
   * Writes this replica's recent starts and waiting calls back (idempotent: what Redis still
   * holds keeps its place). It also grants: those members are handed out with the next reply.
   */
  private async account(): Promise<void> {
    const now = this.now();
    this.pruneRecent(now);
    const { windowMs } = this.options.settings;
    const args: (string | number)[] = [this.recent.length];
    for (const start of this.recent) args.push(start.member, now - start.at);
    for (const [member, waiting] of this.waiting) {
      if (!waiting.placed) continue; // its own enter call is on the way
      args.push(member, now - waiting.arrivedAt, laneDelayMs(waiting.lane, windowMs));
    }
    const reply = await this.call('account', args);
    this.pendingGrants.push(...reply[4]);
  }

  private async call(op: string, args: (string | number)[]): Promise<ScriptReply> {
    const { settings } = this.options;
    const raw = (await this.redis.eval(BUDGET_SCRIPT, this.keys, [
      op,
      this.options.replica,
      this.epoch,
      settings.limit,
      settings.windowMs,
      settings.confirmationLimit,
      settings.maxQueue,
      this.timing.leaseMs,
      this.timing.holdMs,
      interactiveHeadroom(settings.limit),
      lowerLanePaceMs(settings),
      ...args,
    ])) as unknown[];
    const receivedAt = this.now();
    const reply: ScriptReply = [
      String(raw[0]),
      String(raw[1]),
      Number(raw[2]),
      Number(raw[3]),
      (raw[4] as unknown[]).map(String),
      (raw[5] as unknown[]).map(Number),
      (raw[6] as unknown[]).map(Number),
      Number(raw[7]),
    ];
    if (reply[0] !== 'epoch') this.epoch = reply[1];
    this.mirror = {
      starts: reply[5].map((age) => receivedAt - age).sort((a, b) => a - b),
      confirmationStarts: reply[6].map((age) => receivedAt - age).sort((a, b) => a - b),
      replicas: Math.max(1, reply[3]),
    };
    return reply;
  }

  /** Back on Redis: account the outage's starts and waiting calls, drop the fallback. */
  private async tryRecover(): Promise<boolean> {
    try {
      await this.account();
    } catch (error) {
      if (!(error instanceof RedisUnavailableError)) throw error;
      return false;
    }
    this.fallback?.clearQueue();
    this.fallback = undefined;
    return true;
  }

  /** Redis stopped answering: grant this replica's share locally from now on. */
  private beginOutage(): void {
    if (this.fallback !== undefined) return;
    const failedAt = this.now();
    const { settings, fallbackLimit } = this.options;
    const { mirror } = this;
    this.fallback = new LocalBudgetLedger(
      settings,
      {
        limitAt: outageShare(
          mirror.starts,
          settings.limit,
          settings,
          failedAt,
          mirror,
          fallbackLimit,
        ),
        confirmationLimitAt: outageShare(
          mirror.confirmationStarts,
          settings.confirmationLimit,
          settings,
          failedAt,
          mirror,
          fallbackLimit,
        ),
      },
      this.now,
    );
    const inLine = [...this.waiting].sort(
      ([, a], [, b]) =>
        a.arrivedAt +
        laneDelayMs(a.lane, settings.windowMs) -
        (b.arrivedAt + laneDelayMs(b.lane, settings.windowMs)),
    );
    for (const [member, waiting] of inLine) {
      waiting.placed = true;
      // No bound here: the caller's own maxWaitMs timer still ends its wait.
      const reply = this.fallback.enterNow({ member, lane: waiting.lane }, waiting.arrivedAt);
      this.pendingGrants.push(...reply.granted); // handed out with the reply under way
    }
  }

  /**
   * Records grants (this replica's starts; those of an account call first) and says when to
   * pump next: at the ledger's hint (ms, -1 or undefined: none) or the heartbeat.
   */
  private granted(members: string[], hintMs: number | undefined): LedgerReply {
    const now = this.now();
    const all =
      this.pendingGrants.length > 0 ? [...this.pendingGrants.splice(0), ...members] : members;
    const granted: string[] = [];
    for (const member of all) {
      const waiting = this.waiting.get(member);
      if (waiting === undefined) continue; // left meanwhile: the slot is wasted, never late
      this.waiting.delete(member);
      this.recent.push({ member, lane: waiting.lane, at: now });
      granted.push(member);
    }
    this.pruneRecent(now);
    const { heartbeatMs } = this.timing;
    let nextPumpMs: number | undefined;
    if (this.waiting.size > 0) {
      nextPumpMs =
        hintMs !== undefined && hintMs >= 0 ? Math.min(hintMs, heartbeatMs) : heartbeatMs;
      // In an outage each pump first tries Redis again: calls that wait rejoin the shared line
      // soon after it answers, before the grants Redis kept for them fall behind other replicas'.
      if (this.fallback !== undefined) nextPumpMs = Math.min(nextPumpMs, OUTAGE_RETRY_MS);
    } else if (this.recent.length > 0) {
      nextPumpMs = heartbeatMs; // lease and epoch: re-account after a flush within the hold
    }
    return { granted, nextPumpMs };
  }

  private pruneRecent(now: number): void {
    const since = now - this.options.settings.windowMs;
    if (this.recent.length > 0 && this.recent[0]!.at <= since) {
      this.recent = this.recent.filter((start) => start.at > since);
    }
  }
}

/**
 * An outage share: the replica may hold `floor(free / replicas)` of its own fallback starts in
 * the window (at most `cap`), where `free` is what is provably free of shared starts. Starts it
 * saw (`seen`, local clock) count until they leave the window; slots that were free when it
 * failed may have been taken unseen, so they count as taken until a window after the failure.
 */
export function outageShare(
  seen: readonly number[],
  limit: number,
  settings: BudgetSettings,
  failedAt: number,
  mirror: { replicas: number },
  cap: number,
): LimitAt {
  const inWindowAt = (time: number): number =>
    seen.filter((start) => start > time - settings.windowMs).length;
  const unseenAtFailure = limit - inWindowAt(failedAt);
  return (now) => {
    const unseen = now < failedAt + settings.windowMs ? unseenAtFailure : 0;
    const free = Math.max(0, limit - inWindowAt(now) - unseen);
    return Math.min(cap, Math.floor(free / mirror.replicas));
  };
}
