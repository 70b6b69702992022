-- delete_dir: removes a directory. An empty one goes at once; a non-empty one (recursive only) is
-- unlinked from its parent and queued on 'doomed' in this same atomic step, so it vanishes from the
-- namespace at once; reclaim.lua then frees what was below it in bounded batches.
-- ARGV: now_ms, recursive ('1' or '0'), actor, admin ('1'/'0'), segment...
-- Answers {'ok', files below it}. PERMISSION_DENIED for a non-admin that did not create the directory,
-- or when files are below it (see refuse_dir_change).
local now, recursive, actor, admin = ARGV[1], ARGV[2] == '1', ARGV[3], ARGV[4]
local segs = slice(5, #ARGV - 4)
local n = #segs
if n == 0 then
  return fail('INVALID_ARGUMENT', 'the root directory cannot be deleted')
end
local path = prefix_of(segs, n)
local dir, next_seg, chain = walk(segs, n - 1)
local entry = dir and next_seg == n and redis.call('HGET', key('dir', dir), segs[n])
if not entry then
  return fail('NOT_FOUND', 'no directory at \'' .. path .. '\'')
end
if string.sub(entry, 1, 1) == 'f' then
  return fail('FAILED_PRECONDITION', '\'' .. path .. '\' is a file, not a directory')
end
local id = string.sub(entry, 3)
local refused = refuse_dir_change(id, actor, admin, path)
if refused then return refused end
local count = redis.call('HLEN', key('dir', id))
if count > 0 and not recursive then
  return fail('FAILED_PRECONDITION', 'directory \'' .. path .. '\' is not empty (' .. count
    .. ' entries): delete it recursively to remove everything below it')
end
local size, files = usage_of(entry)
add_usage(chain, -size, -files)
unlink(dir, segs[n])
redis.call('HSET', key('inode', dir), 'modified', now)
if count == 0 then
  redis.call('DEL', key('inode', id), key('dir', id), key('names', id))
else
  redis.call('RPUSH', key('doomed'), id)
end
audit('rmdir', '/' .. path, 'recursive=' .. (recursive and '1' or '0') .. ' files=' .. files)
return {'ok', tostring(files)}
