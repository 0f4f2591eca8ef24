import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from '@jest/globals';
import { SecPaidConfigurationError } from '../../lib/core/secpaid.errors.js';
import {
  SecPaidApiKeyHolder,
  type SecPaidApiKeyChange,
  type SecPaidApiKeyHolderOptions,
  type SecPaidApiKeyProvider,
} from '../../lib/options/api-key.holder.js';
import { waitFor } from '../support/wait-for.js';

const KEY_A = 'rotation-key-A-0123456789';
const KEY_B = 'rotation-key-B-9876543210';

const hashPrefix = (key: string): string =>
  createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 8);

/** A provider whose answer the test changes, counting its calls. */
function switchable(initial: string | (() => string | Promise<string>)) {
  let answer: () => string | Promise<string> =
    typeof initial === 'function' ? initial : () => initial;
  const state = {
    calls: 0,
    provider: (() => {
      state.calls++;
      return answer();
    }) as SecPaidApiKeyProvider,
    answer(next: string | (() => string | Promise<string>)) {
      answer = typeof next === 'function' ? next : () => next;
    },
  };
  return state;
}

describe('SecPaidApiKeyHolder: the one keeper of an instance API key', () => {
  const holders: SecPaidApiKeyHolder[] = [];
  const lines: { level: string; message: string }[] = [];
  const changes: SecPaidApiKeyChange[] = [];
  const options = (
    extra: Partial<SecPaidApiKeyHolderOptions> = {},
  ): SecPaidApiKeyHolderOptions => ({
    refreshMs: 0,
    readTimeoutMs: 1_000,
    logger: {
      log: (message) => lines.push({ level: 'log', message }),
      warn: (message) => lines.push({ level: 'warn', message }),
    },
    onChange: (change) => changes.push(change),
    ...extra,
  });
  const start = async (
    source: Parameters<typeof SecPaidApiKeyHolder.start>[0],
    extra?: Partial<SecPaidApiKeyHolderOptions>,
  ): Promise<SecPaidApiKeyHolder> => {
    const holder = await SecPaidApiKeyHolder.start(source, options(extra));
    holders.push(holder);
    return holder;
  };
  afterEach(() => {
    for (const holder of holders.splice(0)) holder.close();
    lines.length = 0;
    changes.length = 0;
  });

  describe('a string key', () => {
    it('is held as is, never re-read, and a refusal offers no other key', async () => {
      const holder = await start(KEY_A);
      expect(holder.current()).toBe(KEY_A);
      expect(holder.rotates).toBe(false);
      expect(holder.keyHash).toBe(createHash('sha256').update(KEY_A).digest('hex'));
      await expect(holder.refused(KEY_A)).resolves.toBe(false);
      await expect(holder.read()).resolves.toBe(false);
    });

    it('fails start-up with the API-key rule when it is not a valid key, without the value', async () => {
      const error = await SecPaidApiKeyHolder.start('bad key\r\n', options()).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SecPaidConfigurationError);
      expect(String((error as Error).message)).toContain('apiKey');
      expect(String((error as Error).message)).not.toContain('bad key');
    });
  });

  describe('start-up with a provider', () => {
    it('reads the key once, awaiting a promise', async () => {
      const source = switchable(() => Promise.resolve(KEY_A));
      const holder = await start(source.provider);
      expect(holder.current()).toBe(KEY_A);
      expect(holder.rotates).toBe(true);
      expect(source.calls).toBe(1);
    });

    it.each([
      [
        'throws (its message quotes the key)',
        () => {
          throw new Error(`cannot use ${KEY_A}`);
        },
        'threw (Error)',
      ],
      ['returns an invalid key', () => 'two words', 'not a valid API key'],
      ['returns a non-string', () => 42 as unknown as string, 'not a valid API key'],
      ['hangs', () => new Promise<string>(() => undefined), 'did not answer within 50 ms'],
    ])('fails start-up with a clear apiKey error when the provider %s', async (_, answer, says) => {
      const error = await SecPaidApiKeyHolder.start(
        answer as SecPaidApiKeyProvider,
        options({ readTimeoutMs: 50 }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecPaidConfigurationError);
      const { message } = error as Error;
      expect(message).toContain('apiKey could not be read from its provider');
      expect(message).toContain(says);
      expect(message).not.toContain(KEY_A);
      expect(message).not.toContain('two words');
    });
  });

  describe('refresh', () => {
    it('re-reads every refreshMs; a change is logged once with hash prefixes only and reported', async () => {
      const source = switchable(KEY_A);
      const holder = await start(source.provider, { refreshMs: 10 });
      await waitFor(() => source.calls >= 3);
      expect(changes).toEqual([]);
      source.answer(KEY_B);
      await waitFor(() => holder.current() === KEY_B);
      await waitFor(() => source.calls >= 6);
      expect(changes).toEqual([
        { previousKeyHash: hashPrefix(KEY_A), keyHash: hashPrefix(KEY_B), reason: 'refresh' },
      ]);
      const changed = lines.filter((line) => line.message.includes('changed'));
      expect(changed).toHaveLength(1);
      expect(changed[0]!.message).toContain(`${hashPrefix(KEY_A)} -> ${hashPrefix(KEY_B)}`);
      expect(JSON.stringify(lines)).not.toContain(KEY_A);
      expect(JSON.stringify(lines)).not.toContain(KEY_B);
      expect(holder.knownKeys()).toEqual([KEY_B, KEY_A]);
    });

    it('stops reading once closed', async () => {
      const source = switchable(KEY_A);
      const holder = await start(source.provider, { refreshMs: 5 });
      await waitFor(() => source.calls >= 2);
      holder.close();
      const calls = source.calls;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(source.calls).toBe(calls);
      await expect(holder.refused(KEY_A)).resolves.toBe(false);
    });
  });

  describe('a failed refresh keeps the last good key', () => {
    it.each([
      [
        'throws with the new key in its message',
        () => {
          throw new TypeError(`secret manager said ${KEY_B}`);
        },
        'threw (TypeError)',
      ],
      ['rejects with a non-Error', () => Promise.reject(KEY_B), 'threw (string)'],
      ['hangs', () => new Promise<string>(() => undefined), 'did not answer within 50 ms'],
      ['returns an invalid key format', () => `${KEY_B} \n`, 'not a valid API key'],
    ])('when the provider %s: warns without the key, keeps using it', async (_, answer, says) => {
      const source = switchable(KEY_A);
      const holder = await start(source.provider, { readTimeoutMs: 50 });
      source.answer(answer);
      await expect(holder.read()).resolves.toBe(false);
      expect(holder.current()).toBe(KEY_A);
      expect(changes).toEqual([]);
      const warnings = lines.filter((line) => line.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toContain(says);
      expect(warnings[0]!.message).toContain(hashPrefix(KEY_A));
      expect(JSON.stringify(lines)).not.toContain(KEY_A);
      expect(JSON.stringify(lines)).not.toContain(KEY_B);
      // The provider recovers: the next read takes the new key.
      source.answer(KEY_B);
      await expect(holder.read()).resolves.toBe(true);
      expect(holder.current()).toBe(KEY_B);
    });
  });

  it('a read is not timed out by an event loop that was blocked (an app starting up): the provider gets its turn', async () => {
    const source = switchable(KEY_A);
    const holder = await start(source.provider, { readTimeoutMs: 50 });
    source.answer(() => new Promise<string>((resolve) => setTimeout(() => resolve(KEY_B), 10)));
    const reading = holder.read();
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // synchronous work past the read's deadline, as a large app's bootstrap does
    }
    await expect(reading).resolves.toBe(true);
    expect(lines.filter((line) => line.level === 'warn')).toEqual([]);
  });

  describe('refusals', () => {
    it('a refusal of the current key reads the provider at once; concurrent refusals share one read', async () => {
      const source = switchable(KEY_A);
      const holder = await start(source.provider);
      let release!: () => void;
      source.answer(() => new Promise<string>((resolve) => (release = () => resolve(KEY_B))));
      const refusals = Array.from({ length: 20 }, () => holder.refused(KEY_A));
      await waitFor(() => release !== undefined);
      release();
      await expect(Promise.all(refusals)).resolves.toEqual(Array(20).fill(true));
      expect(source.calls).toBe(2); // start-up + one shared read
      expect(changes).toEqual([
        { previousKeyHash: hashPrefix(KEY_A), keyHash: hashPrefix(KEY_B), reason: 'refused' },
      ]);
    });

    it('refusalRead() is the read a refusal started, while it runs (a periodic read is not one)', async () => {
      const source = switchable(KEY_A);
      const holder = await start(source.provider);
      let release: (() => void) | undefined;
      source.answer(() => new Promise<string>((resolve) => (release = () => resolve(KEY_B))));
      const periodic = holder.read();
      await waitFor(() => release !== undefined);
      expect(holder.refusalRead()).toBeUndefined();
      release!();
      await periodic;
      release = undefined;
      source.answer(() => new Promise<string>((resolve) => (release = () => resolve(KEY_A))));
      const refusal = holder.refused(KEY_B);
      await waitFor(() => release !== undefined);
      expect(holder.refusalRead()).toBeInstanceOf(Promise);
      release!();
      await expect(refusal).resolves.toBe(true);
      expect(holder.refusalRead()).toBeUndefined();
    });

    it('a refusal of a key that is no longer current needs no read', async () => {
      const source = switchable(KEY_A);
      const holder = await start(source.provider);
      source.answer(KEY_B);
      await holder.read();
      const calls = source.calls;
      await expect(holder.refused(KEY_A)).resolves.toBe(true);
      expect(source.calls).toBe(calls);
    });

    it('reads for refusals at most once per minRefusedReadIntervalMs (a wrong key is not a provider storm)', async () => {
      let now = 1_000_000;
      const source = switchable(KEY_A);
      const holder = await start(source.provider, {
        minRefusedReadIntervalMs: 5_000,
        now: () => now,
      });
      await expect(holder.refused(KEY_A)).resolves.toBe(false); // read: still A
      expect(source.calls).toBe(2);
      for (let i = 0; i < 50; i++) await expect(holder.refused(KEY_A)).resolves.toBe(false);
      now += 4_999;
      await expect(holder.refused(KEY_A)).resolves.toBe(false);
      expect(source.calls).toBe(2);
      now += 1;
      source.answer(KEY_B);
      await expect(holder.refused(KEY_A)).resolves.toBe(true);
      expect(source.calls).toBe(3);
    });
  });

  it('never shows the key: inspect, JSON, own keys', async () => {
    const holder = await start(switchable(KEY_A).provider);
    expect(inspect(holder, { showHidden: true, depth: 5 })).not.toContain(KEY_A);
    expect(JSON.stringify({ holder })).not.toContain(KEY_A);
    expect(Object.getOwnPropertyNames(holder)).toEqual([]);
    expect(JSON.stringify(Object.entries(holder))).not.toContain(KEY_A);
  });
});
