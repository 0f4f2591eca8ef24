import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpService } from '@nestjs/axios';
import { Injectable, Module, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import {
  InjectSecPaidHttpService,
  SecPaidModule,
  type SecPaidModuleOptions,
} from '../../lib/index.js';
import { startRecordingServer, type RecordingServer } from '../support/loopback-server.js';

const API_KEY = 'registrationKey0123456789abcdef';

@Injectable()
class UsesSecPaidHttp {
  constructor(@InjectSecPaidHttpService() readonly http: HttpService) {}
}

describe('SecPaidModule registration paths', () => {
  let server: RecordingServer;
  let options: SecPaidModuleOptions;

  beforeAll(async () => {
    server = await startRecordingServer();
    options = { apiKey: API_KEY, environment: 'development', baseUrl: server.baseUrl };
  });
  afterAll(() => server.close());

  @Injectable()
  class OptionsFactory {
    createSecPaidOptions(): SecPaidModuleOptions {
      return options;
    }
  }
  @Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
  class OptionsFactoryModule {}

  @Module({
    providers: [{ provide: 'SECPAID_SETTINGS', useFactory: () => options }],
    exports: ['SECPAID_SETTINGS'],
  })
  class SettingsModule {}

  const registrations: Array<[string, () => Type | ReturnType<typeof SecPaidModule.forRoot>]> = [
    ['forRoot', () => SecPaidModule.forRoot(options)],
    [
      'forRootAsync with useFactory + inject + imports',
      () =>
        SecPaidModule.forRootAsync({
          imports: [SettingsModule],
          inject: ['SECPAID_SETTINGS'],
          useFactory: (settings: SecPaidModuleOptions) => settings,
        }),
    ],
    ['forRootAsync with useClass', () => SecPaidModule.forRootAsync({ useClass: OptionsFactory })],
    [
      'forRootAsync with useExisting + imports',
      () =>
        SecPaidModule.forRootAsync({
          imports: [OptionsFactoryModule],
          useExisting: OptionsFactory,
        }),
    ],
  ];

  it.each(registrations)(
    '%s yields a working HttpService with the token header',
    async (_, make) => {
      const moduleRef = await Test.createTestingModule({
        imports: [make()],
        providers: [UsesSecPaidHttp],
      }).compile();
      const { http } = moduleRef.get(UsesSecPaidHttp);
      const response = await firstValueFrom(http.post('/api/v2/getMyUnusedLinks', { limit: 1 }));
      expect(response.status).toBe(200);
      const seen = server.requests.at(-1);
      expect(seen?.url).toBe('/api/v2/getMyUnusedLinks');
      expect(seen?.headers['token']).toBe(API_KEY);
      await moduleRef.close();
    },
  );

  it('isGlobal makes the HttpService injectable in modules that do not import SecPaidModule', async () => {
    @Module({ providers: [UsesSecPaidHttp], exports: [UsesSecPaidHttp] })
    class FeatureModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [SecPaidModule.forRoot({ ...options, isGlobal: true }), FeatureModule],
    }).compile();
    const { http } = moduleRef.get(UsesSecPaidHttp);
    await firstValueFrom(http.post('/api/v2/getTaxInvoiceList', {}));
    expect(server.requests.at(-1)?.headers['token']).toBe(API_KEY);
    await moduleRef.close();
  });

  it('without isGlobal the HttpService is not visible to modules that do not import it', async () => {
    @Module({ providers: [UsesSecPaidHttp] })
    class FeatureModule {}

    await expect(
      Test.createTestingModule({
        imports: [SecPaidModule.forRoot(options), FeatureModule],
      }).compile(),
    ).rejects.toThrow(/UsesSecPaidHttp/);
  });

  it('two registrations in two modules get separate axios instances with their own keys', async () => {
    @Injectable()
    class ClientA {
      constructor(@InjectSecPaidHttpService() readonly http: HttpService) {}
    }
    @Injectable()
    class ClientB {
      constructor(@InjectSecPaidHttpService() readonly http: HttpService) {}
    }
    @Module({
      imports: [SecPaidModule.forRoot({ ...options, apiKey: 'merchantAkey' })],
      providers: [ClientA],
      exports: [ClientA],
    })
    class MerchantA {}
    @Module({
      imports: [SecPaidModule.forRoot({ ...options, apiKey: 'merchantBkey' })],
      providers: [ClientB],
      exports: [ClientB],
    })
    class MerchantB {}

    const moduleRef = await Test.createTestingModule({ imports: [MerchantA, MerchantB] }).compile();
    const a = moduleRef.get(ClientA).http;
    const b = moduleRef.get(ClientB).http;
    expect(a.axiosRef).not.toBe(b.axiosRef);

    a.axiosRef.defaults.headers.common['X-Only-A'] = 'yes';
    await firstValueFrom(a.post('/api/v2/getMyUsedLinks', {}));
    const fromA = server.requests.at(-1);
    await firstValueFrom(b.post('/api/v2/getMyUsedLinks', {}));
    const fromB = server.requests.at(-1);

    expect(fromA?.headers['token']).toBe('merchantAkey');
    expect(fromA?.headers['x-only-a']).toBe('yes');
    expect(fromB?.headers['token']).toBe('merchantBkey');
    expect(fromB?.headers['x-only-a']).toBeUndefined();
    await moduleRef.close();
  });
});
