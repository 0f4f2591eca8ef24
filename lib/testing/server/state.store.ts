import type {
  MockLink,
  MockPayIn,
  MockPayout,
  MockRefund,
  MockRequestRecord,
  MockTaxInvoice,
  MockWebhookDelivery,
} from '../secpaid-mock.types.js';

/** First link id handed out; realistic five/six-digit ids like the docs' `99290`. */
export const FIRST_LINK_ID = 100001;

/** Most entries the mock's request log keeps (the oldest are dropped first). */
export const MOCK_REQUEST_LOG_MAX_ENTRIES = 1000;
/** Most body bytes the mock's request log keeps, summed over its entries (oldest dropped first). */
export const MOCK_REQUEST_LOG_MAX_BYTES = 16 * 1024 * 1024;

/**
 * An append-only history that keeps the most recent entries within a count and a total of body
 * bytes, dropping the oldest first. The one keeper of the bound of the request log and of the
 * webhook deliveries (and so of what the dashboard shows). `items` is mutated in place, so a
 * reference to it stays valid across `clear()`.
 */
export class BoundedLog<T> {
  /** The kept entries, oldest first. */
  readonly items: T[] = [];
  private readonly sizes: number[] = [];
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  /** Appends `entry` (weighing `size` bytes) and drops the oldest entries beyond the bounds. */
  push(entry: T, size: number): void {
    this.items.push(entry);
    this.sizes.push(size);
    this.bytes += size;
    while (
      this.items.length > this.maxEntries ||
      (this.bytes > this.maxBytes && this.items.length > 1)
    ) {
      this.items.shift();
      this.bytes -= this.sizes.shift() ?? 0;
    }
  }

  /** Empties the log. */
  clear(): void {
    this.items.length = 0;
    this.sizes.length = 0;
    this.bytes = 0;
  }
}

/**
 * The mock's mutable state. Arrays are cleared in place by {@link MockState.clear} so references
 * held by tests stay valid. Every mutation ends with `changed()`, which tells the listeners (the
 * dashboard's live updates).
 */
export class MockState {
  readonly links: MockLink[] = [];
  readonly payIns: MockPayIn[] = [];
  readonly refunds: MockRefund[] = [];
  readonly payouts: MockPayout[] = [];
  readonly taxInvoices: MockTaxInvoice[] = [];
  private readonly requestLog: BoundedLog<MockRequestRecord>;
  private readonly deliveryLog: BoundedLog<MockWebhookDelivery>;
  private readonly listeners = new Set<() => void>();

  constructor(requestLog: { maxEntries?: number; maxBodyBytes?: number } = {}) {
    const maxEntries = requestLog.maxEntries ?? MOCK_REQUEST_LOG_MAX_ENTRIES;
    const maxBytes = requestLog.maxBodyBytes ?? MOCK_REQUEST_LOG_MAX_BYTES;
    this.requestLog = new BoundedLog(maxEntries, maxBytes);
    this.deliveryLog = new BoundedLog(maxEntries, maxBytes);
  }
  private nextLinkId = FIRST_LINK_ID;
  private nextRefundId = 1;
  private nextPayoutId = 21001;
  private nextInvoiceId = 101;
  private nextDeliveryId = 1;

  /** The request log, oldest first (bounded: see {@link BoundedLog}). */
  get requests(): MockRequestRecord[] {
    return this.requestLog.items;
  }

  /** The webhook deliveries, oldest first (bounded like the request log). */
  get webhookDeliveries(): MockWebhookDelivery[] {
    return this.deliveryLog.items;
  }

  /**
   * Appends to the request log, dropping the oldest entries beyond its entry count or its
   * total of body bytes (defaults: `MOCK_REQUEST_LOG_MAX_ENTRIES`, `MOCK_REQUEST_LOG_MAX_BYTES`).
   */
  recordRequest(record: MockRequestRecord, bodyBytes: number): void {
    this.requestLog.push(record, bodyBytes);
  }

  /** Appends a webhook delivery (bounded like the request log) and tells the listeners. */
  recordDelivery(delivery: MockWebhookDelivery): void {
    this.deliveryLog.push(delivery, delivery.body.length + (delivery.responseBody?.length ?? 0));
    this.changed();
  }

  /** Next webhook delivery id. */
  deliveryId(): number {
    return this.nextDeliveryId++;
  }

  /** Registers a listener called after every change; returns its removal. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every listener that the state changed. */
  changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Next link id (also the pay id of its payment). */
  linkId(): number {
    return this.nextLinkId++;
  }

  /** Next refund request id. */
  refundId(): number {
    return this.nextRefundId++;
  }

  /** Next payout id. */
  payoutId(): number {
    return this.nextPayoutId++;
  }

  /** Next tax invoice `sf_id`. */
  invoiceId(): number {
    return this.nextInvoiceId++;
  }

  /** Finds a link that is visible to `userId` (deleted links are gone). */
  findLink(id: number, userId?: string): MockLink | undefined {
    return this.links.find(
      (link) =>
        link.id === id &&
        link.status !== 'Deleted' &&
        (userId === undefined || link.userId === userId),
    );
  }

  /** Empties everything and restarts the id counters. */
  clear(): void {
    for (const list of [
      this.links,
      this.payIns,
      this.refunds,
      this.payouts,
      this.taxInvoices,
    ] as unknown[][]) {
      list.length = 0;
    }
    this.requestLog.clear();
    this.deliveryLog.clear();
    this.nextLinkId = FIRST_LINK_ID;
    this.nextRefundId = 1;
    this.nextPayoutId = 21001;
    this.nextInvoiceId = 101;
    this.nextDeliveryId = 1;
    this.changed();
  }
}
