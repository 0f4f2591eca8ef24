import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpModule, HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import axios from 'axios';
import { firstValueFrom } from 'rxjs';
import { InjectSecPaidHttpService, SecPaidModule } from '../../lib/index.js';
import { startRecordingServer, type RecordingServer } from '../support/loopback-server.js';
import { bootstrapTestApp, type TestApp } from '../support/test-app.builder.js';

const API_KEY = 'isolationKey0123456789abcdefABCD';

@Injectable()
class Clients {
  constructor(
    readonly plain: HttpService,
    @InjectSecPaidHttpService() readonly secpaid: HttpService,
  ) {}
}

/**
 * README: "no other `HttpService` of your app ever sees a SecPaid key". A plain `HttpModule`
 * (whose HttpService wraps axios' global default instance) sits beside SecPaidModule.
 */
describe('a plain HttpModule beside SecPaidModule', () => {
  let server: RecordingServer;
  let app: TestApp;

  beforeAll(async () => {
    server = await startRecordingServer();
    app = await bootstrapTestApp(
      HttpModule,
      SecPaidModule.forRoot({
        apiKey: API_KEY,
        environment: 'development',
        baseUrl: server.baseUrl,
        rateLimit: { requestsPerMinute: 1 },
      }),
    )
      .withProviders(Clients)
      .init();
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it('sends no token header and goes through neither its base URL nor its limiter', async () => {
    const { plain, secpaid } = app.get(Clients);
    await firstValueFrom(secpaid.post('/api/v2/getMyUnusedLinks', {}));
    expect(server.requests.at(-1)!.headers['token']).toBe(API_KEY); // the control

    // Three calls although SecPaid's limiter (1 per minute) is spent: not behind it either.
    for (const path of ['/a', '/b', '/c']) {
      await firstValueFrom(plain.post(`${server.baseUrl}${path}`, { hello: 'world' }));
    }
    await axios.get(`${server.baseUrl}/global-axios`);
    const others = server.requests.slice(1);
    expect(others.map((r) => r.url)).toEqual(['/a', '/b', '/c', '/global-axios']);
    for (const request of others) {
      expect(request.headers['token']).toBeUndefined();
      expect(JSON.stringify(request.headers)).not.toContain(API_KEY);
    }
    expect(plain.axiosRef).not.toBe(secpaid.axiosRef);
    expect(plain.axiosRef.defaults.baseURL).toBeUndefined();
  });
});
