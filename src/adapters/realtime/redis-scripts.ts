/**
 * The Lua scripts that keep a user's stream in Redis. Each runs atomically, so the offset, the
 * history and the announcement to every instance can never disagree, whichever instance publishes.
 *
 * Per user, in one hash slot (`{userId}`): a hash `meta` with the epoch `e`, the last offset `s`
 * and the bytes of payload held `b`, and a stream `events` whose entry ids are the offsets
 * (`<offset>-0`), each with its publish time `t` and payload `d`. The epoch is written once, from
 * the candidate the caller brings, when there is no meta: after a flush or once it expired, the
 * stream starts again under a new name.
 */

/**
 * KEYS: meta, events. ARGV: epoch candidate, payload, max events, max bytes, now (ms), history ttl
 * (ms), meta ttl (ms), channel, user id. The oldest entries go while the history holds more events
 * or bytes than allowed (the newest always stays).
 */
export const PUBLISH_SCRIPT = `
local epoch = redis.call('HGET', KEYS[1], 'e')
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'e', epoch)
end
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('HSET', KEYS[1], 'b', 0) end
local offset = redis.call('HINCRBY', KEYS[1], 's', 1)
redis.call('XADD', KEYS[2], offset .. '-0', 't', ARGV[5], 'd', ARGV[2])
local bytes = redis.call('HINCRBY', KEYS[1], 'b', #ARGV[2])
local count = redis.call('XLEN', KEYS[2])
local maxEvents = tonumber(ARGV[3])
local maxBytes = tonumber(ARGV[4])
while count > 1 and (count > maxEvents or bytes > maxBytes) do
  local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
  redis.call('XDEL', KEYS[2], oldest[1])
  bytes = redis.call('HINCRBY', KEYS[1], 'b', -#oldest[2][4])
  count = count - 1
end
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PUBLISH', ARGV[8], 'E\\n' .. ARGV[9] .. '\\n' .. epoch .. '\\n' .. offset .. '\\n' .. ARGV[2])
return {epoch, offset}
`;

/**
 * KEYS: meta, events. ARGV: epoch candidate, the caller's epoch ('' for none), the caller's offset,
 * meta ttl (ms). Returns the epoch, the last offset and, when the caller's epoch is this one, the
 * entries after its offset.
 */
export const READ_SCRIPT = `
local epoch = redis.call('HGET', KEYS[1], 'e')
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'e', epoch, 's', 0, 'b', 0)
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local top = tonumber(redis.call('HGET', KEYS[1], 's')) or 0
local entries = {}
if ARGV[2] == epoch and tonumber(ARGV[3]) < top then
  entries = redis.call('XRANGE', KEYS[2], '(' .. ARGV[3] .. '-0', '+')
end
return {epoch, top, entries}
`;

/**
 * KEYS: meta. Uses up one offset with no event behind it, for an event that could not be stored:
 * a replay across it can then never claim to be complete, and live subscribers see the gap.
 */
export const SKIP_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HINCRBY', KEYS[1], 's', 1) end
return 1
`;
