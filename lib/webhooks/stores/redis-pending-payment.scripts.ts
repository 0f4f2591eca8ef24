import { RedisScript } from '../../redis/redis-script.js';

/**
 * Lua scripts of the Redis pending-payment store. Every script gets the same KEYS:
 * [1] entries (hash: key -> entry JSON), [2] due (zset: key by next check time),
 * [3] order (zset: key by arrival number, for eviction), [4] expiry (zset: key by the time
 * Redis forgets it), [5] checks (hash: key -> re-checks made, `leased:<n>` while a round holds
 * it).
 * ARGV[1] is always the caller's clock in ms. Each script first forgets entries past their
 * expiry and ends by setting every key's TTL to the last entry's expiry, so the set vanishes
 * on its own when no replica is alive to report it.
 */
const PRELUDE = `
local now = tonumber(ARGV[1])
local function forget(key)
  redis.call('HDEL', KEYS[1], key)
  redis.call('ZREM', KEYS[2], key)
  redis.call('ZREM', KEYS[3], key)
  redis.call('ZREM', KEYS[4], key)
  redis.call('HDEL', KEYS[5], key)
end
local function touch()
  local last = redis.call('ZRANGE', KEYS[4], -1, -1, 'WITHSCORES')
  if #last == 0 then
    redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
    return
  end
  local ttl = math.max(1000, math.floor(tonumber(last[2]) - now))
  for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], ttl) end
end
for _, key in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now)) do forget(key) end
`;

/**
 * Adds an entry unless pending, then evicts the oldest beyond the bound, in one step.
 * ARGV: now, key, entry JSON, next check time, expiry time, max entries, checks.
 * Returns `[added (0/1), evicted JSON ...]`.
 */
export const ADD_PENDING_SCRIPT = new RedisScript(`${PRELUDE}
local key = ARGV[2]
if redis.call('HEXISTS', KEYS[1], key) == 1 then return {0} end
redis.call('HSET', KEYS[1], key, ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], key)
local last = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
redis.call('ZADD', KEYS[3], (tonumber(last[2]) or 0) + 1, key)
redis.call('ZADD', KEYS[4], ARGV[5], key)
redis.call('HSET', KEYS[5], key, ARGV[7])
local reply = {1}
local most = math.max(1, tonumber(ARGV[6]))
while redis.call('ZCARD', KEYS[3]) > most do
  local oldest = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
  local text = redis.call('HGET', KEYS[1], oldest)
  if text then table.insert(reply, text) end
  forget(oldest)
end
touch()
return reply
`);

/**
 * Takes up to ARGV[2] entries due at ARGV[1], earliest first, and leases each until ARGV[3]:
 * its next check time moves forward in the same step, so no other replica takes it meanwhile
 * (if the replica taking it dies, the entry is due again when the lease ends).
 */
export const TAKE_DUE_SCRIPT = new RedisScript(`${PRELUDE}
local reply = {}
for _, key in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))) do
  local text = redis.call('HGET', KEYS[1], key)
  if text then
    redis.call('ZADD', KEYS[2], ARGV[3], key)
    local checks = string.gsub(redis.call('HGET', KEYS[5], key) or '0', '^leased:', '')
    redis.call('HSET', KEYS[5], key, 'leased:' .. checks)
    table.insert(reply, text)
  else
    forget(key)
  end
end
return reply
`);

/**
 * Replaces a pending entry: ARGV now, key, entry JSON, next check time, checks.
 * A leased entry updated without a new check (a redelivery asking for an early check) keeps
 * its lease: the round that holds it checks it anyway. Returns 1 when the entry was pending.
 */
export const UPDATE_PENDING_SCRIPT = new RedisScript(`${PRELUDE}
local key = ARGV[2]
if redis.call('HEXISTS', KEYS[1], key) == 0 then return 0 end
local score = tonumber(ARGV[4])
local current = tonumber(redis.call('ZSCORE', KEYS[2], key))
if redis.call('HGET', KEYS[5], key) == 'leased:' .. ARGV[5] and current and current > score then
  score = current
else
  redis.call('HSET', KEYS[5], key, ARGV[5])
end
redis.call('HSET', KEYS[1], key, ARGV[3])
redis.call('ZADD', KEYS[2], score, key)
return 1
`);

/** Forgets a pending entry: ARGV now, key. */
export const REMOVE_PENDING_SCRIPT = new RedisScript(`${PRELUDE}
forget(ARGV[2])
touch()
return 1
`);
