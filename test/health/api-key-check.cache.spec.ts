import { describe, expect, it } from '@jest/globals';
import { ApiKeyCheckCache, type ApiKeyCheckOutcome } from '../../lib/health/api-key-check.cache.js';

/** A cache on a hand-driven clock, over a scripted sequence of check outcomes. */
function setup(outcomes: Array<'up' | 'rate_limited' | 'unreachable'>) {
  let clock = 1_000_000;
  let runs = 0;
  const cache = new ApiKeyCheckCache(
    async (): Promise<ApiKeyCheckOutcome> => {
      const next = outcomes[runs] ?? 'up';
      runs += 1;
      const checkedAt = new Date(clock);
      return next === 'up'
        ? { up: true, latencyMs: 5, checkedAt }
        : { up: false, reason: next, checkedAt };
    },
    { successTtlMs: 30_000, failureTtlMs: 5_000, rateLimitGraceMs: 150_000 },
    () => clock,
  );
  return {
    cache,
    runs: () => runs,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('ApiKeyCheckCache', () => {
  it('reuses a success until its TTL ends, then checks again', async () => {
    const { cache, runs, advance } = setup(['up', 'up']);
    expect(await cache.get()).toMatchObject({ up: true, cached: false });
    advance(29_999);
    expect(await cache.get()).toMatchObject({ up: true, cached: true });
    expect(runs()).toBe(1);
    advance(1);
    expect(await cache.get()).toMatchObject({ up: true, cached: false });
    expect(runs()).toBe(2);
  });

  it('reuses a failure only for the shorter failure TTL', async () => {
    const { cache, runs, advance } = setup(['unreachable', 'up']);
    expect(await cache.get()).toMatchObject({ up: false, reason: 'unreachable' });
    advance(4_999);
    expect(await cache.get()).toMatchObject({ up: false, cached: true });
    advance(1);
    expect(await cache.get()).toMatchObject({ up: true, cached: false });
    expect(runs()).toBe(2);
  });

  it('serves the last success on rate_limited within the grace period, not after it', async () => {
    const { cache, advance } = setup(['up', 'rate_limited', 'rate_limited']);
    await cache.get();
    advance(30_000);
    expect(await cache.get()).toMatchObject({ up: true, cached: true });
    advance(150_000);
    expect(await cache.get()).toMatchObject({ up: false, reason: 'rate_limited' });
  });

  it('shares one in-flight check among concurrent callers', async () => {
    const { cache, runs } = setup(['up']);
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.get()));
    expect(runs()).toBe(1);
    expect(results.every((r) => r.up)).toBe(true);
  });
});
