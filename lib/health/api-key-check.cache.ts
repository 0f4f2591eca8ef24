import type { SecPaidHealthDownReason } from '../service/key-verification-failure.reason.js';

/** The outcome of one real key verification. */
export type ApiKeyCheckOutcome =
  | { up: true; latencyMs: number; checkedAt: Date }
  | { up: false; reason: SecPaidHealthDownReason; checkedAt: Date };

/**
 * An outcome, optionally read from a cache shared by several replicas: `sharedTtlMs` is how
 * long it stays valid there (the local cache keeps it no longer).
 */
export type SharedApiKeyCheckOutcome = ApiKeyCheckOutcome & { sharedTtlMs?: number };

/** An outcome as served to a probe, saying whether it came from the cache. */
export type ServedOutcome = ApiKeyCheckOutcome & { cached: boolean };

/** Cache settings. */
export interface ApiKeyCheckCacheOptions {
  /** How long a success is reused. */
  successTtlMs: number;
  /** How long a failure is reused (shorter, so recovery shows quickly). */
  failureTtlMs: number;
  /** How old a success may be and still stand in for a `rate_limited` failure. */
  rateLimitGraceMs: number;
  /**
   * Which key an outcome is about (its hash); a cached outcome of another key is not served,
   * nor is a success of another key kept for the `rate_limited` grace (key rotation).
   */
  keyOf?: () => string;
}

/**
 * Caches key verifications and shares one in-flight check among concurrent probes, so a
 * Kubernetes readiness probe on every replica cannot exhaust SecPaid's 60 requests/minute.
 * A `rate_limited` answer while a recent success is known keeps serving that success:
 * the key is still valid, SecPaid is only asking us to slow down.
 */
export class ApiKeyCheckCache {
  /** What probes are served until `expiresAt`. */
  private current?: { outcome: ApiKeyCheckOutcome; expiresAt: number; key?: string };
  private lastSuccess?: { outcome: Extract<ApiKeyCheckOutcome, { up: true }>; key?: string };
  private inFlight?: Promise<ServedOutcome>;

  constructor(
    private readonly run: () => Promise<SharedApiKeyCheckOutcome>,
    private readonly options: ApiKeyCheckCacheOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** A fresh-enough cached outcome, or the result of the one check in flight. */
  get(): Promise<ServedOutcome> {
    const current = this.current;
    if (current && this.now() < current.expiresAt && current.key === this.options.keyOf?.()) {
      return Promise.resolve({ ...current.outcome, cached: true });
    }
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async refresh(): Promise<ServedOutcome> {
    const { sharedTtlMs, ...outcome } = await this.run();
    // Read after the check: a refused key may have been replaced (and re-checked) during it.
    const key = this.options.keyOf?.();
    const now = this.now();
    const lastSuccess = this.lastSuccess?.key === key ? this.lastSuccess?.outcome : undefined;
    if (
      !outcome.up &&
      outcome.reason === 'rate_limited' &&
      lastSuccess &&
      now - lastSuccess.checkedAt.getTime() < this.options.rateLimitGraceMs
    ) {
      this.current = { outcome: lastSuccess, expiresAt: now + this.options.failureTtlMs, key };
      return { ...lastSuccess, cached: true };
    }
    if (outcome.up) this.lastSuccess = { outcome, key };
    const ttl = sharedTtlMs ?? (outcome.up ? this.options.successTtlMs : this.options.failureTtlMs);
    this.current = { outcome, expiresAt: now + ttl, key };
    return { ...outcome, cached: sharedTtlMs !== undefined };
  }
}
