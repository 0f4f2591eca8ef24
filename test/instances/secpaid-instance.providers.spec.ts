import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpService } from '@nestjs/axios';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import {
  InjectSecPaidHttpService,
  InjectSecPaidService,
  SecPaidConfigurationError,
  SecPaidModule,
  SecPaidService,
  SecPaidWebhookHandler,
  getSecPaidHttpServiceToken,
  getSecPaidServiceToken,
  type SecPaidModuleOptions,
} from '../../lib/index.js';
import { SECPAID_HTTP_SERVICE } from '../../lib/secpaid.constants.js';
import { CapturingLogger } from '../support/capturing.logger.js';
import {
  answerStatus,
  okEnvelope,
  startRecordingServer,
  type RecordingServer,
} from '../support/loopback-server.js';
import { bootstrapTestApp } from '../support/test-app.builder.js';

@Injectable()
class UsesEveryInstance {
  constructor(
    readonly byClass: SecPaidService,
    @InjectSecPaidService() readonly byDecorator: SecPaidService,
    @InjectSecPaidService('merchant-a') readonly merchantA: SecPaidService,
    @InjectSecPaidHttpService() readonly http: HttpService,
    @InjectSecPaidHttpService('merchant-a') readonly httpA: HttpService,
  ) {}
}

describe('named registrations: tokens, injection and start-up checks', () => {
  let server: RecordingServer;
  let base: SecPaidModuleOptions;

  beforeAll(async () => {
    server = await startRecordingServer();
    base = { apiKey: 'defaultKey0123', environment: 'development', baseUrl: server.baseUrl };
  });
  afterAll(() => server.close());

  it('the default tokens are the ones the package always had', () => {
    expect(getSecPaidServiceToken()).toBe(SecPaidService);
    expect(getSecPaidServiceToken('default')).toBe(SecPaidService);
    expect(getSecPaidHttpServiceToken()).toBe(SECPAID_HTTP_SERVICE);
    expect(getSecPaidServiceToken('merchant-a')).toBe(
      Symbol.for('nestjs-secpaid:service:merchant-a'),
    );
    expect(getSecPaidServiceToken('merchant-a')).not.toBe(getSecPaidServiceToken('merchant-b'));
  });

  it('a default and a named instance side by side: each injection gets its own key', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SecPaidModule.forRoot(base),
        SecPaidModule.forRoot({ ...base, name: 'merchant-a', apiKey: 'merchantAKey' }),
      ],
      providers: [UsesEveryInstance],
    }).compile();
    const uses = moduleRef.get(UsesEveryInstance);
    expect(uses.byClass).toBe(uses.byDecorator);
    expect(uses.byClass).toBe(moduleRef.get(getSecPaidServiceToken()));
    expect(uses.merchantA).not.toBe(uses.byClass);

    await uses.byClass.getMyUnusedLinks();
    expect(server.requests.at(-1)?.headers['token']).toBe('defaultKey0123');
    await uses.merchantA.getMyUnusedLinks();
    expect(server.requests.at(-1)?.headers['token']).toBe('merchantAKey');
    await firstValueFrom(uses.http.post('/api/v2/getMyUsedLinks', {}));
    expect(server.requests.at(-1)?.headers['token']).toBe('defaultKey0123');
    await firstValueFrom(uses.httpA.post('/api/v2/getMyUsedLinks', {}));
    expect(server.requests.at(-1)?.headers['token']).toBe('merchantAKey');
    await moduleRef.close();
  });

  it('overrideProvider works with the token helpers, default and named', async () => {
    const fakeDefault = { fake: 'default' };
    const fakeA = { fake: 'merchant-a' };
    const moduleRef = await Test.createTestingModule({
      imports: [
        SecPaidModule.forRoot(base),
        SecPaidModule.forRoot({ ...base, name: 'merchant-a' }),
      ],
      providers: [UsesEveryInstance],
    })
      .overrideProvider(getSecPaidServiceToken())
      .useValue(fakeDefault)
      .overrideProvider(getSecPaidServiceToken('merchant-a'))
      .useValue(fakeA)
      .compile();
    const uses = moduleRef.get(UsesEveryInstance);
    expect(uses.byClass).toBe(fakeDefault);
    expect(uses.merchantA).toBe(fakeA);
    await moduleRef.close();
  });

  it('isGlobal exports a named instance to modules that do not import it', async () => {
    @Injectable()
    class NeedsA {
      constructor(@InjectSecPaidService('merchant-a') readonly a: SecPaidService) {}
    }
    @Module({ providers: [NeedsA], exports: [NeedsA] })
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        SecPaidModule.forRoot({ ...base, name: 'merchant-a', isGlobal: true }),
        FeatureModule,
      ],
    }).compile();
    expect(moduleRef.get(NeedsA).a).toBeInstanceOf(SecPaidService);
    await moduleRef.close();
  });

  it('a duplicate name fails at bootstrap with a clear error (forRoot and forRootAsync)', async () => {
    const attempt = Test.createTestingModule({
      imports: [
        SecPaidModule.forRoot({ ...base, name: 'merchant-a', apiKey: 'firstKey' }),
        SecPaidModule.forRootAsync({
          name: 'merchant-a',
          useFactory: async () => ({ ...base, apiKey: 'secondKey' }),
        }),
      ],
    }).compile();
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecPaidConfigurationError);
    expect((error as Error).message).toBe(
      "Invalid SecPaid module options: name 'merchant-a' is registered twice: give each SecPaidModule.forRoot/forRootAsync its own name",
    );
    expect((error as Error).message).not.toContain('firstKey');
  });

  it.each([
    ['the same path', 'hooks/secpaid', 'hooks/secpaid'],
    ['a path differing in slashes and case', '/hooks/SecPaid/', 'hooks/secpaid'],
    ['the default path twice', undefined, undefined],
  ])('two instances claiming %s fail at bootstrap', async (_case, first, second) => {
    const attempt = Test.createTestingModule({
      imports: [
        SecPaidModule.forRoot({ ...base, name: 'merchant-a', webhooks: { path: first } }),
        SecPaidModule.forRootAsync({
          name: 'merchant-b',
          useFactory: async () => ({ ...base, webhooks: { path: second } }),
        }),
      ],
    }).compile();
    await expect(attempt).rejects.toThrow(
      /webhooks\.path '\/[^']+' is claimed by SecPaid instances 'merchant-a' and 'merchant-b': give each instance its own webhooks\.path/i,
    );
  });

  it('rejects an invalid name when the module is registered', () => {
    for (const name of ['', 'has space', '__proto__', '1st', 'a'.repeat(65)]) {
      expect(() => SecPaidModule.forRoot({ ...base, name })).toThrow(SecPaidConfigurationError);
    }
    expect(() => SecPaidModule.forRootAsync({ name: 'x y', useFactory: () => base })).toThrow(
      /name must start with a letter/,
    );
  });

  it('a name returned by the options factory fails start-up instead of configuring the default', async () => {
    const attempt = Test.createTestingModule({
      imports: [
        SecPaidModule.forRootAsync({ useFactory: () => ({ ...base, name: 'merchant-a' }) }),
      ],
    }).compile();
    await expect(attempt).rejects.toThrow(
      'name belongs next to useFactory/useClass/useExisting in forRootAsync({ name, ... })',
    );
  });

  it('warns at start-up about an instance with webhooks whose handlers all name another instance', async () => {
    @Injectable()
    class OnlyMerchantA {
      @SecPaidWebhookHandler({ instance: 'merchant-a' })
      handle(): void {}
    }
    const logger = new CapturingLogger();
    const web = await bootstrapTestApp(
      SecPaidModule.forRoot({ ...base, name: 'merchant-a', webhooks: { path: 'hooks/a' } }),
      SecPaidModule.forRoot({ ...base, name: 'merchant-b', webhooks: { path: 'hooks/b' } }),
    )
      .withProviders(OnlyMerchantA)
      .withRawBody()
      .withLogger(logger)
      .init();
    await web.close();
    const warnings = logger.lines.filter(
      (l) => l.level === 'warn' && l.message.includes('no provider method is decorated'),
    );
    expect(warnings).toHaveLength(1); // merchant-b's receiver only
  });

  it('a failed start-up key check names the instance', async () => {
    server.respondWith(answerStatus(401));
    try {
      const app = await bootstrapTestApp(
        SecPaidModule.forRoot({ ...base, name: 'merchant-b', validateApiKeyOnStartup: true }),
      ).create();
      await expect(app.init()).rejects.toThrow(
        "Invalid SecPaid module options: apiKey of instance 'merchant-b' could not be validated against SecPaid development",
      );
      await app.close();
    } finally {
      server.respondWith(okEnvelope);
    }
  });

  it('the default instance may still be registered in two feature modules', async () => {
    @Module({ imports: [SecPaidModule.forRoot({ ...base, apiKey: 'featureOneKey' })] })
    class FeatureOne {}
    @Module({ imports: [SecPaidModule.forRoot({ ...base, apiKey: 'featureTwoKey' })] })
    class FeatureTwo {}
    const moduleRef = await Test.createTestingModule({
      imports: [FeatureOne, FeatureTwo],
    }).compile();
    await moduleRef.close();
  });
});
