import { apiEndpointName } from '../api/api.router.js';
import type { MockFault } from '../secpaid-mock.types.js';

/** Queue of injected faults; each matching request consumes one use of the first match. */
export class MockFaultInjector {
  private readonly faults: { fault: MockFault; remaining: number }[] = [];

  /** Queues a fault for `fault.times` (default 1) matching requests. */
  add(fault: MockFault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error('injectFault: times must be >= 1');
    this.faults.push({ fault, remaining: times });
  }

  /**
   * The fault for a request, if any. `endpoint` matches the v2 endpoint name or the exact path;
   * a fault without `endpoint` matches every `/api/v2/*` request.
   */
  take(path: string): MockFault | undefined {
    const endpointName = apiEndpointName(path);
    const index = this.faults.findIndex(({ fault }) =>
      fault.endpoint === undefined
        ? endpointName !== undefined
        : fault.endpoint === endpointName || fault.endpoint === path,
    );
    if (index === -1) return undefined;
    const entry = this.faults[index];
    entry.remaining--;
    if (entry.remaining === 0) this.faults.splice(index, 1);
    return entry.fault;
  }

  /** Faults not used up yet. */
  get pending(): number {
    return this.faults.reduce((sum, entry) => sum + entry.remaining, 0);
  }

  /** Drops every queued fault. */
  clear(): void {
    this.faults.length = 0;
  }
}
