import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { HttpService } from '@nestjs/axios';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import { SecPaidConfigurationError, SecPaidModule, secpaidConfig } from '../../lib/index.js';
import { SECPAID_HTTP_SERVICE, SECPAID_RESOLVED_OPTIONS } from '../../lib/secpaid.constants.js';
import type { ResolvedSecPaidOptions } from '../../lib/options/secpaid-options.js';
import { startRecordingServer } from '../support/loopback-server.js';

const VARIABLES = [
  'SECPAID_API_KEY',
  'SECPAID_ENVIRONMENT',
  'SECPAID_BASE_URL',
  'SECPAID_TIMEOUT_MS',
  'SECPAID_WEBHOOK_ENCRYPTION_KEY',
];

function compile() {
  return Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ ignoreEnvFile: true }),
      SecPaidModule.forRootAsync(secpaidConfig.asProvider()),
    ],
  }).compile();
}

describe('secpaidConfig', () => {
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

  it('feeds forRootAsync(secpaidConfig.asProvider()) from the environment', async () => {
    const server = await startRecordingServer();
    process.env['SECPAID_API_KEY'] = 'envKey123';
    process.env['SECPAID_ENVIRONMENT'] = 'development';
    process.env['SECPAID_BASE_URL'] = server.baseUrl;
    process.env['SECPAID_TIMEOUT_MS'] = '4000';
    process.env['SECPAID_WEBHOOK_ENCRYPTION_KEY'] = 'k'.repeat(32);
    const moduleRef = await compile();

    const resolved = moduleRef.get<ResolvedSecPaidOptions>(SECPAID_RESOLVED_OPTIONS);
    expect(resolved).toMatchObject({
      environment: 'development',
      baseUrl: server.baseUrl,
      timeoutMs: 4000,
      webhooks: { path: 'secpaid/webhook' },
    });
    expect(resolved.webhooks && resolved.webhooks.encryptionKey?.reveal()).toBe('k'.repeat(32));
    const http = moduleRef.get<HttpService>(SECPAID_HTTP_SERVICE);
    await firstValueFrom(http.post('/api/v2/getTaxInvoiceList', {}));
    expect(server.requests.at(-1)?.headers['token']).toBe('envKey123');

    await moduleRef.close();
    await server.close();
  });

  it('works as a registerAs namespace: ConfigModule load and @Inject(secpaidConfig.KEY)', async () => {
    process.env['SECPAID_API_KEY'] = 'namespacedKey';
    process.env['SECPAID_ENVIRONMENT'] = 'production';
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [secpaidConfig] })],
    }).compile();
    const config = moduleRef.get(ConfigService);
    expect(config.get('secpaid.environment')).toBe('production');
    expect(moduleRef.get(secpaidConfig.KEY)).toEqual({
      apiKey: 'namespacedKey',
      environment: 'production',
    });
    await moduleRef.close();
  });

  it('fails start-up naming the variables that are missing or malformed', async () => {
    process.env['SECPAID_TIMEOUT_MS'] = 'soon';
    const error = await compile().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SecPaidConfigurationError);
    const fields = (error as SecPaidConfigurationError).issues.map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['apiKey', 'environment', 'timeoutMs']));
  });
});
