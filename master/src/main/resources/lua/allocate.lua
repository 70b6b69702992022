-- allocate: records a freshly allocated handle as pending for an open upload.
-- A multipart upload takes chunks only from the principal that started it or an admin.
-- ARGV: upload_id, handle_hex, now_ms, actor, admin ('1'/'0')
-- Answers {'ok', {upload hash as field, value, ...}}.
local id, h, now = ARGV[1], ARGV[2], ARGV[3]
if upload_state(id) ~= 'open' then
  return refuse_settled(id, nil)
end
local u = redis.call('HMGET', key('upload', id), 'multipart', 'owner')
if u[1] == '1' then
  local refused = refuse_unless_starter(id, u[2], ARGV[4], ARGV[5])
  if refused then return refused end
end
redis.call('HSET', key('pending'), h, id)
redis.call('SADD', key('upload', id, 'handles'), h)
touch_upload(id, now)
return {'ok', redis.call('HGETALL', key('upload', id))}
