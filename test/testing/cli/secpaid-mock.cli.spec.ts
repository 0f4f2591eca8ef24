import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import {
  MOCK_CLI_USAGE,
  handleMockCliKey,
  parseMockCliArgs,
  runMockCli,
} from '../../../lib/testing/cli/cli.runner.js';
import { SecPaidMockServer } from '../../../lib/testing/index.js';
import {
  answerStatus,
  startRecordingServer,
  type RecordingServer,
} from '../../support/loopback-server.js';
import { callApi, dataOf } from '../../support/mock-api.client.js';

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
        webhookFormat: 'form',
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
        webhookFormat: 'form',
        accounts: [{ callbackUrls: [], paymentEndpoints: [] }],
      },
    });
    expect(parseMockCliArgs(['--help'])).toEqual({ help: true });
  });

  it('--accounts seeds n accounts; the key flags name the first, the URL flags every one', () => {
    const command = parseMockCliArgs([
      '--accounts',
      '3',
      '--api-key',
      'first',
      '--payment-endpoint',
      'http://127.0.0.1:3000/hook',
    ]);
    expect(command.help).toBe(false);
    const accounts = command.help ? [] : (command.options.accounts ?? []);
    expect(accounts).toEqual([
      { apiKey: 'first', callbackUrls: [], paymentEndpoints: ['http://127.0.0.1:3000/hook'] },
      { callbackUrls: [], paymentEndpoints: ['http://127.0.0.1:3000/hook'] },
      { callbackUrls: [], paymentEndpoints: ['http://127.0.0.1:3000/hook'] },
    ]);
    // Each account has its own lists (no shared array a runtime change would leak through).
    expect(accounts[0].paymentEndpoints).not.toBe(accounts[1].paymentEndpoints);
  });

  it('--webhook-format picks json or form (the default)', () => {
    const json = parseMockCliArgs(['--webhook-format', 'json']);
    expect(json.help === false && json.options.webhookFormat).toBe('json');
    const form = parseMockCliArgs(['--webhook-format', 'form']);
    expect(form.help === false && form.options.webhookFormat).toBe('form');
  });

  it('rejects bad arguments with readable messages', () => {
    expect(() => parseMockCliArgs(['--accounts', '0'])).toThrow(/--accounts must be an integer/);
    expect(() => parseMockCliArgs(['--accounts', '101'])).toThrow(/--accounts/);
    expect(() => parseMockCliArgs(['--accounts', '1.5'])).toThrow(/--accounts/);
    expect(() => parseMockCliArgs(['--webhook-format', 'xml'])).toThrow(/--webhook-format/);
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

  it('--accounts 3 prints three working keys and the dashboard URL', async () => {
    const printed: string[] = [];
    const mock = await runMockCli(['--port', '0', '--accounts', '3'], (text) => printed.push(text));
    try {
      expect(mock!.accounts).toHaveLength(3);
      expect(printed[0]).toContain(`Dashboard:    ${mock!.baseUrl}/dashboard`);
      for (const [index, account] of mock!.accounts.entries()) {
        expect(printed[0]).toContain(`Account ${index + 1}: ${account.userId}`);
        expect(printed[0]).toContain(`api key:          ${account.apiKey}`);
        const answer = await callApi(mock!.baseUrl, 'createLink', { amount: 1 }, account.apiKey);
        expect(answer.status).toBe(200);
      }
      expect(new Set(mock!.accounts.map((account) => account.apiKey)).size).toBe(3);
    } finally {
      await mock?.stop();
    }
  });

  it('the r key resends the last delivery (printed), q quits, other keys do nothing', async () => {
    let receiver: RecordingServer | undefined;
    let mock: SecPaidMockServer | undefined;
    try {
      receiver = await startRecordingServer(answerStatus(204));
      mock = await SecPaidMockServer.start({
        rateLimit: false,
        accounts: [{ paymentEndpoints: [`${receiver.baseUrl}/hook`] }],
      });
      expect(await handleMockCliKey(mock, 'r')).toBe('No webhook delivery to resend yet.');
      const key = mock.accounts[0].apiKey;
      const id = dataOf(await callApi(mock.baseUrl, 'createLink', { amount: 5 }, key)).id;
      await mock.pay(id as number);
      const line = await handleMockCliKey(mock, 'r');
      expect(line).toMatch(
        /^resent #1: webhook #2 \(resend of #1\) success pay_id=\d+ -> .*HTTP 204/,
      );
      expect(receiver.requests.map((r) => r.body)).toEqual([
        receiver.requests[0].body,
        receiver.requests[0].body,
      ]);
      expect(await handleMockCliKey(mock, 'q')).toBe('quit');
      expect(await handleMockCliKey(mock, 'x')).toBeUndefined();
    } finally {
      await mock?.stop();
      await receiver?.close();
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
