-- allocate: records a freshly allocated handle as pending for an open upload.
-- ARGV: upload_id, handle_hex, now_ms
-- Answers {'ok', {upload hash as field, value, ...}}.
local id, h, now = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', key('upload', id)) == 0 then
  return fail('NOT_FOUND', 'upload ' .. id .. ' is not open: it was committed, abandoned or expired')
end
redis.call('HSET', key('pending'), h, id)
redis.call('SADD', key('upload', id, 'handles'), h)
redis.call('HSET', key('upload', id), 'active', now)
redis.call('ZADD', key('uploads'), now, id)
return {'ok', redis.call('HGETALL', key('upload', id))}
