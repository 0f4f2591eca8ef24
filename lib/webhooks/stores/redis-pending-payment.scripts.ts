import { LUA_NOW, RedisScript } from '../../redis/redis-script.js';

/**
 * Lua scripts of the Redis pending-payment store. Every script gets the same KEYS:
 * [1] entries (hash: key -> `{event, own}` JSON), [2] due (zset: key by next check time),
 * [3] ends (zset: key by the end of its pending period), [4] own (set: keys of links this app
 * created), [5] checks (hash: key -> re-checks made, `leased:<n>` while a round holds it).
 * ARGV[1] is always the grace in ms that Redis keeps an entry past its period (so a replica can
 * still report it unconfirmed). Every time is the Redis server's clock (`TIME`): callers send
 * durations only, so a replica whose clock runs ahead cannot expire another's entries.
 * Each script first forgets entries past period and grace and ends by setting every key's TTL
 * to the last entry's end plus grace, so the set vanishes when no replica is alive to report it.
 */
const PRELUDE = `${LUA_NOW}
local grace = tonumber(ARGV[1])
local function forget(key)
  redis.call('HDEL', KEYS[1], key)
  redis.call('ZREM', KEYS[2], key)
  redis.call('ZREM', KEYS[3], key)
  redis.call('SREM', KEYS[4], key)
  redis.call('HDEL', KEYS[5], key)
end
local function touch()
  local last = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
  if #last == 0 then
    redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
    return
  end
  local ttl = math.max(1000, math.floor(tonumber(last[2]) + grace - now))
  for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], ttl) end
end
for _, key in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - grace)) do forget(key) end
`;

/**
 * Adds an entry unless pending; refuses it when its rank (own or not) holds the maximum already.
 * Nothing held is ever dropped to make room. ARGV: grace, key, entry JSON, own ('1'/'0'),
 * first check in ms, period in ms, max entries per rank.
 * Returns 1 (added), 0 (pending already) or -1 (full).
 */
export const ADD_PENDING_SCRIPT = new RedisScript(`${PRELUDE}
local key = ARGV[2]
if redis.call('HEXISTS', KEYS[1], key) == 1 then return 0 end
local most = math.max(1, tonumber(ARGV[7]))
local own = redis.call('SCARD', KEYS[4])
local held = ARGV[4] == '1' and own or (redis.call('HLEN', KEYS[1]) - own)
if held >= most then return -1 end
redis.call('HSET', KEYS[1], key, ARGV[3])
redis.call('ZADD', KEYS[2], now + math.min(tonumber(ARGV[5]), tonumber(ARGV[6])), key)
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[6]), key)
if ARGV[4] == '1' then redis.call('SADD', KEYS[4], key) end
redis.call('HSET', KEYS[5], key, '0')
touch()
return 1
`);

/**
 * Takes up to ARGV[2] entries due now, earliest first, and leases each for ARGV[3] ms: its next
 * check time moves forward in the same step, so no other replica takes it meanwhile (if the
 * replica taking it dies, the entry is due again when the lease ends).
 * Returns `[entry JSON, checks, expired (0/1)]` per entry, flat.
 */
export const TAKE_DUE_SCRIPT = new RedisScript(`${PRELUDE}
local reply = {}
for _, key in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))) do
  local text = redis.call('HGET', KEYS[1], key)
  if text then
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), key)
    local checks = string.gsub(redis.call('HGET', KEYS[5], key) or '0', '^leased:', '')
    redis.call('HSET', KEYS[5], key, 'leased:' .. checks)
    local ends = tonumber(redis.call('ZSCORE', KEYS[3], key) or '0')
    table.insert(reply, text)
    table.insert(reply, checks)
    table.insert(reply, ends <= now and 1 or 0)
  else
    forget(key)
  end
end
return reply
`);

/**
 * A redelivery asks for a check now: ARGV grace, key. A leased entry keeps its lease (the round
 * holding it checks it anyway). Returns 1 when the entry is pending.
 */
export const HURRY_PENDING_SCRIPT = new RedisScript(`${PRELUDE}
local key = ARGV[2]
if redis.call('HEXISTS', KEYS[1], key) == 0 then return 0 end
local checks = redis.call('HGET', KEYS[5], key) or '0'
if string.sub(checks, 1, 7) ~= 'leased:' then
  local current = tonumber(redis.call('ZSCORE', KEYS[2], key) or now)
  if current > now then redis.call('ZADD', KEYS[2], now, key) end
end
return 1
`);

/**
 * Replaces a pending entry after a re-check and ends its lease: ARGV grace, key, entry JSON,
 * delay in ms until its next check (never past the end of its period), checks.
 * Returns 1 when the entry was pending.
 */
export const RESCHEDULE_PENDING_SCRIPT = new RedisScript(`${PRELUDE}
local key = ARGV[2]
if redis.call('HEXISTS', KEYS[1], key) == 0 then return 0 end
local ends = tonumber(redis.call('ZSCORE', KEYS[3], key) or now)
redis.call('HSET', KEYS[1], key, ARGV[3])
redis.call('HSET', KEYS[5], key, ARGV[5])
redis.call('ZADD', KEYS[2], math.min(now + tonumber(ARGV[4]), ends), key)
return 1
`);

/** Forgets a pending entry: ARGV grace, key. */
export const REMOVE_PENDING_SCRIPT = new RedisScript(`${PRELUDE}
forget(ARGV[2])
touch()
return 1
`);

/** Milliseconds until the earliest next check (0 when due), or -1 with nothing pending. */
export const NEXT_CHECK_SCRIPT = new RedisScript(`${PRELUDE}
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #first == 0 then return -1 end
return math.max(0, math.floor(tonumber(first[2]) - now))
`);
