/**
 * How long a graceful close may take before the resource is destroyed, in ms. Kubernetes gives
 * a pod 30 s between SIGTERM and SIGKILL; the package's share of `app.close()` stays a small
 * part of it whatever Redis or SecPaid is doing (a frozen Redis never answers QUIT, an
 * unanswered request never settles).
 */
export const SECPAID_CLOSE_GRACE_MS = 2_000;

/** Injection token of the registration's {@link SecPaidCloseClock} (internal). */
export const SECPAID_CLOSE_CLOCK = Symbol.for('nestjs-secpaid:close-clock');

/**
 * The close deadline of one module registration. Nest destroys providers level by level
 * (dependents first), so each resource closing on its own grace would add up (HTTP calls in
 * flight, then Redis): the clock starts when the first of them begins closing, and every later
 * one gets what is left of the same `SECPAID_CLOSE_GRACE_MS`.
 */
export class SecPaidCloseClock {
  private endsAt: number | undefined;

  constructor(
    private readonly graceMs: number = SECPAID_CLOSE_GRACE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Milliseconds left of the registration's grace (starts the clock on first use). */
  remainingMs(): number {
    this.endsAt ??= this.now() + this.graceMs;
    return Math.max(0, this.endsAt - this.now());
  }

  /** {@link closeWithin} on what is left of this registration's grace. */
  close(graceful: () => Promise<unknown>, destroy: () => void): Promise<SecPaidCloseOutcome> {
    return closeWithin(graceful, destroy, this.remainingMs());
  }
}

/** How a bounded close ended. */
export type SecPaidCloseOutcome = 'graceful' | 'destroyed';

/**
 * The one keeper of "close ends": runs `graceful` and, when it has not settled within `graceMs`
 * (or it fails), calls `destroy` and resolves. Never rejects; `graceful` settling late is
 * ignored. The timer is cleared as soon as either path ends, so nothing of it outlives the close.
 */
export async function closeWithin(
  graceful: () => Promise<unknown>,
  destroy: () => void,
  graceMs: number = SECPAID_CLOSE_GRACE_MS,
): Promise<SecPaidCloseOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), graceMs);
  });
  let attempt: Promise<'done' | 'failed'>;
  try {
    attempt = graceful().then(
      () => 'done' as const,
      () => 'failed' as const,
    );
  } catch {
    attempt = Promise.resolve('failed');
  }
  try {
    if ((await Promise.race([attempt, expired])) === 'done') return 'graceful';
    try {
      destroy();
    } catch {
      // Destroying is the last resort: a throw here must not make close fail or hang.
    }
    return 'destroyed';
  } finally {
    clearTimeout(timer);
  }
}
