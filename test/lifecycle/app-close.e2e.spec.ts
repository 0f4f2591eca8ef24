import { afterEach, beforeAll, afterAll, describe, expect, it } from '@jest/globals';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startRecordingServer, type RecordingServer } from '../support/loopback-server.js';
import { RedisServerProcess } from '../support/redis-server.process.js';
import { waitFor } from '../support/wait-for.js';
import type { CloseChildSettings } from './close.child.js';

/**
 * "Close ends": a real app (Redis URL, webhooks with confirmation, limiter) is closed in a child
 * process while Redis is frozen, gone or slow, with calls queued and in flight, a pending
 * re-check and a webhook in flight; `app.close()` must resolve and the process must then exit
 * by itself (no handle of the package left). Close times are printed with
 * `SECPAID_REPORT_CLOSE_TIMES=1`; the spec asserts no timing beyond its hang guard.
 */
const CHILD = fileURLToPath(new URL('./close.child.ts', import.meta.url));
const REGISTER = fileURLToPath(new URL('../support/ts-esm.register.mjs', import.meta.url));
/** Far above the 2 s close grace: only a close or an exit that never comes reaches it. */
const HANG_GUARD_MS = 30_000;

interface CloseReport {
  closeMs: number;
  outcomes: string[];
  resources: string[];
  /** Where the timers that keep the process alive right after close were armed. */
  timers: string[];
}

/** Parent side of one close.child.ts process. */
class CloseChild {
  private nextId = 1;
  private readonly replies = new Map<
    number,
    (reply: { value?: unknown; error?: string }) => void
  >();
  readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { id?: number; value?: unknown; error?: string }) => {
      if (message.id !== undefined) this.replies.get(message.id)?.(message);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(settings: CloseChildSettings): Promise<CloseChild> {
    const child = fork(CHILD, [JSON.stringify(settings)], {
      execArgv: ['--import', REGISTER, '--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`close child exited early with ${code}`)));
      child.once('message', () => {
        child.removeAllListeners('exit');
        resolve(new CloseChild(child));
      });
    });
  }

  ask<T>(cmd: string): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, (reply) =>
        reply.error === undefined ? resolve(reply.value as T) : reject(new Error(reply.error)),
      );
      this.child.send({ id, cmd });
    });
  }

  /** Drops the IPC channel (the parent's own handle in the child); the child must then exit. */
  letGo(): void {
    this.child.disconnect();
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** Resolves to `value`, or to 'hung' after `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | 'hung'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms)));
  try {
    return await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/** A Lua script that keeps Redis busy for `ms` (other clients wait, then get BUSY). */
function busyScript(ms: number): string[] {
  return [
    'EVAL',
    `local s = redis.call('TIME') while true do local n = redis.call('TIME') ` +
      `if (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > ${ms * 1000} then return 1 end end`,
    '0',
  ];
}

let secpaid: RecordingServer;
let redis: RedisServerProcess;
let child: CloseChild | undefined;
const times: string[] = [];

const unanswered = (body: string, url: string): boolean =>
  url.endsWith('/getMyUnusedLinks') ||
  (url.endsWith('/getPayInTransactions') && /"pay_id":"?2/.test(body));

beforeAll(async () => {
  secpaid = await startRecordingServer((request, response) => {
    if (unanswered(request.body, request.url)) return; // never answered
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ResponseCode: 1, ResponseMsg: 'ok', Result: 'True', data: [] }));
  });
});

afterEach(async () => {
  child?.kill();
  child = undefined;
  redis.thaw();
  await redis.stop();
});

afterAll(async () => {
  await secpaid.close();
  if (process.env['SECPAID_REPORT_CLOSE_TIMES'] === '1') {
    process.stdout.write(`\nclose times:\n${times.join('\n')}\n`);
  }
});

type Fault = 'none' | 'paused' | 'killed' | 'slow';

async function closeUnder(fault: Fault, busy: boolean): Promise<void> {
  redis = await RedisServerProcess.start();
  secpaid.requests.length = 0;
  child = await CloseChild.start({
    apiKey: 'close-test-key',
    baseUrl: secpaid.baseUrl,
    redisUrl: redis.url,
  });
  await child.ask('warm');
  if (busy) {
    expect(await child.ask('busy')).toBe(202);
    // In flight: the webhook's lookup and the calls the budget let through; the rest queue.
    await waitFor(
      () => secpaid.requests.filter((request) => unanswered(request.body, request.url)).length >= 4,
    );
  }
  if (fault === 'paused') redis.freeze();
  if (fault === 'killed') await redis.stop();
  if (fault === 'slow') {
    const client = await redis.client();
    // Settles (or fails when the test stops Redis) on its own; nothing waits for it.
    void client
      .sendCommand(busyScript(4_000))
      .catch(() => undefined)
      .finally(() => client.destroy());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const started = performance.now();
  const report = await within(child.ask<CloseReport>('close'), HANG_GUARD_MS);
  expect(report).not.toBe('hung');
  const { closeMs, outcomes, resources, timers } = report as CloseReport;
  child.letGo();
  const exitCode = await within(child.exited, HANG_GUARD_MS);
  const exitMs = Math.round(performance.now() - started);
  times.push(
    `${fault}${busy ? ' + busy' : ''}: app.close() ${closeMs} ms, process exit ${exitMs} ms ` +
      `after the close command (resources right after close: ${resources.join(', ')})`,
  );
  // On a hang, the timers armed at close (with where they came from) are in the failure.
  expect({ exitCode, timers: exitCode === 'hung' ? timers : [] }).toEqual({
    exitCode: 0,
    timers: [],
  });
  if (busy) {
    // Every call and the webhook settled: nothing left waiting on a closed module.
    expect(outcomes.filter((outcome) => outcome.startsWith('call'))).toHaveLength(8);
    expect(outcomes.some((outcome) => outcome.startsWith('webhook'))).toBe(true);
    expect(outcomes.filter((outcome) => outcome.endsWith(': ok'))).toEqual([]);
  }
}

// Boot, two hang guards and Redis; the guards, not this, decide whether close hung.
const TEST_TIMEOUT_MS = 3 * HANG_GUARD_MS;

describe('app.close() ends and the process exits on its own', () => {
  it('Redis healthy, idle', () => closeUnder('none', false), TEST_TIMEOUT_MS);
  it(
    'Redis healthy, with queued and in-flight calls, a pending re-check and a webhook in flight',
    () => closeUnder('none', true),
    TEST_TIMEOUT_MS,
  );
  it('Redis paused (SIGSTOP), busy', () => closeUnder('paused', true), TEST_TIMEOUT_MS);
  it('Redis killed just before close, busy', () => closeUnder('killed', true), TEST_TIMEOUT_MS);
  it('Redis slow (busy for 4 s), busy', () => closeUnder('slow', true), TEST_TIMEOUT_MS);
});
