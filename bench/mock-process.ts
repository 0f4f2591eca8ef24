import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A command to the mock child. */
export type MockCommand =
  | { id: number; cmd: 'reset' }
  | { id: number; cmd: 'count'; path?: string }
  | { id: number; cmd: 'stop' };

/** The child's answer; the first message (id 0) carries the address and key. */
export interface MockReply {
  id: number;
  value: number;
  baseUrl?: string;
  apiKey?: string;
}

const CHILD = fileURLToPath(new URL('./mock-child.js', import.meta.url));

/** Parent-side handle of a SecPaidMockServer running in its own Node process. */
export class MockProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, (value: number) => void>();

  private constructor(
    private readonly child: ChildProcess,
    /** Origin to use as `baseUrl`. */
    readonly baseUrl: string,
    /** The seeded account's key. */
    readonly apiKey: string,
  ) {
    child.on('message', (reply: MockReply) => {
      this.waiting.get(reply.id)?.(reply.value);
      this.waiting.delete(reply.id);
    });
  }

  /** Forks the child and resolves once its mock listens. */
  static start(rateLimit: { requestsPerMinute: number } | false): Promise<MockProcess> {
    const options = { environment: 'development', rateLimit };
    const child = fork(CHILD, [JSON.stringify(options)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`mock child exited with ${code}`)));
      child.once('message', (reply: MockReply) => {
        resolve(new MockProcess(child, reply.baseUrl!, reply.apiKey!));
      });
    });
  }

  /** Clears the mock's links and request log (and rate-limit windows). */
  reset(): Promise<number> {
    return this.ask({ cmd: 'reset' });
  }

  /** Requests the mock has seen since the last reset, optionally for one path only. */
  count(path?: string): Promise<number> {
    return this.ask({ cmd: 'count', path });
  }

  /** Stops the mock and waits for the child to exit. */
  async stop(): Promise<void> {
    this.child.removeAllListeners('exit');
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.ask({ cmd: 'stop' });
    await exited;
  }

  private ask(
    command: { cmd: 'reset' } | { cmd: 'count'; path?: string } | { cmd: 'stop' },
  ): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ ...command, id });
    });
  }
}
