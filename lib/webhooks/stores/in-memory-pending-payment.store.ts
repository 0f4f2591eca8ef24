import type {
  SecPaidPendingAddResult,
  SecPaidPendingPayment,
  SecPaidPendingPaymentStore,
} from '../../options/webhook-store.contracts.js';

/**
 * The default `SecPaidPendingPaymentStore`: one process, lost on restart. Entries are kept as
 * JSON text, exactly as a shared store would hold them, so nothing that is not serialisable can
 * slip in and a caller's copy never aliases the stored one. Map order is arrival order, so
 * eviction drops the oldest.
 * @publicApi
 */
export class SecPaidInMemoryPendingPaymentStore implements SecPaidPendingPaymentStore {
  private readonly entries = new Map<string, string>();

  async add(entry: SecPaidPendingPayment, maxEntries: number): Promise<SecPaidPendingAddResult> {
    if (this.entries.has(entry.key)) return { added: false, evicted: [] };
    this.entries.set(entry.key, JSON.stringify(entry));
    const evicted: SecPaidPendingPayment[] = [];
    for (const [key, text] of this.entries) {
      if (this.entries.size <= Math.max(1, maxEntries)) break;
      this.entries.delete(key);
      evicted.push(JSON.parse(text) as SecPaidPendingPayment);
    }
    return { added: true, evicted };
  }

  async get(key: string): Promise<SecPaidPendingPayment | undefined> {
    const text = this.entries.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as SecPaidPendingPayment);
  }

  async due(now: number, limit: number): Promise<SecPaidPendingPayment[]> {
    return this.all()
      .filter((entry) => entry.nextCheckAt <= now)
      .sort((a, b) => a.nextCheckAt - b.nextCheckAt)
      .slice(0, limit);
  }

  async update(entry: SecPaidPendingPayment): Promise<void> {
    if (this.entries.has(entry.key)) this.entries.set(entry.key, JSON.stringify(entry));
  }

  async remove(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async nextCheckAt(): Promise<number | undefined> {
    let earliest: number | undefined;
    for (const entry of this.all()) {
      if (earliest === undefined || entry.nextCheckAt < earliest) earliest = entry.nextCheckAt;
    }
    return earliest;
  }

  async size(): Promise<number> {
    return this.entries.size;
  }

  private all(): SecPaidPendingPayment[] {
    return [...this.entries.values()].map((text) => JSON.parse(text) as SecPaidPendingPayment);
  }
}
