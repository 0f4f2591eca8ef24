#!/usr/bin/env node
// The `secpaid-mock` bin: `npx secpaid-mock --port 4010 --environment development`.
// Prints the base URL and the seeded keys, then runs until SIGINT/SIGTERM.
import { MOCK_CLI_USAGE, handleMockCliKey, runMockCli } from './cli.runner.js';

async function main(): Promise<void> {
  let mock;
  try {
    mock = await runMockCli(process.argv.slice(2), (text) => console.log(text));
  } catch (error) {
    console.error(`secpaid-mock: ${error instanceof Error ? error.message : String(error)}`);
    console.error(MOCK_CLI_USAGE);
    process.exitCode = 1;
    return;
  }
  if (mock === undefined) return;
  const running = mock;
  const shutdown = (): void => {
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.pause();
    void running.stop().then(() => console.log('secpaid-mock stopped'));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  // In a terminal: single key presses (r = resend the last delivery, q or Ctrl-C = stop).
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (key: string) => {
      void handleMockCliKey(running, key).then(
        (result) => {
          if (result === 'quit') shutdown();
          else if (result !== undefined) console.log(result);
        },
        (error: unknown) => console.error(error instanceof Error ? error.message : String(error)),
      );
    });
  }
}

void main();
