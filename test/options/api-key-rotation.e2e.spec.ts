import diagnostics from 'node:diagnostics_channel';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { HttpService } from '@nestjs/axios';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import {
  SECPAID_DIAGNOSTICS_CHANNELS,
  SecPaidAuthenticationError,
  SecPaidConfigurationError,
  SecPaidModule,
  SecPaidService,
  getSecPaidServiceToken,
  type SecPaidApiKeyChangedMessage,
  type SecPaidModuleOptions,
} from '../../lib/index.js';
import { SecPaidHealthModule } from '../../lib/health/index.js';
import { SECPAID_HTTP_SERVICE } from '../../lib/secpaid.constants.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { CapturingLogger } from '../support/capturing.logger.js';
import { HealthController } from '../support/health-app.js';
import { RotationRecord, type RotatingKeySource } from '../support/key-rotation.fixture.js';
import {
  startRotatingKeyGateway,
  type RotatingKeyGateway,
} from '../support/rotating-key.gateway.js';
import { bootstrapTestApp } from '../support/test-app.builder.js';
import { waitFor } from '../support/wait-for.js';
import { get, startWebhookApp, type WebhookApp } from '../support/webhook-app.harness.js';

const KEY_A = 'rotationKeyA0000000000000000001';
const KEY_B = 'rotationKeyB0000000000000000002';
const hashPrefix = (key: string): string =>
  createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 8);

