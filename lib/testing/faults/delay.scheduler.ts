/** Delay timers that `stop()` can cancel, so no timer keeps the process alive. */
export class MockDelayScheduler {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private cancelled = false;

  /** Resolves after `ms`, or at once when cancelled; resolves to false when cancelled. */
  wait(ms: number): Promise<boolean> {
    if (this.cancelled) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, () => resolve(false));
    });
  }

  /** Clears every pending timer and resolves its waiter with false. */
  cancelAll(): void {
    this.cancelled = true;
    for (const [timer, release] of this.pending) {
      clearTimeout(timer);
      release();
    }
    this.pending.clear();
  }
}
