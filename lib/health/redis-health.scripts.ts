import { RedisScript } from '../redis/redis-script.js';

/**
 * Reads the shared readiness result or elects this caller to produce it (single flight across
 * processes). KEYS: [1] result, [2] lock; ARGV: lock token, lock TTL ms.
 * Returns `{'result', json, pttl}`, `{'lead'}` or `{'wait', lockPttl}`.
 */
export const READ_OR_LEAD_SCRIPT = new RedisScript(`
local value = redis.call('GET', KEYS[1])
if value then return {'result', value, tostring(redis.call('PTTL', KEYS[1]))} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'lead'} end
return {'wait', tostring(redis.call('PTTL', KEYS[2]))}
`);

/**
 * Publishes a readiness result and drops the lock if still ours.
 * KEYS: [1] result, [2] lock; ARGV: result json, TTL ms, lock token.
 */
export const PUBLISH_SCRIPT = new RedisScript(`
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1
`);
