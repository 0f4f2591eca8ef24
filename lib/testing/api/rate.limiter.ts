/**
 * Fixed one-minute windows per key (SecPaid: 60 requests/min, window type undocumented).
 * Pure bookkeeping on `Date.now()`: no timers, so nothing keeps the process alive.
 */
/** Per-key request counter answering "wait N seconds" once a key is over its budget. */
export class MockRateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(private readonly requestsPerMinute: number | false) {}

  /** Counts a request; returns the seconds to wait when over the limit, otherwise `undefined`. */
  hit(key: string, now = Date.now()): number | undefined {
    if (this.requestsPerMinute === false) return undefined;
    let window = this.windows.get(key);
    if (window === undefined || now - window.startedAt >= 60_000) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count <= this.requestsPerMinute) return undefined;
    return Math.max(1, Math.ceil((window.startedAt + 60_000 - now) / 1000));
  }

  /** Forgets every window. */
  clear(): void {
    this.windows.clear();
  }
}
