import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpService } from '@nestjs/axios';
import { inspect } from 'node:util';
import { firstValueFrom } from 'rxjs';
import {
  SecPaidAuthenticationError,
  SecPaidConnectionError,
  SecPaidError,
  SecPaidServerError,
  SecPaidTimeoutError,
} from '../../lib/index.js';
import {
  startRecordingServer,
  unusedPort,
  type RecordingServer,
} from '../support/loopback-server.js';
import { withApiKey } from '../support/per-call-key.js';
import { createServiceHarness, type ServiceHarness } from '../support/service-app.harness.js';

const API_KEY = 'hygieneSecretKey9f8e7d6c5b4a3210';
const OVERRIDE_KEY = 'perCallSecretKey0011223344556677';

/** Every way an app might print an error. */
function renderings(error: unknown): string[] {
  const withCause = error as { cause?: unknown; stack?: string };
  return [
    String(error),
    (error as Error).message,
    withCause.stack ?? '',
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: true }),
    inspect(withCause.cause, { depth: 10, showHidden: true }),
  ];
}

async function httpFor(baseUrl: string, timeoutMs = 10000): Promise<[HttpService, ServiceHarness]> {
  const harness = await createServiceHarness({
    apiKey: API_KEY,
    environment: 'development',
    baseUrl,
    timeoutMs,
  });
  return [harness.http, harness];
}

async function failure(http: HttpService, apiKey?: string): Promise<unknown> {
  return firstValueFrom(
    http.post('/api/v2/getMyUnusedLinks', {}, apiKey ? withApiKey(apiKey) : {}),
  ).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe('the API key never leaves in an error', () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await startRecordingServer();
  });
  afterAll(() => server.close());

  it.each([
    [
      'HTTP 500',
      () =>
        server.respondWith((_req, res) => {
          res.writeHead(500, { 'content-type': 'text/html' });
          res.end('<h1>boom</h1>');
        }),
      SecPaidServerError,
    ],
    [
      'HTTP 401 with an envelope that echoes the key',
      () =>
        server.respondWith((req, res) => {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              ResponseCode: 0,
              ResponseMsg: `Incorrect token or missing token: ${String(req.headers['token'])}`,
              Result: 'False',
            }),
          );
        }),
      SecPaidAuthenticationError,
    ],
  ])('%s', async (_, arrange, ErrorClass) => {
    arrange();
    const [http, moduleRef] = await httpFor(server.baseUrl);
    for (const key of [undefined, OVERRIDE_KEY]) {
      const error = await failure(http, key);
      expect(error).toBeInstanceOf(ErrorClass);
      expect((error as SecPaidError).endpoint).toBe('getMyUnusedLinks');
      for (const text of renderings(error)) {
        expect(text).not.toContain(API_KEY);
        expect(text).not.toContain(OVERRIDE_KEY);
      }
    }
    await moduleRef.close();
  });

  it('connection refused', async () => {
    const [http, moduleRef] = await httpFor(`http://127.0.0.1:${await unusedPort()}`);
    const error = await failure(http);
    expect(error).toBeInstanceOf(SecPaidConnectionError);
    expect((error as SecPaidConnectionError).code).toBe('ECONNREFUSED');
    expect((error as SecPaidConnectionError).requestMayHaveReachedServer).toBe(false);
    for (const text of renderings(error)) expect(text).not.toContain(API_KEY);
    await moduleRef.close();
  });

  it('timeout', async () => {
    server.respondWith(() => {
      // never answer: the client's per-attempt timeout must fire
    });
    const [http, moduleRef] = await httpFor(server.baseUrl, 200);
    const error = await failure(http);
    expect(error).toBeInstanceOf(SecPaidTimeoutError);
    expect((error as SecPaidTimeoutError).requestMayHaveReachedServer).toBe(true);
    for (const text of renderings(error)) expect(text).not.toContain(API_KEY);
    await moduleRef.close();
  });
});
