import type {
  SecPaidPendingAddOutcome,
  SecPaidPendingLimits,
  SecPaidPendingPayment,
  SecPaidPendingPaymentStore,
} from '../../options/webhook-store.contracts.js';

interface Held {
  /** `{ event, own }` as JSON, exactly as a shared store holds it: nothing aliases a caller's copy. */
  text: string;
  own: boolean;
  checks: number;
  nextAt: number;
  endAt: number;
}

/**
 * The default `SecPaidPendingPaymentStore`: one process, lost on restart. Times come from a
 * monotonic clock (`performance.now()`), so a wall-clock jump neither expires nor delays an
 * entry. Full means full: a new entry is refused, an entry held is never dropped for it.
 * @publicApi
 */
export class SecPaidInMemoryPendingPaymentStore implements SecPaidPendingPaymentStore {
  private readonly entries = new Map<string, Held>();
  private readonly counts = { own: 0, other: 0 };

  /** @param now the store's clock in ms (tests pass their own). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  async add(
    entry: Pick<SecPaidPendingPayment, 'key' | 'event' | 'own'>,
    limits: SecPaidPendingLimits,
  ): Promise<SecPaidPendingAddOutcome> {
    if (this.entries.has(entry.key)) return 'pending';
    const rank = entry.own ? 'own' : 'other';
    if (this.counts[rank] >= Math.max(1, limits.maxEntries)) return 'full';
    const now = this.now();
    this.entries.set(entry.key, {
      text: JSON.stringify({ event: entry.event, own: entry.own }),
      own: entry.own,
      checks: 0,
      nextAt: now + Math.min(limits.firstCheckMs, limits.periodMs),
      endAt: now + limits.periodMs,
    });
    this.counts[rank]++;
    return 'added';
  }

  async hurry(key: string): Promise<boolean> {
    const held = this.entries.get(key);
    if (held === undefined) return false;
    held.nextAt = Math.min(held.nextAt, this.now());
    return true;
  }

  async due(limit: number): Promise<SecPaidPendingPayment[]> {
    const now = this.now();
    return [...this.entries]
      .filter(([, held]) => held.nextAt <= now)
      .sort(([, a], [, b]) => a.nextAt - b.nextAt)
      .slice(0, limit)
      .map(([key, held]) => toEntry(key, held, held.endAt <= now));
  }

  async reschedule(entry: SecPaidPendingPayment, delayMs: number): Promise<void> {
    const held = this.entries.get(entry.key);
    if (held === undefined) return;
    held.text = JSON.stringify({ event: entry.event, own: held.own });
    held.checks = entry.checks;
    held.nextAt = Math.min(this.now() + delayMs, held.endAt);
  }

  async remove(key: string): Promise<void> {
    const held = this.entries.get(key);
    if (held === undefined) return;
    this.entries.delete(key);
    this.counts[held.own ? 'own' : 'other']--;
  }

  async nextCheckInMs(): Promise<number | undefined> {
    let earliest: number | undefined;
    for (const held of this.entries.values()) {
      if (earliest === undefined || held.nextAt < earliest) earliest = held.nextAt;
    }
    return earliest === undefined ? undefined : Math.max(0, earliest - this.now());
  }

  async size(): Promise<number> {
    return this.entries.size;
  }
}

function toEntry(key: string, held: Held, expired: boolean): SecPaidPendingPayment {
  const { event } = JSON.parse(held.text) as Pick<SecPaidPendingPayment, 'event'>;
  return { key, event, own: held.own, checks: held.checks, ...(expired ? { expired } : {}) };
}
