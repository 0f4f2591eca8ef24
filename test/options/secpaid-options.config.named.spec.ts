import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  SecPaidConfigurationError,
  SecPaidModule,
  SecPaidService,
  getSecPaidServiceToken,
  secpaidConfig,
  secpaidConfigFor,
  secpaidEnvPrefixOf,
} from '../../lib/index.js';
import { startRecordingServer } from '../support/loopback-server.js';

const SUFFIXES = ['API_KEY', 'ENVIRONMENT', 'BASE_URL', 'TIMEOUT_MS', 'WEBHOOK_ENCRYPTION_KEY'];
const VARIABLES = ['SECPAID_', 'SECPAID_MERCHANT_A_', 'SECPAID_MERCHANT_B_'].flatMap((prefix) =>
  SUFFIXES.map((suffix) => prefix + suffix),
);

/** What `compile()` of an app with ConfigModule and these SecPaid options rejects with. */
function startupErrorOf(options: ReturnType<typeof secpaidConfig.asProvider>): Promise<unknown> {
  return Test.createTestingModule({
    imports: [ConfigModule.forRoot({ ignoreEnvFile: true }), SecPaidModule.forRootAsync(options)],
  })
    .compile()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
}

describe('secpaidConfigFor(name): named instances from SECPAID_<NAME>_* variables', () => {
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
    for (const name of VARIABLES) delete process.env[name];
  });
  afterEach(() => {
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('maps a name to its variable prefix', () => {
    expect(secpaidEnvPrefixOf('merchant-a')).toBe('SECPAID_MERCHANT_A_');
    expect(secpaidEnvPrefixOf('shopB_eu')).toBe('SECPAID_SHOPB_EU_');
    expect(() => secpaidEnvPrefixOf('bad name')).toThrow(SecPaidConfigurationError);
  });

  it('feeds a default and two named instances, each from its own variables', async () => {
    const server = await startRecordingServer();
    process.env['SECPAID_API_KEY'] = 'defaultEnvKey';
    process.env['SECPAID_ENVIRONMENT'] = 'development';
    process.env['SECPAID_BASE_URL'] = server.baseUrl;
    process.env['SECPAID_MERCHANT_A_API_KEY'] = 'merchantAEnvKey';
    process.env['SECPAID_MERCHANT_A_ENVIRONMENT'] = 'development';
    process.env['SECPAID_MERCHANT_A_BASE_URL'] = server.baseUrl;
    process.env['SECPAID_MERCHANT_B_API_KEY'] = 'merchantBEnvKey';
    process.env['SECPAID_MERCHANT_B_ENVIRONMENT'] = 'production';
    process.env['SECPAID_MERCHANT_B_BASE_URL'] = server.baseUrl;
    try {
      await checkThreeInstances(server.baseUrl, server);
    } finally {
      await server.close();
    }
  });

  async function checkThreeInstances(
    baseUrl: string,
    server: Awaited<ReturnType<typeof startRecordingServer>>,
  ): Promise<void> {
    expect(process.env['SECPAID_MERCHANT_B_BASE_URL']).toBe(baseUrl);
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true }),
        SecPaidModule.forRootAsync(secpaidConfig.asProvider()),
        SecPaidModule.forRootAsync(secpaidConfigFor('merchant-a').asProvider()),
        SecPaidModule.forRootAsync({
          ...secpaidConfigFor('merchant-b').asProvider(),
          // The recipe for adding settings the variables do not carry.
          useFactory: (options) => ({ ...options, webhooks: { path: 'hooks/merchant-b' } }),
        }),
      ],
    }).compile();

    const expectations: Array<[SecPaidService, string]> = [
      [moduleRef.get(SecPaidService), 'defaultEnvKey'],
      [moduleRef.get(getSecPaidServiceToken('merchant-a')), 'merchantAEnvKey'],
      [moduleRef.get(getSecPaidServiceToken('merchant-b')), 'merchantBEnvKey'],
    ];
    for (const [service, key] of expectations) {
      await service.getMyUnusedLinks();
      expect(server.requests.at(-1)?.headers['token']).toBe(key);
    }
    await expect(
      moduleRef.get<SecPaidService>(getSecPaidServiceToken('merchant-b')).verifyApiKey(),
    ).resolves.toMatchObject({ environment: 'production' });
    await moduleRef.close();
  }

  it('is a registerAs-style namespace `secpaid:<name>` for ConfigModule', async () => {
    process.env['SECPAID_MERCHANT_A_API_KEY'] = 'merchantAEnvKey';
    process.env['SECPAID_MERCHANT_A_ENVIRONMENT'] = 'production';
    process.env['SECPAID_MERCHANT_A_TIMEOUT_MS'] = '2500';
    const config = secpaidConfigFor('merchant-a');
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [config] })],
    }).compile();
    expect(config.KEY).toBe('CONFIGURATION(secpaid:merchant-a)');
    expect(moduleRef.get(ConfigService).get('secpaid:merchant-a.timeoutMs')).toBe(2500);
    expect(moduleRef.get(config.KEY)).toEqual({
      apiKey: 'merchantAEnvKey',
      environment: 'production',
      timeoutMs: 2500,
    });
    expect(config.asProvider().name).toBe('merchant-a');
    await moduleRef.close();
  });

  it('fails start-up naming what is missing, without reading the default variables', async () => {
    process.env['SECPAID_API_KEY'] = 'defaultEnvKey';
    process.env['SECPAID_ENVIRONMENT'] = 'development';
    const error = await startupErrorOf(secpaidConfigFor('merchant-a').asProvider());
    expect(error).toBeInstanceOf(SecPaidConfigurationError);
    const fields = (error as SecPaidConfigurationError).issues.map((i) => i.field);
    expect(fields).toEqual(['apiKey', 'environment']);
  });

  it('names the instance and the variables in the message, never a value', async () => {
    process.env['SECPAID_MERCHANT_B_API_KEY'] = 'not a valid key';
    process.env['SECPAID_MERCHANT_B_TIMEOUT_MS'] = 'soon';
    const error = await startupErrorOf(secpaidConfigFor('merchant-b').asProvider());
    expect(error).toBeInstanceOf(SecPaidConfigurationError);
    const { message, instance } = error as SecPaidConfigurationError;
    expect(instance).toBe('merchant-b');
    expect(message).toMatch(/^Invalid SecPaid module options of instance 'merchant-b': /);
    expect(message).toContain('(SECPAID_MERCHANT_B_API_KEY)');
    expect(message).toContain('(SECPAID_MERCHANT_B_ENVIRONMENT)');
    expect(message).toContain('(SECPAID_MERCHANT_B_TIMEOUT_MS)');
    expect(message).not.toContain('not a valid key');
    expect(message).not.toContain('soon');
  });

  it('names the default variables for the default instance, without an instance', async () => {
    const error = await startupErrorOf(secpaidConfig.asProvider());
    const { message, instance } = error as SecPaidConfigurationError;
    expect(instance).toBeUndefined();
    expect(message).toMatch(/^Invalid SecPaid module options: apiKey .*\(SECPAID_API_KEY\)/);
    expect(message).toContain('(SECPAID_ENVIRONMENT)');
  });
});
