import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import { SecPaidRateLimitError } from '../../lib/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import {
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';

/** Every line Nest's Logger receives, with its level and context. */
const lines: { level: string; context: unknown; text: string }[] = [];
const at =
  (level: string) =>
  (message: unknown, ...rest: unknown[]) =>
    lines.push({ level, context: rest.at(-1), text: String(message) });
const capture: LoggerService = {
  log: at('log'),
  error: at('error'),
  warn: at('warn'),
  debug: at('debug'),
  verbose: at('verbose'),
};

describe('request executor logging: one warn line per retry and per 429 not retried', () => {
  let mock: SecPaidMockServer;
  let harness: ServiceHarness;
  let apiKey: string;
  const NOTE = 'Gift for Max Mustermann';

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    apiKey = mock.accounts[0]!.apiKey;
    harness = await createServiceHarness(devOptions(apiKey, mock.baseUrl, { maxRetries: 1 }));
    Logger.overrideLogger(capture);
  });

  beforeEach(() => {
    lines.length = 0;
  });

  afterAll(async () => {
    Logger.overrideLogger(new ConsoleLogger());
    await harness.close();
    await mock.stop();
  });

  const warnings = () => lines.filter((line) => line.level === 'warn');

  it('a 429 retried then answered: one warn line, context SecPaidService', async () => {
    mock.injectFault({ endpoint: 'createLink', status: 429, headers: { 'Retry-After': '0' } });
    await harness.service.createLink({ amount: 5, note: NOTE });
    expect(warnings()).toEqual([
      {
        level: 'warn',
        context: 'SecPaidService',
        text: 'createLink attempt 1 failed: SecPaidRateLimitError (HTTP 429); retry 1 of 1 in 0 ms',
      },
    ]);
  });

  it('a 429 on the last attempt: one more warn line saying it is not retried', async () => {
    mock.injectFault({
      endpoint: 'createLink',
      status: 429,
      times: 2,
      headers: { 'Retry-After': '0' },
    });
    const error = await rejectionOf(harness.service.createLink({ amount: 5, note: NOTE }));
    expect(error).toBeInstanceOf(SecPaidRateLimitError);
    expect(warnings().map((line) => line.text)).toEqual([
      'createLink attempt 1 failed: SecPaidRateLimitError (HTTP 429); retry 1 of 1 in 0 ms',
      'createLink attempt 2 failed: SecPaidRateLimitError (HTTP 429); not retried (1 retries used)',
    ]);
  });

  it('a failure that is never retried (a refused create) logs no warning', async () => {
    mock.injectFault({
      endpoint: 'createLink',
      body: { ResponseCode: 0, Result: 'False', ResponseMsg: `Bad note ${NOTE}` },
    });
    await rejectionOf(harness.service.createLink({ amount: 5, note: NOTE }));
    expect(warnings()).toEqual([]);
  });

  it('no line ever holds the key, the note or a server message', async () => {
    mock.injectFault({ endpoint: 'getMyUsedLinks', status: 503, body: `down ${NOTE}` });
    await harness.service.getMyUsedLinks();
    mock.injectFault({
      endpoint: 'createLink',
      body: { ResponseCode: 0, Result: 'False', ResponseMsg: `Bad note ${NOTE}` },
    });
    await rejectionOf(harness.service.createLink({ amount: 5, note: NOTE }));
    const all = lines.map((line) => line.text).join('\n');
    expect(all).toContain('getMyUsedLinks attempt 1 failed');
    expect(all).not.toContain(apiKey);
    expect(all).not.toContain('Mustermann');
  });
});
