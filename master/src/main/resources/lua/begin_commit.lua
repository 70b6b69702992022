-- begin_commit: starts an attempt to commit an open upload. It counts the attempt ('attempt') and
-- stamps it with Redis's clock ('attemptAt', ms): the commit that follows quotes both, and its deadline
-- counts from that stamp, so a commit still held somewhere when its caller gave up is refused when it
-- reaches Redis. A later attempt overtakes an earlier one whose commit has not run yet. A committed
-- upload is left as it is: its commit answers the same file again.
-- ARGV: upload_id
-- Answers {'ok', state, attempt, attempt_at_ms, {upload hash as field, value, ...}}.
local id = ARGV[1]
local up = key('upload', id)
local state = upload_state(id)
if state ~= 'open' and state ~= 'committed' then return refuse_settled(id, state) end
if state == 'committed' then
  return {'ok', state, '0', '0', redis.call('HGETALL', up)}
end
local at = tostring(redis_now_ms())
local attempt = redis.call('HINCRBY', up, 'attempt', 1)
redis.call('HSET', up, 'attemptAt', at)
return {'ok', state, tostring(attempt), at, redis.call('HGETALL', up)}
