import { describe, expect, it } from '@jest/globals';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./in-flight.child.ts', import.meta.url));
const REGISTER = fileURLToPath(new URL('../support/ts-esm.register.mjs', import.meta.url));

/**
 * Each attempt has an abort signal of its own (deadline, caller's signal, close grace):
 * many requests in flight at once must not pile listeners on one shared signal, or Node warns
 * of a leak (MaxListenersExceededWarning) in the app's log.
 */
describe('attempt signals with many requests in flight', () => {
  it('60 calls in flight, half of them with one shared caller signal: all answered, no process warning', async () => {
    const child = fork(CHILD, [], {
      execArgv: ['--import', REGISTER, '--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    const report = await new Promise<{ answered: number; warnings: string[] }>(
      (resolve, reject) => {
        child.once('message', (message) => resolve(message as never));
        child.once('exit', (code) =>
          reject(new Error(`child exited with ${code} before it reported`)),
        );
      },
    );
    expect(report.answered).toBe(60);
    expect(report.warnings).toEqual([]);
  }, 60_000);
});
