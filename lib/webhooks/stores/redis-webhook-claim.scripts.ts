import { RedisScript } from '../../redis/redis-script.js';

/**
 * Claims an event: KEYS [1] claim key; ARGV: token, claim TTL ms.
 * Returns `claimed`, `processing` or `done`. Values are `done` or `processing:<token>`.
 */
export const CLAIM_SCRIPT = new RedisScript(`
local value = redis.call('GET', KEYS[1])
if not value then
  redis.call('SET', KEYS[1], 'processing:' .. ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if value == 'done' then return 'done' end
return 'processing'
`);

/** Frees a claim only if `token` (ARGV[1]) still holds it: KEYS [1] claim key. */
export const RELEASE_SCRIPT = new RedisScript(`
if redis.call('GET', KEYS[1]) == 'processing:' .. ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);
