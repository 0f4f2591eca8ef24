import { SecPaidSecret } from '../core/secret.value.js';
import { randomUUID } from 'node:crypto';
import {
  RedisUnavailableError,
  type SecPaidRedisCoordinator,
} from '../redis/secpaid-redis.coordinator.js';
import type { SecPaidApiKeyHolder } from '../options/api-key.holder.js';
import type { ApiKeyCheckOutcome, SharedApiKeyCheckOutcome } from './api-key-check.cache.js';
import type { SecPaidHealthDownReason } from '../service/key-verification-failure.reason.js';
import { RedisScript } from '../redis/redis-script.js';

/**
 * Reads the shared readiness result or elects this caller to produce it (single flight across
 * processes). KEYS: [1] result, [2] lock; ARGV: lock token, lock TTL ms.
 * Returns `{'result', json, pttl}`, `{'lead'}` or `{'wait', lockPttl}`.
 */
const READ_OR_LEAD_SCRIPT = new RedisScript(`
local value = redis.call('GET', KEYS[1])
if value then return {'result', value, tostring(redis.call('PTTL', KEYS[1]))} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'lead'} end
return {'wait', tostring(redis.call('PTTL', KEYS[2]))}
`);

/**
 * Publishes a readiness result and drops the lock if still ours.
 * KEYS: [1] result, [2] lock; ARGV: result json, TTL ms, lock token.
 */
const PUBLISH_SCRIPT = new RedisScript(`
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1
`);

/** Settings of `SharedApiKeyCheck`. */
export interface SharedApiKeyCheckOptions {
  successTtlMs: number;
  failureTtlMs: number;
  /** Upper bound of one real check (`health.timeoutMs`): the lock lives a little longer. */
  checkTimeoutMs: number;
}

/** How often a replica that lost the election looks for the winner's result. */
const WAIT_STEP_MS = 50;

const REASONS: ReadonlySet<string> = new Set<SecPaidHealthDownReason>([
  'invalid_api_key',
  'timeout',
  'unreachable',
  'rate_limited',
  'server_error',
  'unexpected_response',
]);

/**
 * The readiness check shared through Redis: one replica runs the real check per TTL (a
 * `SET NX` lock elects it), the others read its result. The result carries its remaining TTL,
 * so local caches expire together with the shared one. Redis unavailable, or a leader that
 * does not publish in time: this replica checks for itself.
 */
export class SharedApiKeyCheck {
  constructor(
    private readonly redis: SecPaidRedisCoordinator,
    /** Read per check: the shared result lives under the current key's hash. */
    private readonly keys: Pick<SecPaidApiKeyHolder, 'current'>,
    private readonly verify: () => Promise<ApiKeyCheckOutcome>,
    private readonly options: SharedApiKeyCheckOptions,
  ) {}

  /** The shared result (with `sharedTtlMs`), or a fresh outcome this replica produced. */
  async run(): Promise<SharedApiKeyCheckOutcome> {
    if (this.options.successTtlMs <= 0) return this.verify();
    const keyspace = this.redis.keyspace(SecPaidSecret.of(this.keys.current()));
    const keys = [keyspace.key('health'), keyspace.key('health:lock')];
    const token = randomUUID();
    const lockTtlMs = this.options.checkTimeoutMs + 1_000;
    let reply: unknown;
    try {
      reply = await this.redis.eval(READ_OR_LEAD_SCRIPT, keys, [token, lockTtlMs]);
    } catch (error) {
      if (error instanceof RedisUnavailableError) return this.verify();
      throw error;
    }
    const [kind, first, second] = Array.isArray(reply) ? (reply as unknown[]).map(String) : [];
    if (kind === 'result') return decode(first, Number(second)) ?? this.verify();
    if (kind === 'wait') return (await this.awaitLeader(keys[0]!, Number(first))) ?? this.verify();

    const outcome = await this.verify();
    const ttlMs = outcome.up ? this.options.successTtlMs : this.options.failureTtlMs;
    if (ttlMs > 0) {
      await this.redis
        .eval(PUBLISH_SCRIPT, keys, [encode(outcome), ttlMs, token])
        .catch(() => undefined);
    }
    return outcome;
  }

  /** Reads the result key until the leader publishes or its lock would have expired. */
  private async awaitLeader(
    resultKey: string,
    lockTtlMs: number,
  ): Promise<SharedApiKeyCheckOutcome | undefined> {
    const deadline =
      Date.now() + Math.min(Math.max(lockTtlMs, 0), this.options.checkTimeoutMs + 1_000);
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
      try {
        const value = await this.redis.command(['GET', resultKey]);
        if (typeof value !== 'string') continue;
        const pttl = await this.redis.command(['PTTL', resultKey]);
        return decode(value, Number(pttl));
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}

function encode(outcome: ApiKeyCheckOutcome): string {
  return JSON.stringify(
    outcome.up
      ? { up: true, latencyMs: outcome.latencyMs, checkedAt: outcome.checkedAt.getTime() }
      : { up: false, reason: outcome.reason, checkedAt: outcome.checkedAt.getTime() },
  );
}

/** Known fields only, checked: a value in Redis is input like any other. */
function decode(value: string | undefined, ttlMs: number): SharedApiKeyCheckOutcome | undefined {
  if (value === undefined || !(ttlMs > 0)) return undefined;
  try {
    const record = JSON.parse(value) as Record<string, unknown>;
    const checkedAt = new Date(Number(record['checkedAt']));
    if (Number.isNaN(checkedAt.getTime())) return undefined;
    if (record['up'] === true && typeof record['latencyMs'] === 'number') {
      return { up: true, latencyMs: record['latencyMs'], checkedAt, sharedTtlMs: ttlMs };
    }
    const reason = record['reason'];
    if (record['up'] === false && typeof reason === 'string' && REASONS.has(reason)) {
      return {
        up: false,
        reason: reason as SecPaidHealthDownReason,
        checkedAt,
        sharedTtlMs: ttlMs,
      };
    }
  } catch {
    // unreadable: treated as absent
  }
  return undefined;
}
