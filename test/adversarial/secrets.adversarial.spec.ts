import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { SecPaidUnexpectedResponseError, SecPaidModule, SecPaidService } from '../../lib/index.js';
import { SECPAID_RESOLVED_OPTIONS } from '../../lib/secpaid.constants.js';
import { startRecordingServer, type RecordingServer } from '../support/loopback-server.js';
import { Test } from '@nestjs/testing';
import { rejectionOf } from '../support/service-app.harness.js';

// Issue 15, defect 6: the last ways a secret could be printed.
const API_KEY = 'sk_live_SUPERSECRETkey0123456789';
const ENCRYPTION_KEY = 'EncryptionKeyOf32AsciiChars!1234';

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());

async function boot() {
  return Test.createTestingModule({
    imports: [
      SecPaidModule.forRoot({
        apiKey: API_KEY,
        environment: 'development',
        baseUrl: server.baseUrl,
        rateLimit: false,
        webhooks: { encryptionKey: ENCRYPTION_KEY, confirmPayments: false },
      }),
    ],
  }).compile();
}

/** Every way an app might print a value, causes included. */
function renderings(value: unknown): string[] {
  const cause = (value as { cause?: unknown }).cause;
  return [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, { depth: 10 }),
    inspect(value, { depth: 10, showHidden: true }),
    String((cause as Error | undefined)?.message),
    inspect(cause, { depth: 10, showHidden: true }),
  ];
}

describe('defect 6: no piece of a secret in any rendering', () => {
  it('a non-JSON body starting with the key leaves no prefix of it in the cause', async () => {
    server.respondWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`${API_KEY} is not how an answer starts`);
    });
    const moduleRef = await boot();
    const error = await rejectionOf(moduleRef.get(SecPaidService).getMyUnusedLinks());
    expect(error).toBeInstanceOf(SecPaidUnexpectedResponseError);
    for (const text of renderings(error)) {
      // V8 quotes the first 10 characters of a body it cannot parse.
      expect(text).not.toContain(API_KEY.slice(0, 6));
    }
    await moduleRef.close();
  });

  it('util.inspect and JSON.stringify of the service and the options show neither key', async () => {
    const moduleRef = await boot();
    const service = moduleRef.get(SecPaidService);
    const options = moduleRef.get<object>(SECPAID_RESOLVED_OPTIONS);
    for (const value of [service, options]) {
      for (const text of renderings(value)) {
        expect(text).not.toContain(API_KEY);
        expect(text).not.toContain(ENCRYPTION_KEY);
      }
    }
    expect(JSON.stringify(options)).toContain('[REDACTED]');
    expect(inspect(service)).toContain('SecPaidService');
    await moduleRef.close();
  });
});
