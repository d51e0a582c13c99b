/**
 * The Lua scripts that keep a user's stream in Redis. Each runs atomically, so the offset, the
 * history and the announcement to every instance can never disagree, whichever instance publishes.
 *
 * Per user, in one hash slot (`{userId}`): a hash `meta` with the epoch `e` and the last offset
 * `s`, and a stream `events` whose entry ids are the offsets (`<offset>-0`), each with its publish
 * time `t` and payload `d`. The epoch is written once, from the candidate the caller brings, when
 * there is no meta: after a flush or once it expired, the stream starts again under a new name.
 */

/** KEYS: meta, events. ARGV: epoch candidate, payload, max events, now (ms), history ttl (ms), meta ttl (ms), channel, user id. */
export const PUBLISH_SCRIPT = `
local epoch = redis.call('HGET', KEYS[1], 'e')
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'e', epoch)
end
local offset = redis.call('HINCRBY', KEYS[1], 's', 1)
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[3], offset .. '-0', 't', ARGV[4], 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PUBLISH', ARGV[7], 'E\\n' .. ARGV[8] .. '\\n' .. epoch .. '\\n' .. offset .. '\\n' .. ARGV[2])
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
  redis.call('HSET', KEYS[1], 'e', epoch, 's', 0)
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local top = tonumber(redis.call('HGET', KEYS[1], 's')) or 0
local entries = {}
if ARGV[2] == epoch and tonumber(ARGV[3]) < top then
  entries = redis.call('XRANGE', KEYS[2], '(' .. ARGV[3] .. '-0', '+')
end
return {epoch, top, entries}
`;
