import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Controller,
  Get,
  Injectable,
  type INestApplication,
  type LoggerService,
} from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { inspect } from 'node:util';
import { SecPaidHealthIndicator, SecPaidHealthModule } from '../../lib/health/index.js';
import {
  SecPaidModule,
  SecPaidService,
  SecPaidWebhookHandler,
  getSecPaidServiceToken,
  type SecPaidModuleOptions,
} from '../../lib/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { SECPAID_WEBHOOK_TUNING } from '../../lib/secpaid.constants.js';
import { InMemoryOpenTelemetry } from '../support/in-memory-otel.sdk.js';
import { RedisServerProcess, dumpRedis } from '../support/redis-server.process.js';
import { bootstrapTestApp, type TestAppAdapter } from '../support/test-app.builder.js';
import { FAST_TUNING, get, post } from '../support/webhook-app.harness.js';
import { JSON_TYPE, OTHER_KEY, encrypt, nestedPayload } from '../support/webhook.fixtures.js';

/**
 * The secret walk: a booted app with a default and a named instance, webhooks (encrypted),
 * health, Redis (a password in the URL of one instance, an app-owned ioredis client with the
 * password in its options for the other) and per-call keys used, then every provider
 * instance through deep `util.inspect` and `JSON.stringify`, every log line at every level,
 * every error with its cause chain, every span, every Redis key and value, and every HTTP
 * answer the app gave: none holds an API key, the encryption key or the Redis password.
 */
const MODULE_KEY = 'walkModuleKey0000000000000000001';
const NAMED_KEY = 'walkNamedKey00000000000000000002';
const PER_CALL_KEY = 'walkPerCallKey000000000000000003';
const UNKNOWN_KEY = 'walkUnknownKey000000000000000004';
const ENCRYPTION_KEY = 'walkEncryptionKey0123456789abcde';
const REDIS_PASSWORD = 'walkRedisPassword0000000000000005';
const SECRETS = [MODULE_KEY, NAMED_KEY, PER_CALL_KEY, UNKNOWN_KEY, ENCRYPTION_KEY, REDIS_PASSWORD];

/** The secrets found in `text` (empty when none). */
function secretsIn(text: string): string[] {
  return SECRETS.filter((secret) => text.includes(secret));
}

/** Every level Nest has, each line with all its arguments. */
class EveryLevelLogger implements LoggerService {
  readonly lines: { level: string; text: string }[] = [];
  private record(level: string, args: unknown[]): void {
    this.lines.push({ level, text: args.map((arg) => inspect(arg, { depth: 10 })).join(' ') });
  }
  log(...args: unknown[]): void {
    this.record('log', args);
  }
  error(...args: unknown[]): void {
    this.record('error', args);
  }
  warn(...args: unknown[]): void {
    this.record('warn', args);
  }
  debug(...args: unknown[]): void {
    this.record('debug', args);
  }
  verbose(...args: unknown[]): void {
    this.record('verbose', args);
  }
  fatal(...args: unknown[]): void {
    this.record('fatal', args);
  }
}

@Controller('health')
class ReadinessController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly secpaid: SecPaidHealthIndicator,
  ) {}

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.secpaid.isHealthy('secpaid'),
      () => this.secpaid.isHealthy('named', { instance: 'named' }),
    ]);
  }
}

@Injectable()
class Handler {
  events = 0;
  @SecPaidWebhookHandler()
  handle(): void {
    this.events++;
  }
}

/** JSON of anything: cycles cut, bigints as text, a throwing `toJSON` noted, never thrown. */
function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'bigint') return item.toString();
      if (typeof item === 'object' && item !== null) {
        if (seen.has(item)) return '[cycle]';
        seen.add(item);
      }
      return item;
    });
  } catch (error) {
    return `[unserialisable: ${(error as Error).name}]`;
  }
}

/** Every provider, controller and injectable instance of every module of the app. */
function everyInstance(app: INestApplication): { where: string; instance: unknown }[] {
  const found: { where: string; instance: unknown }[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrappers of [module.providers, module.controllers, module.injectables]) {
      for (const [token, wrapper] of wrappers) {
        if (wrapper.instance === undefined || wrapper.instance === null) continue;
        found.push({
          where: `${module.metatype?.name ?? '?'} / ${String(typeof token === 'function' ? token.name : token)}`,
          instance: wrapper.instance,
        });
      }
    }
  }
  return found;
}

/**
 * Every place a secret is reachable from `roots` as a value: own properties (enumerable or
 * not, symbols too), Map and Set entries, array items, the bytes of buffers; getters are not
 * called and closures cannot be reached (as for `util.inspect`, which shows no more). Each
 * object is visited once across all roots, so the whole app graph is walked in one pass, to
 * any depth; a find names its path.
 */