describe('Rotating the API key without a restart (a gateway that accepts A, then only B)', () => {
  let mock: SecPaidMockServer;
  let gateway: RotatingKeyGateway;
  let record: RotationRecord;
  let source: RotatingKeySource;
  let web: WebhookApp;
  const changes: SecPaidApiKeyChangedMessage[] = [];
  const onChange = (message: unknown): void => {
    changes.push(message as SecPaidApiKeyChangedMessage);
  };

  /** An app with the webhook receiver and the readiness probe, its key from `source`. */
  const startApp = (extra: Partial<SecPaidModuleOptions> = {}): Promise<WebhookApp> =>
    startWebhookApp(
      SecPaidModule.forRoot({
        apiKey: source.provider,
        apiKeyRefreshMs: 0,
        environment: 'development',
        baseUrl: gateway.baseUrl,
        rateLimit: false,
        maxRetries: 0,
        health: { cacheTtlMs: 1_000 },
        webhooks: { confirmCallsPerMinute: 60 },
        ...extra,
      }),
      {
        configure: (builder) =>
          builder
            .withImports(TerminusModule, SecPaidHealthModule)
            .withControllers(HealthController),
      },
    );
  const probe = async (): Promise<{ status: number; reason?: unknown }> => {
    const answer = await get(`${web.origin}/health/ready`);
    const details = answer.json()['details'] as Record<string, Record<string, unknown>>;
    return { status: answer.status, reason: details?.['secpaid']?.['reason'] };
  };

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    diagnostics.subscribe(SECPAID_DIAGNOSTICS_CHANNELS.apiKeyChanged, onChange);
  });
  afterAll(async () => {
    diagnostics.unsubscribe(SECPAID_DIAGNOSTICS_CHANNELS.apiKeyChanged, onChange);
    await mock.stop();
  });
  beforeEach(async () => {
    gateway = await startRotatingKeyGateway({
      acceptedKey: KEY_A,
      upstream: mock.baseUrl,
      upstreamKey: mock.accounts[0].apiKey,
    });
    record = new RotationRecord();
    source = record.source(KEY_A);
    changes.length = 0;
  });
  afterEach(async () => {
    record.stop();
    await web?.close();
    await gateway.close();
  });

  it('switches from A to B on the first refusal: one refused request, the create sent once more, nothing with A after B', async () => {
    // A success is cached for a minute: only the key change makes the next probe check again.
    web = await startApp({ validateApiKeyOnStartup: true, health: { cacheTtlMs: 60_000 } });
    await web.service.getMyUnusedLinks();
    expect((await probe()).status).toBe(200);
    const linksBefore = mock.links.length;

    // SecPaid switches the account to B; the secret store returns B.
    gateway.accept(KEY_B);
    source.answer(KEY_B);

    const link = await web.service.createLink({ amount: 12.5, note: 'after the rotation' });
    expect(mock.links.length).toBe(linksBefore + 1); // one link: the refused create made none
    expect(mock.links.at(-1)!.id).toBe(link.id);
    await web.service.getMyUnusedLinks();
    await web.service.getPayInTransactions();

    const afterSwitch = gateway.seen.slice(gateway.seen.findIndex((seen) => seen.refused));
    expect(afterSwitch.filter((seen) => seen.refused)).toHaveLength(1);
    expect(afterSwitch.map((seen) => [seen.endpoint, seen.key])).toEqual([
      ['createLink', KEY_A],
      ['createLink', KEY_B],
      ['getMyUnusedLinks', KEY_B],
      ['getPayInTransactions', KEY_B],
    ]);
    expect(record.sentWithAfterProvided(KEY_A, KEY_B)).toBe(0);
    expect(source.reads).toBe(2); // start-up, then the one read the refusal caused

    // The probe checks the new key at once (its cached success was about A).
    const seenBeforeProbe = gateway.seen.length;
    expect((await probe()).status).toBe(200);
    expect(gateway.seen.slice(seenBeforeProbe)).toEqual([
      { key: KEY_B, caller: '', endpoint: 'getTaxInvoiceList', refused: false },
    ]);

    // Reported once: a log line and a diagnostics message, hash prefixes only.
    expect(changes).toEqual([
      {
        instance: 'default',
        previousKeyHash: hashPrefix(KEY_A),
        keyHash: hashPrefix(KEY_B),
        reason: 'refused',
      },
    ]);
    const changed = web.logger.lines.filter((line) => line.message.includes('API key changed'));
    expect(changed).toHaveLength(1);
    expect(changed[0]!.message).toContain(`${hashPrefix(KEY_A)} -> ${hashPrefix(KEY_B)}`);
    const logs = JSON.stringify(web.logger.lines);
    expect(logs).not.toContain(KEY_A);
    expect(logs).not.toContain(KEY_B);
  });

  it('calls leaving while the refusal read runs wait for it instead of being refused too', async () => {
    web = await startApp();
    gateway.accept(KEY_B);
    let release!: () => void;
    source.answer(() => new Promise<string>((resolve) => (release = () => resolve(KEY_B))));
    const first = web.service.getMyUnusedLinks();
    await waitFor(() => source.reads === 2); // refused with A; the provider is being read
    const later = [web.service.getPayInTransactions(), web.service.getMyUsedLinks()];
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await Promise.all([first, ...later]);
    expect(gateway.seen.map((seen) => [seen.key, seen.refused])).toEqual([
      [KEY_A, true],
      [KEY_B, false],
      [KEY_B, false],
      [KEY_B, false],
    ]);
  });

  it('a webhook confirmation after the switch asks SecPaid with B', async () => {
    web = await startApp();
    gateway.accept(KEY_B);
    source.answer(KEY_B);
    await web.service.getMyUnusedLinks(); // the one refusal, then B
    const link = await web.service.createLink({
      amount: 20,
      note: 'webhook after rotation',
      paymentEndpoint: `${web.origin}/secpaid/webhook`,
    });
    const confirmationsBefore = gateway.seen.filter(
      (seen) => seen.endpoint === 'getPayInTransactions',
    ).length;
    await mock.pay(link.id);
    await waitFor(() => web.handler.events.length === 1);
    expect(web.handler.events[0]).toMatchObject({ payId: link.id, confirmed: true });
    const confirmations = gateway.seen
      .filter((seen) => seen.endpoint === 'getPayInTransactions')
      .slice(confirmationsBefore);
    expect(confirmations.length).toBeGreaterThan(0);
    expect(confirmations.every((seen) => seen.key === KEY_B && !seen.refused)).toBe(true);
    expect(gateway.seen.filter((seen) => seen.refused)).toHaveLength(1);
  });

  it('the probe reports the refused key, then comes back once the provider returns B', async () => {
    web = await startApp();
    expect((await probe()).status).toBe(200);
    gateway.accept(KEY_B); // SecPaid switched; the secret store still has A
    await waitFor(async () => (await probe()).status === 503);
    expect((await probe()).reason).toBe('invalid_api_key');
    await expect(web.service.getMyUnusedLinks()).rejects.toBeInstanceOf(SecPaidAuthenticationError);
    source.answer(KEY_B); // the new key reaches the secret store
    await waitFor(async () => (await probe()).status === 200);
    await web.service.getMyUnusedLinks();
    expect(gateway.seen.at(-1)).toMatchObject({ key: KEY_B, refused: false });
    expect(record.sentWithAfterProvided(KEY_A, KEY_B)).toBe(0);
  });

  it('a raw HttpService call refused for the key has the provider read: the next raw call uses B', async () => {
    web = await startApp();
    const http = web.app.get<HttpService>(SECPAID_HTTP_SERVICE);
    gateway.accept(KEY_B);
    source.answer(KEY_B);
    const refused = await http.axiosRef
      .post('/api/v2/getMyUnusedLinks', {})
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SecPaidAuthenticationError);
    await waitFor(() => source.reads === 2);
    const answer = await http.axiosRef.post('/api/v2/getMyUnusedLinks', {});
    expect(answer.status).toBe(200);
    expect(gateway.seen.map((seen) => [seen.key, seen.refused])).toEqual([
      [KEY_A, true],
      [KEY_B, false],
    ]);
  });

  it('the refresh timer ends with the app', async () => {
    web = await startApp({ apiKeyRefreshMs: 10 });
    await waitFor(() => source.reads >= 3);
    await web.close();
    const reads = source.reads;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(source.reads).toBe(reads);
  });

  it('a per-call apiKey is never replaced nor re-read', async () => {
    web = await startApp();
    gateway.accept(KEY_B);
    source.answer(KEY_B);
    const other = 'someMerchantKey0000000000000003';
    await expect(web.service.getMyUnusedLinks(undefined, { apiKey: other })).rejects.toBeInstanceOf(
      SecPaidAuthenticationError,
    );
    expect(gateway.seen.map((seen) => seen.key)).toEqual([other]);
    expect(source.reads).toBe(1);
  });

  it.each([
    [
      'throws (its message holds the key)',
      () => {
        throw new Error(`vault refused ${KEY_B}`);
      },
      'threw (Error)',
    ],
    ['returns an invalid key format', () => `${KEY_B} with spaces`, 'not a valid API key'],
    ['hangs', () => new Promise<string>(() => undefined), 'did not answer within 1000 ms'],
  ])(
    'a provider that %s on refresh: the app keeps the last key and logs without it',
    async (_, answer, says) => {
      web = await startApp({ apiKeyRefreshMs: 20, timeoutMs: 1_000 });
      source.answer(answer);
      await waitFor(() => web.logger.lines.some((line) => line.message.includes(says)));
      await web.service.getMyUnusedLinks();
      expect(gateway.seen.at(-1)).toMatchObject({ key: KEY_A, refused: false });
      const logs = JSON.stringify(web.logger.lines);
      expect(logs).not.toContain(KEY_A);
      expect(logs).not.toContain(KEY_B);
      expect(changes).toEqual([]);
    },
  );

  it("the README's ConfigService recipe: a named forRootAsync instance reading a secret file follows it", async () => {
    const directory = await mkdtemp(join(tmpdir(), 'secpaid-key-'));
    const keyFile = join(directory, 'api-key');
    await writeFile(keyFile, `${KEY_A}\n`);
    const logger = new CapturingLogger();
    const app = await bootstrapTestApp(
      SecPaidModule.forRootAsync({
        name: 'merchant-a',
        imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ keyFile })] })],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          apiKey: async () => (await readFile(config.getOrThrow<string>('keyFile'), 'utf8')).trim(),
          apiKeyRefreshMs: 60_000,
          environment: 'development',
          baseUrl: gateway.baseUrl,
        }),
      }),
    )
      .withLogger(logger)
      .init();
    try {
      const service = app.app.get<SecPaidService>(getSecPaidServiceToken('merchant-a'));
      await service.getMyUnusedLinks();
      gateway.accept(KEY_B);
      await writeFile(keyFile, `${KEY_B}\n`);
      await service.getMyUnusedLinks();
      expect(gateway.seen.map((seen) => [seen.key, seen.refused])).toEqual([
        [KEY_A, false],
        [KEY_A, true],
        [KEY_B, false],
      ]);
      expect(changes).toMatchObject([{ instance: 'merchant-a', reason: 'refused' }]);
      expect(logger.lines.map((line) => line.message)).toContainEqual(
        `SecPaid API key of instance 'merchant-a' changed (after SecPaid refused the key): key hash ${hashPrefix(KEY_A)} -> ${hashPrefix(KEY_B)}`,
      );
    } finally {
      await app.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('start-up fails with a clear error when the provider cannot give a valid key', async () => {
    source.answer(() => 'not a key');
    const error = await bootstrapTestApp(
      SecPaidModule.forRoot({
        apiKey: source.provider,
        environment: 'development',
        baseUrl: gateway.baseUrl,
      }),
    )
      .init()
      .then(
        (app) => app.close(),
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(SecPaidConfigurationError);
    expect((error as Error).message).toContain('apiKey could not be read from its provider');
    expect((error as Error).message).not.toContain('not a key');
    expect(gateway.seen).toEqual([]);
  });
});
