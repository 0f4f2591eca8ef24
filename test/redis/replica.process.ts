import type { SecPaidBudgetLane } from '../../lib/secpaid.constants.js';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a replica child is started with. */
export interface ReplicaSettings {
  apiKey: string;
  /** When set, the key is read from this file (the README's secret-file provider) instead. */
  apiKeyFile?: string;
  apiKeyRefreshMs?: number;
  baseUrl: string;
  redisUrl: string;
  requestsPerMinute: number;
  /** The limiter window (SecPaid's minute, scaled down for the test). */
  windowMs: number;
  healthTtlMs: number;
  claimTtlMs: number;
  /** Shifts the replica's `Date.now()` by this many ms (a replica whose clock is wrong). */
  clockSkewMs?: number;
  /** Confirm payments with the API and keep unconfirmed ones pending (default off). */
  confirmPayments?: boolean;
  /** `rateLimit.maxQueue` (default the module's). */
  maxQueue?: number;
  /** `redis.commandTimeoutMs` (default 300: a frozen Redis is noticed fast). */
  commandTimeoutMs?: number;
  /** Turns webhook confirmation on with this `webhooks.confirmCallsPerMinute`. */
  confirmCallsPerMinute?: number;
}

/** Commands a replica understands. */
export type ReplicaCommand =
  | {
      cmd: 'calls';
      count: number;
      raw?: boolean;
      /** Raw calls only: the endpoint (default getMyUnusedLinks). */
      endpoint?: string;
      lane?: SecPaidBudgetLane;
      maxWaitMs?: number;
    }
  | { cmd: 'probes'; count: number }
  | { cmd: 'handler'; mode: 'ok' | 'fail' | 'hang' }
  | { cmd: 'stats' }
  | { cmd: 'close' };

/** Handler counters and unhandled rejections seen in a replica. */
export interface ReplicaStats {
  started: number;
  succeeded: number;
  failed: number;
  unhandled: string[];
  /** `[type, payId, confirmed]` of every event the handler finished. */
  handled: [string, number, boolean][];
}

const CHILD = fileURLToPath(new URL('./replica.child.ts', import.meta.url));
const REGISTER = fileURLToPath(new URL('../support/ts-esm.register.mjs', import.meta.url));

/** Parent-side handle of one replica: a real Node process running the module from source. */
export class ReplicaProcess {
  readonly logs: { level: string; message: string }[] = [];
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    (reply: { value?: unknown; error?: string }) => void
  >();
  private readonly startedListeners: (() => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    /** Origin of the replica's HTTP server (webhooks). */
    readonly origin: string,
  ) {
    child.on('message', (message: Record<string, unknown>) => this.onMessage(message));
  }

  static start(settings: ReplicaSettings): Promise<ReplicaProcess> {
    const child = fork(CHILD, [JSON.stringify(settings)], {
      execArgv: ['--import', REGISTER, '--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const early: Record<string, unknown>[] = [];
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
      const onMessage = (message: Record<string, unknown>): void => {
        if (message['ready'] !== true) {
          early.push(message);
          return;
        }
        child.off('message', onMessage);
        child.removeAllListeners('exit');
        const replica = new ReplicaProcess(child, String(message['origin']));
        for (const line of early) replica.onMessage(line);
        resolve(replica);
      };
      child.on('message', onMessage);
    });
  }

  /** Fires `count` concurrent calls; resolves to `ok`, an HTTP status (raw) or an error name each. */
  calls(
    count: number,
    raw = false,
    budget: { endpoint?: string; lane?: SecPaidBudgetLane; maxWaitMs?: number } = {},
  ): Promise<string[]> {
    return this.ask({ cmd: 'calls', count, raw, ...budget }) as Promise<string[]>;
  }

  /** Runs `count` concurrent readiness probes; resolves to their statuses. */
  probes(count: number): Promise<string[]> {
    return this.ask({ cmd: 'probes', count }) as Promise<string[]>;
  }

  handler(mode: 'ok' | 'fail' | 'hang'): Promise<unknown> {
    return this.ask({ cmd: 'handler', mode });
  }

  stats(): Promise<ReplicaStats> {
    return this.ask({ cmd: 'stats' }) as Promise<ReplicaStats>;
  }

  /** Resolves when the replica's webhook handler starts its next run. */
  nextHandlerStart(): Promise<void> {
    return new Promise((resolve) => this.startedListeners.push(resolve));
  }

  /** Closes the app (Redis connection included) and waits for the process to exit. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ cmd: 'close', id: 0 });
    await exited;
  }

  /** Kills the process at once (a replica dying mid-handler). */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  private onMessage(message: Record<string, unknown>): void {
    if (message['log']) this.logs.push(message['log'] as { level: string; message: string });
    if (message['event'] === 'handler-started') this.startedListeners.splice(0).forEach((f) => f());
    if (typeof message['id'] === 'number') {
      this.waiting.get(message['id'])?.(message as { value?: unknown; error?: string });
      this.waiting.delete(message['id']);
    }
  }

  private ask(command: ReplicaCommand): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (reply) =>
        reply.error === undefined ? resolve(reply.value) : reject(new Error(reply.error)),
      );
      this.child.send({ ...command, id });
    });
  }
}