function secretPaths(roots: { where: string; instance: unknown }[]): string[] {
  const found: string[] = [];
  const visited = new WeakSet<object>();
  const queue: { value: unknown; path: string }[] = roots.map(({ where, instance }) => ({
    value: instance,
    path: where,
  }));
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      for (const secret of secretsIn(value)) found.push(`${path}: ${secret}`);
      continue;
    }
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) continue;
    if (visited.has(value)) continue;
    visited.add(value);
    if (ArrayBuffer.isView(value)) {
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      for (const secret of secretsIn(bytes.toString('latin1'))) found.push(`${path}: ${secret}`);
      continue;
    }
    try {
      if (value instanceof Map) {
        for (const [key, item] of value) {
          const label = typeof key === 'object' ? typeof key : String(key);
          queue.push(
            { value: key, path: `${path}.<key>` },
            { value: item, path: `${path}.<${label}>` },
          );
        }
      }
      if (value instanceof Set)
        for (const item of value) queue.push({ value: item, path: `${path}.<item>` });
    } catch {
      // A Map or Set subclass that cannot be iterated from here: its own properties still are.
    }
    for (const key of Reflect.ownKeys(value)) {
      // The async context a promise was made in is Jest's (its test results), not the app's.
      if (typeof key === 'symbol' && key.description === 'kResourceStore') continue;
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined || !('value' in descriptor)) continue;
      queue.push({ value: descriptor.value, path: `${path}.${String(key)}` });
    }
  }
  return found;
}

/** The error and every `cause` below it, through every printed form. */
function errorForms(error: unknown): string[] {
  const forms: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 10; depth++) {
    forms.push(
      inspect(current, { depth: Infinity, showHidden: true }),
      safeJson(current),
      String(current),
      (current as Error)?.stack ?? '',
    );
    current = (current as { cause?: unknown })?.cause;
  }
  return forms;
}

const ADAPTERS: TestAppAdapter[] = ['express', 'fastify'];

