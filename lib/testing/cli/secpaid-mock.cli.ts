#!/usr/bin/env node
// The `secpaid-mock` bin: `npx secpaid-mock --port 4010 --environment development`.
// Prints the base URL and the seeded keys, then runs until SIGINT/SIGTERM.
import { MOCK_CLI_USAGE, runMockCli } from './cli.runner.js';

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
    void running.stop().then(() => console.log('secpaid-mock stopped'));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void main();
