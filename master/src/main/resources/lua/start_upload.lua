-- start_upload: refuses early when the path cannot take a file, then records the upload.
-- ARGV: upload_id, now_ms, replication, chunk_size, content_type, path, segment...
local id, now = ARGV[1], ARGV[2]
local segs = slice(7, #ARGV - 6)
local n = #segs
local dir, next_seg = walk(segs, n - 1)
if not dir then
  return fail('FAILED_PRECONDITION', '\'' .. prefix_of(segs, next_seg) .. '\' is a file')
end
if next_seg == n then
  local entry = redis.call('HGET', key('dir', dir), segs[n])
  if entry and string.sub(entry, 1, 1) == 'd' then
    return fail('FAILED_PRECONDITION', '\'' .. ARGV[6] .. '\' is a directory')
  end
end
redis.call('HSET', key('upload', id), 'path', ARGV[6], 'replication', ARGV[3], 'chunkSize', ARGV[4],
  'contentType', ARGV[5], 'active', now)
redis.call('ZADD', key('uploads'), now, id)
return {'ok'}
