import { afterEach, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import {
  SecPaidConfigurationError,
  SecPaidModule,
  secpaidConfig,
  type SecPaidModuleOptions,
} from '../../lib/index.js';

const base: SecPaidModuleOptions = { apiKey: 'redisOptionsKey1', environment: 'development' };

async function startupError(redis: unknown): Promise<string> {
  const failure = await Test.createTestingModule({
    imports: [SecPaidModule.forRoot({ ...base, redis } as SecPaidModuleOptions)],
  })
    .compile()
    .then(
      (moduleRef) => moduleRef.close().then(() => undefined),
      (error: unknown) => error,
    );
  expect(failure).toBeInstanceOf(SecPaidConfigurationError);
  return (failure as Error).message;
}

describe('option redis', () => {
  afterEach(() => {
    delete process.env['SECPAID_REDIS_URL'];
    delete process.env['SECPAID_REDIS_CLUSTER'];
  });

  it('rejects a URL that is not redis:// or rediss://, without echoing it', async () => {
    const message = await startupError({ url: 'http://user:hunter2@cache:6379' });
    expect(message).toContain('redis.url must be a redis:// or rediss:// URL');
    expect(message).not.toContain('hunter2');
  });

  it('wants url or client, not both and not neither', async () => {
    expect(await startupError({})).toContain('redis.url must be a redis:// or rediss:// URL');
    const client = { sendCommand: async () => 'OK', isReady: true };
    expect(await startupError({ url: 'redis://127.0.0.1:1', client })).toContain(
      'redis.url give redis.url or redis.client, not both',
    );
  });

  it('rejects a client that is neither node-redis nor ioredis, and bad tuning', async () => {
    const message = await startupError({
      client: { get: () => undefined },
      keyPrefix: 'has space',
      commandTimeoutMs: 0,
      fallbackRequestsPerMinute: 1.5,
    });
    expect(message).toContain('redis.client must be a connected node-redis or ioredis client');
    expect(message).toContain('redis.keyPrefix');
    expect(message).toContain('redis.commandTimeoutMs');
    expect(message).toContain('redis.fallbackRequestsPerMinute');
  });

  it('must be an object', async () => {
    expect(await startupError('redis://127.0.0.1')).toContain('redis must be an object');
  });

  it('secpaidConfig reads SECPAID_REDIS_URL', () => {
    process.env['SECPAID_REDIS_URL'] = 'redis://127.0.0.1:6379/2';
    expect(secpaidConfig().redis).toEqual({ url: 'redis://127.0.0.1:6379/2' });
    delete process.env['SECPAID_REDIS_URL'];
    expect(secpaidConfig().redis).toBeUndefined();
  });

  it('cluster is true or false, and only beside url (an app-owned client is used as it is)', async () => {
    expect(await startupError({ url: 'redis://127.0.0.1:7000', cluster: 'yes' })).toContain(
      'redis.cluster must be true or false',
    );
    const client = { sendCommand: async () => 'OK', isReady: true };
    expect(await startupError({ client, cluster: true })).toContain(
      'redis.cluster applies to redis.url only',
    );
  });

  it('secpaidConfig reads SECPAID_REDIS_CLUSTER beside SECPAID_REDIS_URL', async () => {
    process.env['SECPAID_REDIS_URL'] = 'redis://127.0.0.1:7000';
    process.env['SECPAID_REDIS_CLUSTER'] = 'true';
    expect(secpaidConfig().redis).toEqual({ url: 'redis://127.0.0.1:7000', cluster: true });
    process.env['SECPAID_REDIS_CLUSTER'] = 'False';
    expect(secpaidConfig().redis).toEqual({ url: 'redis://127.0.0.1:7000', cluster: false });
    process.env['SECPAID_REDIS_CLUSTER'] = 'on';
    const redis = secpaidConfig().redis as unknown;
    expect(await startupError(redis)).toContain(
      'redis.cluster must be true or false (SECPAID_REDIS_CLUSTER)',
    );
  });
});
