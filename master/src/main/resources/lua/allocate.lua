-- allocate: records a freshly allocated handle as pending for an open upload.
-- ARGV: upload_id, handle_hex, now_ms
-- Answers {'ok', {upload hash as field, value, ...}}.
local id, h, now = ARGV[1], ARGV[2], ARGV[3]
if upload_state(id) ~= 'open' then
  return refuse_settled(id, nil)
end
redis.call('HSET', key('pending'), h, id)
redis.call('SADD', key('upload', id, 'handles'), h)
redis.call('HSET', key('upload', id), 'active', now)
redis.call('ZADD', key('uploads'), now, id)
return {'ok', redis.call('HGETALL', key('upload', id))}
