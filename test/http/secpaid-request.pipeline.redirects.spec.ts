import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpService } from '@nestjs/axios';
import { SecPaidError, SecPaidService, SecPaidUnexpectedResponseError } from '../../lib/index.js';
import { startRecordingServer, type RecordingServer } from '../support/loopback-server.js';
import { createServiceHarness, type ServiceHarness } from '../support/service-app.harness.js';

const API_KEY = 'redirectKey0123456789abcdefABCDEF';

// SecPaid documents no redirects for its API. Following one would replay a POST (307/308 keep
// the body) and forward the custom `token` header to whatever host `Location` names: axios'
// follow-redirects strips only Authorization/Cookie across hosts. So the client never follows.
describe('the SecPaid axios instance does not follow redirects', () => {
  let api: RecordingServer;
  let elsewhere: RecordingServer;
  let harness: ServiceHarness;
  let service: SecPaidService;
  let http: HttpService;

  beforeAll(async () => {
    api = await startRecordingServer();
    elsewhere = await startRecordingServer();
    harness = await createServiceHarness({
      apiKey: API_KEY,
      environment: 'development',
      baseUrl: api.baseUrl,
      rateLimit: false,
      maxRetries: 0,
    });
    ({ service, http } = harness);
  });
  afterAll(async () => {
    await harness?.close();
    await api?.close();
    await elsewhere?.close();
  });

  it.each([301, 302, 307, 308])(
    'a %i from the API is an unexpected response; nothing (no key) reaches the Location host',
    async (status) => {
      api.respondWith((_request, response) => {
        response.writeHead(status, { location: `${elsewhere.baseUrl}/api/v2/createLink` });
        response.end();
      });
      const error = await service.createLink({ amount: 10, note: 'Order 1' }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(SecPaidUnexpectedResponseError);
      expect(error).toMatchObject({ endpoint: 'createLink', httpStatus: status });
      expect(api.requests.at(-1)!.headers['token']).toBe(API_KEY);
      expect(elsewhere.requests).toHaveLength(0);
    },
  );

  it('raw @InjectSecPaidHttpService() calls do not follow either', async () => {
    api.respondWith((_request, response) => {
      response.writeHead(307, { location: `${elsewhere.baseUrl}/steal` });
      response.end();
    });
    const error = await http.axiosRef.post('/api/v2/getMyUnusedLinks', {}).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    // The 307 itself is the answer (a typed, secret-free error), not whatever Location serves.
    expect(error).toBeInstanceOf(SecPaidError);
    expect(error).toMatchObject({ endpoint: 'getMyUnusedLinks', httpStatus: 307 });
    expect(String((error as Error).stack)).not.toContain(API_KEY);
    expect(api.requests.at(-1)!.url).toBe('/api/v2/getMyUnusedLinks');
    expect(elsewhere.requests).toHaveLength(0);
  });
});
