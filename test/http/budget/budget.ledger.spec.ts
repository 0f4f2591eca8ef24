import { describe, expect, it } from '@jest/globals';
import {
  type BudgetSettings,
  expectedStartAt,
  LocalBudgetLedger,
} from '../../../lib/http/budget/budget.ledger.js';

const SETTINGS: BudgetSettings = {
  limit: 60,
  windowMs: 61_000,
  confirmationLimit: 10,
  maxQueue: 100,
};

/** A fake clock: the ledger's times are whatever the test says. */
function clock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

describe('LocalBudgetLedger under a limit that grows (an outage share)', () => {
  it('nothing starts under a limit of 0: the expected start is infinite, not NaN', () => {
    expect(expectedStartAt([], 0, 61_000, 5_000, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(expectedStartAt([1_000], 0, 61_000, 5_000, 2)).toBe(Number.POSITIVE_INFINITY);
  });

  it('a share of 0 now and 30 a window later: a bounded call is refused with a window as its expected wait', () => {
    const time = clock();
    const growsAt = time.now() + SETTINGS.windowMs;
    const ledger = new LocalBudgetLedger(
      SETTINGS,
      { limitAt: (now) => (now < growsAt ? 0 : 30) },
      time.now,
    );
    const reply = ledger.enterNow({ member: 'r|i|1', lane: 'interactive', maxWaitMs: 2_000 });
    expect(reply.granted).toEqual([]);
    expect(reply.refused).toEqual({ reason: 'wait', expectedWaitMs: SETTINGS.windowMs });
    // An unbounded call waits, and is granted once the share has grown.
    expect(ledger.enterNow({ member: 'r|i|2', lane: 'interactive' }).refused).toBeUndefined();
    time.advance(SETTINGS.windowMs);
    expect(ledger.pumpNow().granted).toEqual(['r|i|2']);
  });

  it('a share that stays 0 refuses every bounded call, and says no wait it cannot know', () => {
    const ledger = new LocalBudgetLedger(SETTINGS, { limitAt: () => 0 }, clock().now);
    const reply = ledger.enterNow({ member: 'r|i|1', lane: 'interactive', maxWaitMs: 600_000 });
    expect(reply.refused).toEqual({ reason: 'wait', expectedWaitMs: Number.POSITIVE_INFINITY });
  });

  it('a caller waiting under a share of 0 with no start in the window is looked at again within a second, not polled every millisecond', () => {
    const ledger = new LocalBudgetLedger(SETTINGS, { limitAt: () => 0 }, clock().now);
    const reply = ledger.enterNow({ member: 'r|c|1', lane: 'confirmation' });
    expect(reply.granted).toEqual([]);
    expect(reply.nextPumpMs).toBe(1_000);
  });
});
