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
 * The mock's mutable state. Arrays are cleared in place by {@link MockState.clear} so references
 * held by tests stay valid.
 */
export class MockState {
  readonly links: MockLink[] = [];
  readonly payIns: MockPayIn[] = [];
  readonly refunds: MockRefund[] = [];
  readonly payouts: MockPayout[] = [];
  readonly taxInvoices: MockTaxInvoice[] = [];
  /** Bounded: see `recordRequest`. */
  readonly requests: MockRequestRecord[] = [];
  /** Raw body bytes of each entry of `requests`, in the same order. */
  private readonly requestSizes: number[] = [];
  private requestBytes = 0;
  private readonly maxRequestEntries: number;
  private readonly maxRequestBytes: number;

  constructor(requestLog: { maxEntries?: number; maxBodyBytes?: number } = {}) {
    this.maxRequestEntries = requestLog.maxEntries ?? MOCK_REQUEST_LOG_MAX_ENTRIES;
    this.maxRequestBytes = requestLog.maxBodyBytes ?? MOCK_REQUEST_LOG_MAX_BYTES;
  }
  readonly webhookDeliveries: MockWebhookDelivery[] = [];
  private nextLinkId = FIRST_LINK_ID;
  private nextRefundId = 1;
  private nextPayoutId = 21001;
  private nextInvoiceId = 101;

  /**
   * Appends to the request log, dropping the oldest entries beyond its entry count or its
   * total of body bytes (defaults: `MOCK_REQUEST_LOG_MAX_ENTRIES`, `MOCK_REQUEST_LOG_MAX_BYTES`).
   */
  recordRequest(record: MockRequestRecord, bodyBytes: number): void {
    this.requests.push(record);
    this.requestSizes.push(bodyBytes);
    this.requestBytes += bodyBytes;
    while (
      this.requests.length > this.maxRequestEntries ||
      (this.requestBytes > this.maxRequestBytes && this.requests.length > 1)
    ) {
      this.requests.shift();
      this.requestBytes -= this.requestSizes.shift() ?? 0;
    }
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
      this.requests,
      this.webhookDeliveries,
    ] as unknown[][]) {
      list.length = 0;
    }
    this.requestSizes.length = 0;
    this.requestBytes = 0;
    this.nextLinkId = FIRST_LINK_ID;
    this.nextRefundId = 1;
    this.nextPayoutId = 21001;
    this.nextInvoiceId = 101;
  }
}