describe.each(ADAPTERS)('no secret anywhere (%s)', (adapter) => {
  let redis: RedisServerProcess;
  let mock: SecPaidMockServer;
  let otel: InMemoryOpenTelemetry;
  let appClient: Redis;
  let app: INestApplication;
  let origin: string;
  const logger = new EveryLevelLogger();
  const errors: unknown[] = [];
  const answers: string[] = [];

  /** Runs `call`; keeps its error (calls are expected to fail or succeed, both are walked). */
  async function attempt(call: () => Promise<unknown>): Promise<void> {
    await call().catch((error: unknown) => errors.push(error));
  }

  beforeAll(async () => {
    otel = InMemoryOpenTelemetry.install();
    redis = await RedisServerProcess.start({ password: REDIS_PASSWORD });
    mock = await SecPaidMockServer.start({
      rateLimit: false,
      accounts: [
        { apiKey: MODULE_KEY, encryptionKey: ENCRYPTION_KEY },
        { apiKey: NAMED_KEY },
        { apiKey: PER_CALL_KEY },
      ],
    });
    // An app-owned client: its options (with the password) show in its own inspect/JSON.
    appClient = new Redis({ host: '127.0.0.1', port: redis.port, password: REDIS_PASSWORD });
    await new Promise((resolve) => appClient.once('ready', resolve));
    const base: Omit<SecPaidModuleOptions, 'apiKey'> = {
      environment: 'development',
      baseUrl: mock.baseUrl,
      maxRetries: 1,
      timeoutMs: 2_000,
      rateLimit: { requestsPerMinute: 600 },
    };
    const web = await bootstrapTestApp(
      TerminusModule,
      SecPaidModule.forRoot({
        ...base,
        apiKey: MODULE_KEY,
        validateApiKeyOnStartup: true,
        webhooks: { encryptionKey: ENCRYPTION_KEY, confirmCallsPerMinute: 60 },
        redis: { url: redis.url, keyPrefix: 'walk:' },
      }),
      SecPaidModule.forRootAsync({
        name: 'named',
        useFactory: () => ({
          ...base,
          apiKey: NAMED_KEY,
          webhooks: { path: 'named/webhook' },
          redis: { client: appClient, keyPrefix: 'walk-named:' },
        }),
      }),
      SecPaidHealthModule,
    )
      .withControllers(ReadinessController)
      .withProviders(Handler)
      .override(SECPAID_WEBHOOK_TUNING, FAST_TUNING)
      .withAdapter(adapter)
      .withLogger(logger)
      .listen();
    app = web.app;
    origin = web.origin;

    const service = app.get(SecPaidService);
    const named = app.get<SecPaidService>(getSecPaidServiceToken('named'));
    const webhookUrl = `${origin}/secpaid/webhook`;

    // Ordinary traffic: both instances, a per-call key, an encrypted webhook confirmed.
    const link = await service.createLink({
      amount: 12.5,
      note: 'walk',
      paymentEndpoint: webhookUrl,
    });
    await mock.pay(link.id);
    await named.getMyUnusedLinks();
    await service.getMyUnusedLinks({ limit: 5 }, { apiKey: PER_CALL_KEY });
    await service.createLink({ amount: 1 }, { apiKey: PER_CALL_KEY });
    await service.verifyApiKey();
    answers.push((await get(`${origin}/health/ready`)).body);

    // Failures: an unknown per-call key, a malformed one, answers that echo the key, a 500,
    // a reset connection, and webhooks that cannot be accepted.
    await attempt(() => service.getMyUnusedLinks(undefined, { apiKey: UNKNOWN_KEY }));
    await attempt(() => service.getMyUnusedLinks(undefined, { apiKey: `${UNKNOWN_KEY} x` }));
    mock.injectFault({
      endpoint: 'getMyUnusedLinks',
      times: 2,
      status: 400,
      body: { ResponseCode: 0, ResponseMsg: `Invalid token ${MODULE_KEY} / ${PER_CALL_KEY}` },
    });
    await attempt(() => service.getMyUnusedLinks());
    await attempt(() => service.getMyUnusedLinks(undefined, { apiKey: PER_CALL_KEY }));
    mock.injectFault({ endpoint: 'getTaxInvoiceList', body: `not json ${MODULE_KEY}` });
    await attempt(() => service.getTaxInvoiceList());
    mock.injectFault({ endpoint: 'getPayInTransactions', times: 2, status: 500 });
    await attempt(() => service.getPayInTransactions());
    mock.injectFault({ endpoint: 'getPayOutTransactions', times: 2, drop: 'reset' });
    await attempt(() => service.getPayOutTransactions(undefined, { apiKey: PER_CALL_KEY }));
    await attempt(() => service.createLink({ amount: 1, note: 'bad\u0000' }));
    const forged = JSON.stringify({
      data: encrypt(JSON.stringify(nestedPayload(link.id)), OTHER_KEY),
    });
    answers.push((await post(webhookUrl, forged, JSON_TYPE)).body);
    answers.push((await post(webhookUrl, JSON.stringify(nestedPayload(link.id)), JSON_TYPE)).body);
    answers.push((await post(`${origin}/named/webhook`, 'x', JSON_TYPE)).body);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    appClient?.disconnect();
    await mock?.stop();
    await redis?.stop();
    await otel?.uninstall();
  });

  it('the app did what it should (the walk covers real work)', () => {
    expect(app.get(Handler).events).toBe(1);
    expect(errors.length).toBeGreaterThanOrEqual(7);
    expect(logger.lines.some((line) => line.level === 'debug')).toBe(true);
    expect(logger.lines.some((line) => line.level === 'warn')).toBe(true);
    expect(otel.spans.getFinishedSpans().length).toBeGreaterThan(5);
  });

  it('every Redis key and value', async () => {
    const client = await redis.client();
    try {
      const dump = await dumpRedis(client);
      expect(dump).toContain('walk:'); // the module did write there
      expect(dump).toContain('walk-named:');
      expect(secretsIn(dump)).toEqual([]);
    } finally {
      client.destroy();
    }
  });

  it('every provider instance: every value it reaches, and its inspect and JSON forms', () => {
    const instances = everyInstance(app);
    expect(instances.length).toBeGreaterThan(20);
    const leaks = secretPaths(instances);
    for (const { where, instance } of instances) {
      const printed = inspect(instance, { depth: 6, showHidden: true }) + safeJson(instance);
      for (const secret of secretsIn(printed)) leaks.push(`${where} (printed): ${secret}`);
    }
    expect(leaks).toEqual([]);
  });

  it('every log line at every level', () => {
    const leaks = logger.lines.filter((line) => secretsIn(line.text).length > 0);
    expect(leaks).toEqual([]);
  });

  it('every error and its cause chain', () => {
    const leaks = errors.flatMap((error) => secretsIn(errorForms(error).join('\n')));
    expect(leaks).toEqual([]);
  });

  it('every span: name, attributes, events, status', () => {
    const spans = otel.spans.getFinishedSpans().map((span) =>
      safeJson({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        status: span.status,
        links: span.links,
      }),
    );
    expect(spans.flatMap(secretsIn)).toEqual([]);
  });

  it('every HTTP answer of the app (health, webhooks)', () => {
    expect(answers.flatMap(secretsIn)).toEqual([]);
  });
});
