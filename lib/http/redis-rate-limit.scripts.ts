import { LUA_NOW, RedisScript } from '../redis/redis-script.js';

/**
 * Reserves a start time for one request in an exact sliding window shared by every replica.
 * KEYS: [1] reservations (sorted set, score = start time in Redis ms), [2] pause-until (ms).
 * ARGV: limit, window ms, member, confirm ('1': the member already holds a reservation and is
 * about to send; keep it unless a pause began meanwhile).
 * Returns `{wait, at}`: how long the caller waits before sending (0 = now), and its start time.
 *
 * Start times are handed out in non-decreasing order, and a new one is at least `window` after
 * the `limit`-th latest, so no window of `window` ms ever holds more than `limit` starts. A
 * caller sleeps until its own time instead of polling: one round trip for a call that can start
 * now, two for one that waited (the second sees a `Retry-After` pause set in the meantime).
 */
export const RESERVE_SCRIPT = new RedisScript(`${LUA_NOW}
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local member = ARGV[3]
local pausedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
if ARGV[4] == '1' then
  local held = redis.call('ZSCORE', KEYS[1], member)
  if held then
    held = tonumber(held)
    if pausedUntil <= math.max(now, held) then return {math.max(0, held - now), held} end
    redis.call('ZREM', KEYS[1], member)
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local at = math.max(now, pausedUntil)
local count = redis.call('ZCARD', KEYS[1])
if count > 0 then
  local last = tonumber(redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2])
  if last > at then at = last end
  if count >= limit then
    local pivot = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
    local free = tonumber(pivot[2]) + window
    if free > at then at = free end
  end
end
redis.call('ZADD', KEYS[1], at, member)
redis.call('PEXPIRE', KEYS[1], at - now + window)
return {at - now, at}
`);

/**
 * Pauses the key for every replica: KEYS [1] pause-until; ARGV: ms. Only ever extends a pause.
 */
export const PAUSE_SCRIPT = new RedisScript(`${LUA_NOW}
local ms = tonumber(ARGV[1])
local untilMs = now + ms
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then redis.call('SET', KEYS[1], untilMs, 'PX', ms) end
return untilMs - now
`);
