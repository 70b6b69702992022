-- start_upload: refuses early when the path cannot take a file or the writer's precondition does not
-- hold now (both are checked again at commit), then records the upload.
-- ARGV: upload_id, now_ms, replication, chunk_size, content_type, if_match, if_none_match ('1'/'0'),
--       path, segment...
local id, now = ARGV[1], ARGV[2]
local segs = slice(9, #ARGV - 8)
local n = #segs
local dir, next_seg = walk(segs, n - 1)
if not dir then
  return fail('FAILED_PRECONDITION', '\'' .. prefix_of(segs, next_seg) .. '\' is a file')
end
local old
if next_seg == n then
  local entry = redis.call('HGET', key('dir', dir), segs[n])
  if entry and string.sub(entry, 1, 1) == 'd' then
    return fail('FAILED_PRECONDITION', '\'' .. ARGV[8] .. '\' is a directory')
  end
  if entry then old = string.sub(entry, 3) end
end
local refused = check_precondition(ARGV[6], ARGV[7], old, ARGV[8])
if refused then return refused end
redis.call('HSET', key('upload', id), 'path', ARGV[8], 'replication', ARGV[3], 'chunkSize', ARGV[4],
  'contentType', ARGV[5], 'ifMatch', ARGV[6], 'ifNoneMatch', ARGV[7], 'active', now)
redis.call('ZADD', key('uploads'), now, id)
return {'ok'}
