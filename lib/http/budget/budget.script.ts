import { LUA_NOW, RedisScript } from '../../redis/redis-script.js';

/**
 * The shared budget of one API key, the same rules as `LocalBudgetLedger` (budget.ledger.ts)
 * kept in Redis for every replica, decided atomically by one script. All keys carry the key's
 * hash tag, so they live in one Redis Cluster slot.
 *
 * KEYS: [1] queue (zset: member -> arrival + lane delay), [2] starts (zset: member -> start
 * time), [3] confirmation starts, [4] pause-until (ms), [5] replicas (zset: replica -> lease
 * end), [6] epoch (`<id>|<hold until>`).
 * ARGV: [1] op (`enter` | `pump` | `leave` | `pause` | `account`), [2] replica id, [3] the epoch
 * the replica knows ('' at first), [4] limit, [5] window ms, [6] confirmation limit,
 * [7] max queue, [8] lease ms, [9] hold ms, [10] interactive headroom, [11] lower-lane pace ms
 * (both: budget.ledger.ts `interactiveHeadroom`), [12...] op arguments:
 * - enter: member, lane delay ms, max wait ms (-1: none)
 * - leave: member; pause: ms
 * - account: count of starts n, then n x (member, age ms), then waiting pairs (member, waited ms,
 *   lane delay ms) to put back in line (members that lost their place in a flush or restart).
 *
 * Reply: { status, epoch, wake ms (-1: nothing to wait for), live replicas, granted members,
 * ages of the starts in the window, ages of the confirmation starts, expected wait ms }.
 * status: `ok`, `full` / `wait` (enter refused), `epoch` (the replica knows another epoch: Redis
 * lost its state, so the replica accounts its recent starts and waiting calls first).
 *
 * Members are `<replica>|<lane code>|<sequence>`; a replica grants only its own members, and
 * only those first in line (other replicas' members ahead keep their slots), so a start is
 * always recorded at the moment its replica sends. A replica that stops refreshing its lease
 * loses its place in line. A new epoch (the epoch key was lost: FLUSHALL, a restart without
 * persistence) starts with a hold of `hold` ms, during which nothing is granted while the
 * replicas put their recent starts back.
 */
