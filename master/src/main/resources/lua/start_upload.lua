-- start_upload: refuses early when the path cannot take a file or the writer's precondition does not
-- hold now (both are checked again at commit), then records the upload.
-- An actor that may not replace the file at the path is refused here too (and again at commit).
-- ARGV: upload_id, now_ms, replication, chunk_size, content_type, if_match, if_none_match ('1'/'0'),
--       path, actor, admin ('1'/'0'), visibility ('private', 'public', or '' to keep the replaced
--       file's), multipart ('1'/'0'), metadata_count, ('meta:<name>', value) * metadata_count, segment...
-- A multipart upload is listed in uploads:multipart (by activity) and uploads:paths (by path), an
-- ordinary one in uploads.
local id, now = ARGV[1], ARGV[2]
local multipart = ARGV[12] == '1'
local first_seg = 14 + 2 * tonumber(ARGV[13])
local segs = slice(first_seg, #ARGV - first_seg + 1)
local dir, failure, _, old = file_target(segs)
if not dir then return failure end
local refused = check_precondition(ARGV[6], ARGV[7], old, ARGV[8])
if refused then return refused end
if old then
  refused = refuse_unless_owner(old, ARGV[9], ARGV[10], ARGV[8])
  if refused then return refused end
end
redis.call('HSET', key('upload', id), 'path', ARGV[8], 'replication', ARGV[3], 'chunkSize', ARGV[4],
  'contentType', ARGV[5], 'ifMatch', ARGV[6], 'ifNoneMatch', ARGV[7], 'active', now, 'owner', ARGV[9],
  'admin', ARGV[10], 'visibility', ARGV[11], 'started', now)
for i = 14, first_seg - 1, 2 do
  redis.call('HSET', key('upload', id), ARGV[i], ARGV[i + 1])
end
if multipart then
  redis.call('HSET', key('upload', id), 'multipart', '1')
  redis.call('ZADD', key('uploads', 'paths'), 0, paths_member(ARGV[8], id))
end
touch_upload(id, now)
return {'ok'}
