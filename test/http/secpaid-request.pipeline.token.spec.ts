import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';
import { SECPAID_PACKAGE_VERSION, SecPaidValidationError } from '../../lib/index.js';
import { startRecordingServer, type RecordingServer } from '../support/loopback-server.js';
import { withApiKey } from '../support/per-call-key.js';
import { createServiceHarness } from '../support/service-app.harness.js';

const API_KEY = 'moduleKey0123456789abcdefABCDEF';

describe('token header interceptor', () => {
  let server: RecordingServer;
  let http: HttpService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    server = await startRecordingServer();
    ({ http, close } = await createServiceHarness({
      apiKey: API_KEY,
      environment: 'development',
      baseUrl: server.baseUrl,
    }));
  });
  afterAll(async () => {
    await close();
    await server.close();
  });

  it('sends the token on POST with JSON, a User-Agent and the base URL', async () => {
    await firstValueFrom(http.post('/api/v2/createLink', { amount: 1 }));
    const seen = server.requests.at(-1)!;
    expect(seen.method).toBe('POST');
    expect(seen.headers['token']).toBe(API_KEY);
    expect(seen.headers['content-type']).toMatch(/^application\/json/);
    expect(seen.headers['user-agent']).toBe(`nestjs-secpaid/${SECPAID_PACKAGE_VERSION}`);
    expect(JSON.parse(seen.body)).toEqual({ amount: 1 });
  });

  it('sends the token on GET', async () => {
    await firstValueFrom(http.get('/payment?link_id=MTI0'));
    const seen = server.requests.at(-1)!;
    expect(seen.method).toBe('GET');
    expect(seen.headers['token']).toBe(API_KEY);
  });

  it.each([['token'], ['Token'], ['TOKEN']])(
    'a caller header named %s cannot replace the key, other caller headers pass',
    async (name) => {
      await firstValueFrom(
        http.post(
          '/api/v2/getMyUnusedLinks',
          {},
          { headers: { [name]: 'attacker', 'X-Trace': 't1' } },
        ),
      );
      const seen = server.requests.at(-1)!;
      expect(seen.headers['token']).toBe(API_KEY);
      expect(seen.headers['x-trace']).toBe('t1');
    },
  );

  it('a caller cannot remove the token by passing headers: undefined-ish values', async () => {
    await firstValueFrom(
      http.post('/api/v2/getMyUnusedLinks', {}, { headers: { token: undefined } as never }),
    );
    expect(server.requests.at(-1)!.headers['token']).toBe(API_KEY);
  });

  it('the per-call apiKey reaches the server for that call only', async () => {
    await firstValueFrom(
      http.post('/api/v2/getMyUsedLinks', {}, withApiKey('merchantOverrideKey')),
    );
    expect(server.requests.at(-1)!.headers['token']).toBe('merchantOverrideKey');

    await firstValueFrom(http.post('/api/v2/getMyUsedLinks', {}));
    expect(server.requests.at(-1)!.headers['token']).toBe(API_KEY);
  });

  it('a per-call apiKey with CR/LF is refused before any request is sent', async () => {
    const before = server.requests.length;
    await expect(
      firstValueFrom(http.post('/api/v2/getMyUsedLinks', {}, withApiKey('abc\r\nX-Evil: 1'))),
    ).rejects.toBeInstanceOf(SecPaidValidationError);
    expect(server.requests.length).toBe(before);
  });

  it('a bad per-call apiKey is refused before the rate-limit stage: it never waits for a slot', async () => {
    const limited = await createServiceHarness({
      apiKey: API_KEY,
      environment: 'development',
      baseUrl: server.baseUrl,
      rateLimit: { requestsPerMinute: 1 },
    });
    try {
      const before = server.requests.length;
      // A key's budget has one slot a minute: were the key checked after the limiter, the
      // second call would wait for the next window (61 s) instead of being refused.
      for (let call = 0; call < 2; call++) {
        await expect(
          firstValueFrom(limited.http.post('/api/v2/getMyUsedLinks', {}, withApiKey('bad key'))),
        ).rejects.toBeInstanceOf(SecPaidValidationError);
      }
      expect(server.requests.length).toBe(before);
    } finally {
      await limited.close();
    }
  });
});
