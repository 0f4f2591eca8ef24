import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import {
  MOCK_CLI_USAGE,
  parseMockCliArgs,
  runMockCli,
} from '../../../lib/testing/cli/cli.runner.js';
import { callApi } from '../../support/mock-api.client.js';

const DIST_CLI = fileURLToPath(
  new URL('../../../dist/testing/cli/secpaid-mock.cli.js', import.meta.url),
);

describe('secpaid-mock CLI', () => {
  it('parses port, host, environment, account fields and rate limit', () => {
    expect(
      parseMockCliArgs([
        '--port',
        '4010',
        '--environment',
        'production',
        '--host',
        '0.0.0.0',
        '--api-key',
        'k1',
        '--user-id',
        'u1',
        '--recipient-token',
        'r1',
        '--callback-url',
        'https://a.example/cb',
        '--callback-url',
        'https://b.example/cb',
        '--payment-endpoint',
        'https://a.example/hook',
        '--encryption-key',
        'ThisIsA32CharacterEncryptionKey!',
        '--rate-limit',
        '5',
      ]),
    ).toEqual({
      help: false,
      options: {
        port: 4010,
        host: '0.0.0.0',
        environment: 'production',
        rateLimit: { requestsPerMinute: 5 },
        accounts: [
          {
            apiKey: 'k1',
            userId: 'u1',
            recipientToken: 'r1',
            callbackUrls: ['https://a.example/cb', 'https://b.example/cb'],
            paymentEndpoints: ['https://a.example/hook'],
            encryptionKey: 'ThisIsA32CharacterEncryptionKey!',
          },
        ],
      },
    });
  });

  it('defaults to port 4010 and development, and accepts --rate-limit false', () => {
    expect(parseMockCliArgs(['--rate-limit', 'false'])).toEqual({
      help: false,
      options: {
        port: 4010,
        environment: 'development',
        rateLimit: false,
        accounts: [{ callbackUrls: [], paymentEndpoints: [] }],
      },
    });
    expect(parseMockCliArgs(['--help'])).toEqual({ help: true });
  });

  it('rejects bad arguments with readable messages', () => {
    expect(() => parseMockCliArgs(['--port', 'abc'])).toThrow(/--port/);
    expect(() => parseMockCliArgs(['--environment', 'staging'])).toThrow(/--environment/);
    expect(() => parseMockCliArgs(['--rate-limit', '0'])).toThrow(/--rate-limit/);
    expect(() => parseMockCliArgs(['--unknown'])).toThrow();
  });

  it('starts a server and prints the base URL and the seeded keys', async () => {
    const printed: string[] = [];
    const mock = await runMockCli(['--port', '0', '--api-key', 'cliKey123'], (text) =>
      printed.push(text),
    );
    try {
      expect(mock).toBeDefined();
      expect(printed[0]).toContain(`listening on ${mock!.baseUrl}`);
      expect(printed[0]).toContain('cliKey123');
      expect(printed[0]).toContain(mock!.accounts[0].recipientToken);
      expect((await callApi(mock!.baseUrl, 'getMyUnusedLinks', {}, 'cliKey123')).status).toBe(200);
    } finally {
      await mock?.stop();
    }
  });

  it('prints the help without starting anything', async () => {
    const printed: string[] = [];
    expect(await runMockCli(['--help'], (text) => printed.push(text))).toBeUndefined();
    expect(printed).toEqual([MOCK_CLI_USAGE]);
  });

  it('the built bin runs, serves requests and exits on SIGTERM', async () => {
    // `npm test` builds dist/ first; a missing build must fail here, not skip silently.
    expect([DIST_CLI, existsSync(DIST_CLI)]).toEqual([DIST_CLI, true]);
    const child = spawn(process.execPath, [DIST_CLI, '--port', '0', '--api-key', 'binKey123'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    try {
      let output = '';
      const baseUrl = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match) resolve(match[1]);
        });
        child.once('exit', () => reject(new Error(`secpaid-mock exited early: ${output}`)));
      });
      expect(output).toContain('binKey123');
      expect(
        (await callApi(baseUrl, 'getTaxInvoiceList', { page: 1, limit: 1 }, 'binKey123')).status,
      ).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
