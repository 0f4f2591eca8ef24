import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import {
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';

const NOTE = 'note-marker-7f3a9c';
const ANSWER = 'answer-marker-2b8e1d';

/** `level: message` of every log call in `lines`; all its arguments in `full`. */
function capture(lines: string[], full: string[]): LoggerService {
  const keep =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) => {
      lines.push(`${level}: ${String(message)}`);
      full.push(
        [message, ...rest].map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '),
      );
    };
  return {
    log: keep('log'),
    error: keep('error'),
    warn: keep('warn'),
    debug: keep('debug'),
    verbose: keep('verbose'),
    fatal: keep('fatal'),
  };
}

/** README, Logging: "one line per attempt ...; never the key or bodies". */
describe('SecPaidService logging', () => {
  let mock: SecPaidMockServer;
  let harness: ServiceHarness;
  let apiKey: string;
  const lines: string[] = [];
  const full: string[] = [];

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    apiKey = mock.accounts[0]!.apiKey;
    harness = await createServiceHarness(devOptions(apiKey, mock.baseUrl));
    Logger.overrideLogger(capture(lines, full));
  });
  afterAll(async () => {
    Logger.overrideLogger(new ConsoleLogger());
    await harness?.close();
    await mock?.stop();
  });
  beforeEach(() => {
    mock.reset();
    lines.length = 0;
    full.length = 0;
  });

  it('one debug line per attempt (endpoint, attempt, status or error, duration), one warn line per retry', async () => {
    mock.injectFault({ endpoint: 'getTaxInvoiceList', status: 502, times: 1 });
    await harness.service.getTaxInvoiceList({}, { apiKey });
    mock.injectFault({ endpoint: 'getTaxInvoiceList', drop: 'reset', times: 1 });
    await harness.service.getTaxInvoiceList();
    const ours = lines.filter((line) => / getTaxInvoiceList attempt/.test(line));
    expect(ours).toEqual([
      expect.stringMatching(/^debug: getTaxInvoiceList attempt 1: HTTP 502 in \d+ ms$/),
      expect.stringMatching(
        /^warn: getTaxInvoiceList attempt 1 failed: SecPaidServerError \(HTTP 502\); retry 1 of 2 in \d+ ms$/,
      ),
      expect.stringMatching(/^debug: getTaxInvoiceList attempt 2: HTTP 200 in \d+ ms$/),
      expect.stringMatching(
        /^debug: getTaxInvoiceList attempt 1: SecPaidConnectionError \(ECONNRESET\) after \d+ ms$/,
      ),
      expect.stringMatching(
        /^warn: getTaxInvoiceList attempt 1 failed: SecPaidConnectionError \(ECONNRESET\); retry 1 of 2 in \d+ ms$/,
      ),
      expect.stringMatching(/^debug: getTaxInvoiceList attempt 2: HTTP 200 in \d+ ms$/),
    ]);
    expect(full.join('\n')).not.toContain(apiKey);
  });

  it('never logs the key, the request body or the response body (success, refusal, garbage)', async () => {
    const link = await harness.service.createLink({ amount: 12.5, note: NOTE });
    expect(link.note).toBe(NOTE); // the marker really travelled both ways
    mock.injectFault({
      endpoint: 'createLink',
      status: 400,
      body: { ResponseCode: 0, ResponseMsg: ANSWER, Result: 'False' },
    });
    await rejectionOf(harness.service.createLink({ amount: 1, note: NOTE }));
    mock.injectFault({ endpoint: 'getMyUnusedLinks', status: 200, body: `<html>${ANSWER}</html>` });
    await rejectionOf(harness.service.getMyUnusedLinks({ search: NOTE }));
    const perCallKey = mock.addAccount().apiKey;
    await harness.service.getMyUsedLinks({ search: NOTE }, { apiKey: perCallKey });

    expect(lines.filter((line) => / attempt \d: /.test(line))).toHaveLength(4);
    const all = full.join('\n');
    for (const secret of [apiKey, perCallKey, NOTE, ANSWER, '12.5', 'recipient_note']) {
      expect(all).not.toContain(secret);
    }
  });
});
