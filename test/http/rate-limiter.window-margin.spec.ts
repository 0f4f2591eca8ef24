import { describe, expect, it } from '@jest/globals';
import { SecPaidRateLimiter } from '../../lib/http/rate-limiter.js';

// bench/ found it: with an exact 60 s window, the calls held back by a burst were released the
// moment the first call was 60 s old by our clock, and reached a server whose minute had started
// when that first call *arrived*, a few ms later: every one of them earned a 429.
describe('SecPaidRateLimiter default window', () => {
  it('is a minute plus a margin, so released calls land after the server minute ends', () => {
    const limiter = new SecPaidRateLimiter({ limit: 2 });
    expect(limiter.windowMs).toBeGreaterThan(60_000);
    expect(limiter.tryAcquire(0)).toBe(true);
    expect(limiter.tryAcquire(0)).toBe(true);
    expect(limiter.tryAcquire(60_000)).toBe(false); // SecPaid may still count the first two
    expect(limiter.tryAcquire(60_500)).toBe(false);
    expect(limiter.tryAcquire(61_000)).toBe(true);
  });

  it('an explicit windowMs is used as given', () => {
    const limiter = new SecPaidRateLimiter({ limit: 1, windowMs: 1000 });
    expect(limiter.windowMs).toBe(1000);
    expect(limiter.tryAcquire(0)).toBe(true);
    expect(limiter.tryAcquire(1000)).toBe(true);
  });
});