export const BUDGET_SCRIPT = new RedisScript(`${LUA_NOW}
local op = ARGV[1]
local replica = ARGV[2]
local limit = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local climit = tonumber(ARGV[6])
local maxQueue = tonumber(ARGV[7])
local lease = tonumber(ARGV[8])
local hold = tonumber(ARGV[9])
local headroom = tonumber(ARGV[10])
local pace = tonumber(ARGV[11])
local keep = window * 2 + lease

local epochValue = redis.call('GET', KEYS[6])
local epoch, holdUntil
if epochValue then
  local bar = string.find(epochValue, '|', 1, true)
  epoch = string.sub(epochValue, 1, bar - 1)
  holdUntil = tonumber(string.sub(epochValue, bar + 1))
else
  epoch = tostring(now) .. '.' .. replica
  holdUntil = 0
  if ARGV[3] ~= '' then holdUntil = now + hold end
end
redis.call('SET', KEYS[6], epoch .. '|' .. holdUntil, 'PX', 86400000)

-- Leases: a replica that is gone loses its place in line.
redis.call('ZADD', KEYS[5], now + lease, replica)
redis.call('PEXPIRE', KEYS[5], keep)
local dead = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', '(' .. now)
if #dead > 0 then
  local gone = {}
  for _, id in ipairs(dead) do
    gone[id] = true
    redis.call('ZREM', KEYS[5], id)
  end
  for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    local bar = string.find(member, '|', 1, true)
    if gone[string.sub(member, 1, bar - 1)] then redis.call('ZREM', KEYS[1], member) end
  end
end
local live = redis.call('ZCARD', KEYS[5])

redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
local pausedUntil = tonumber(redis.call('GET', KEYS[4]) or '0')

local function ages(key)
  local out = {}
  local flat = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  for i = 2, #flat, 2 do out[#out + 1] = now - tonumber(flat[i]) end
  return out
end

local function oldestEnd(key)
  local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if #first == 0 then return now end
  return tonumber(first[2]) + window
end

-- When a background call not yet due may start: the k-th newest start is k paces old
-- (budget.ledger.ts lowerLanePacedUntil).
local function pacedUntil()
  local flat = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
  local n = #flat / 2
  local untilMs = now - pace
  for k = 1, n do
    untilMs = math.max(untilMs, tonumber(flat[(n - k + 1) * 2]) + k * pace)
  end
  return untilMs
end

local granted = {}
local wake = -1

local function reply(status, expected)
  for _, key in ipairs({KEYS[1], KEYS[2], KEYS[3]}) do redis.call('PEXPIRE', key, keep) end
  return {status, epoch, wake, live, granted, ages(KEYS[2]), ages(KEYS[3]), expected or 0}
end

if ARGV[3] ~= epoch and op ~= 'account' then return reply('epoch') end

if op == 'pause' then
  local untilMs = now + tonumber(ARGV[12])
  if untilMs > pausedUntil then redis.call('SET', KEYS[4], untilMs, 'PX', tonumber(ARGV[12])) end
  return reply('ok')
end

if op == 'leave' then
  redis.call('ZREM', KEYS[1], ARGV[12])
  return reply('ok')
end

if op == 'account' then
  local n = tonumber(ARGV[12])
  local i = 13
  for _ = 1, n do
    local member = ARGV[i]
    local at = now - tonumber(ARGV[i + 1])
    i = i + 2
    redis.call('ZREM', KEYS[1], member)
    if at > now - window then
      redis.call('ZADD', KEYS[2], 'NX', at, member)
      local bar = string.find(member, '|', 1, true)
      if string.sub(member, bar + 1, bar + 1) == 'c' then
        redis.call('ZADD', KEYS[3], 'NX', at, member)
      end
    end
  end
  while i + 2 <= #ARGV do
    local score = now - tonumber(ARGV[i + 1]) + tonumber(ARGV[i + 2])
    redis.call('ZADD', KEYS[1], 'NX', score, ARGV[i])
    i = i + 3
  end
end

-- Grants this replica's members that are first in line.
local function pump()
  local free = limit - redis.call('ZCARD', KEYS[2])
  local cfree = climit - redis.call('ZCARD', KEYS[3])
  if now < pausedUntil or now < holdUntil then free = 0 end
  local contended = false
  local confirmationHeld = false
  local offset = 0
  local mine = {}
  local heldUntil = nil
  local paced = nil
  while free > 0 do
    local chunk = redis.call('ZRANGE', KEYS[1], offset, offset + 99, 'WITHSCORES')
    if #chunk == 0 then break end
    for c = 1, #chunk, 2 do
      if free <= 0 then break end
      local member = chunk[c]
      local score = tonumber(chunk[c + 1])
      local bar = string.find(member, '|', 1, true)
      local lane = string.sub(member, bar + 1, bar + 1)
      local confirmation = lane == 'c'
      if confirmation and cfree <= 0 then
        confirmationHeld = true
      elseif lane == 'b' and score > now
        and (free <= headroom or now < (paced or pacedUntil())) then
        -- Not due yet: the background lane leaves the headroom to the others and paces itself.
        paced = paced or pacedUntil()
        local freeAt = paced
        if free <= headroom then freeAt = oldestEnd(KEYS[2]) end
        local due = math.min(score, freeAt)
        if heldUntil == nil or due < heldUntil then heldUntil = due end
      else
        if string.sub(member, 1, bar - 1) == replica then
          mine[#mine + 1] = member
          redis.call('ZADD', KEYS[2], now, member)
          if confirmation then redis.call('ZADD', KEYS[3], now, member) end
        else
          contended = true
        end
        -- A start at now makes every start one place older: no need to read them again.
        if paced then paced = math.max(now, paced) + pace end
        free = free - 1
        if confirmation then cfree = cfree - 1 end
      end
    end
    offset = offset + 100
  end
  for _, member in ipairs(mine) do
    redis.call('ZREM', KEYS[1], member)
    granted[#granted + 1] = member
  end
  if redis.call('ZCARD', KEYS[1]) == 0 then return end
  local at
  if now < pausedUntil or now < holdUntil then
    at = math.max(pausedUntil, holdUntil)
  elseif free <= 0 then
    at = oldestEnd(KEYS[2])
  elseif contended then
    at = now + 100
  end
  if confirmationHeld or cfree <= 0 then
    local confirmationAt = oldestEnd(KEYS[3])
    if at == nil or confirmationAt < at then at = confirmationAt end
  end
  if heldUntil ~= nil and (at == nil or heldUntil < at) then at = heldUntil end
  if contended and (at == nil or at > now + 100) then at = now + 100 end
  if at ~= nil then wake = math.max(1, at - now) end
end

-- When the position-th caller in line may start (LocalBudgetLedger's expectedStartAt).
local function expectedStart(key, lim, position)
  local flat = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  local starts = {}
  for i = 2, #flat, 2 do starts[#starts + 1] = tonumber(flat[i]) end
  local free = lim - #starts
  if position < free then return now end
  local future = {}
  for i = 0, position do
    local j = i - free
    local before
    if j < 0 then before = now - window
    elseif j < #starts then before = starts[j + 1]
    else before = future[j - #starts] end
    future[i] = math.max(now, before + window)
  end
  return future[position]
end

if op == 'enter' then
  local member = ARGV[12]
  local score = now + tonumber(ARGV[13])
  local maxWait = tonumber(ARGV[14])
  redis.call('ZADD', KEYS[1], score, member)
  pump()
  for _, id in ipairs(granted) do
    if id == member then return reply('ok') end
  end
  local ahead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. score)
  local at = expectedStart(KEYS[2], limit, #ahead)
  local bar = string.find(member, '|', 1, true)
  if string.sub(member, bar + 1, bar + 1) == 'c' then
    local inLane = 0
    for _, other in ipairs(ahead) do
      local otherBar = string.find(other, '|', 1, true)
      if string.sub(other, otherBar + 1, otherBar + 1) == 'c' then inLane = inLane + 1 end
    end
    at = math.max(at, expectedStart(KEYS[3], climit, inLane))
  end
  local expected = math.max(at, pausedUntil, holdUntil) - now
  if redis.call('ZCARD', KEYS[1]) > maxQueue then
    redis.call('ZREM', KEYS[1], member)
    return reply('full', expected)
  end
  if maxWait >= 0 and expected > maxWait then
    redis.call('ZREM', KEYS[1], member)
    return reply('wait', expected)
  end
  return reply('ok', expected)
end

pump()
return reply('ok')
`);
