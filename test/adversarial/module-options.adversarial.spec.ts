import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import {
  SecPaidConfigurationError,
  SecPaidModule,
  type SecPaidModuleOptions,
} from '../../lib/index.js';

// Issue 15, defect 2 (module options): a typo'd key used to boot with the default silently,
// and a timeout above Node's timer limit made every call time out at once.
const SECRET = 'sk_live_optionsMustNotLeak42';

/** Boots with `options` returned by a factory, exactly as given (forRoot copies them first). */
async function bootError(options: unknown): Promise<SecPaidConfigurationError> {
  const error = await Test.createTestingModule({
    imports: [SecPaidModule.forRootAsync({ useFactory: () => options as SecPaidModuleOptions })],
  })
    .compile()
    .then(
      async (moduleRef) => {
        await moduleRef.close();
        return undefined;
      },
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(SecPaidConfigurationError);
  expect(String((error as Error).message)).not.toContain(SECRET);
  return error as SecPaidConfigurationError;
}

function fieldsOf(error: SecPaidConfigurationError): string[] {
  return error.issues.map((issue) => issue.field);
}

describe('unknown module option keys fail the bootstrap, naming the key', () => {
  it('forRoot({ ..., ratelimit: false }) names `ratelimit`', async () => {
    const error = await Test.createTestingModule({
      imports: [
        SecPaidModule.forRoot({
          apiKey: SECRET,
          environment: 'production',
          ratelimit: false,
        } as SecPaidModuleOptions),
      ],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecPaidConfigurationError);
    expect((error as SecPaidConfigurationError).issues).toEqual([
      { field: 'ratelimit', message: 'is not a known option' },
    ]);
  });

  it('names unknown nested keys and an own __proto__ key (forRootAsync passes it as is)', async () => {
    const error = await bootError({
      apiKey: SECRET,
      environment: 'production',
      health: { timeoutMS: 1000 },
      webhooks: { encryptionkey: 'x' },
      rateLimit: { requestPerMinute: 10, requestsPerMinute: 10 },
      ...(JSON.parse('{"__proto__":{"timeoutMs":1}}') as object),
    });
    expect(Object.hasOwn(JSON.parse('{"__proto__":{}}') as object, '__proto__')).toBe(true);
    expect(fieldsOf(error).sort()).toEqual(
      [
        '__proto__',
        'health.timeoutMS',
        'rateLimit.requestPerMinute',
        'webhooks.encryptionkey',
      ].sort(),
    );
  });
});

describe('timeouts above 2^31-1 ms fail the bootstrap', () => {
  it.each([
    [{ timeoutMs: 2 ** 31 }, 'timeoutMs'],
    [{ health: { timeoutMs: 2 ** 31 } }, 'health.timeoutMs'],
  ])('%j', async (extra, field) => {
    const error = await bootError({ apiKey: SECRET, environment: 'production', ...extra });
    expect(fieldsOf(error)).toEqual([field]);
  });

  it('2^31-1 itself is accepted', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SecPaidModule.forRoot({
          apiKey: SECRET,
          environment: 'production',
          timeoutMs: 2 ** 31 - 1,
          health: { timeoutMs: 2 ** 31 - 1 },
        }),
      ],
    }).compile();
    await moduleRef.close();
  });
});

describe('options that throw while being read', () => {
  it('a throwing getter is a SecPaidConfigurationError', async () => {
    const options = {
      environment: 'production',
      get apiKey(): string {
        throw new TypeError('vault unavailable');
      },
    };
    const error = await bootError(options);
    expect(fieldsOf(error)).toEqual(['options']);
  });
});
