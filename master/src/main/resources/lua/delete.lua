-- delete: removes a file from the namespace; its chunks go to the trash.
-- ARGV: now_ms, actor, admin ('1'/'0'), segment...
-- Answers {'ok', {trashed handle...}}. PERMISSION_DENIED when the actor may not change the file.
local now, actor, admin = ARGV[1], ARGV[2], ARGV[3]
local segs = slice(4, #ARGV - 3)
local n = #segs
if n == 0 then
  return fail('FAILED_PRECONDITION', '\'/\' is a directory: delete directories as directories')
end
local dir, next_seg, chain = walk(segs, n - 1)
local entry = dir and next_seg == n and redis.call('HGET', key('dir', dir), segs[n])
if not entry then
  return fail('NOT_FOUND', 'no file at \'' .. prefix_of(segs, n) .. '\'')
end
if string.sub(entry, 1, 1) == 'd' then
  return fail('FAILED_PRECONDITION', '\'' .. prefix_of(segs, n) .. '\' is a directory: delete directories as directories')
end
local refused = refuse_unless_owner(string.sub(entry, 3), actor, admin, prefix_of(segs, n))
if refused then return refused end
local size = usage_of(entry)
add_usage(chain, -size, -1)
local trashed = trash_file(string.sub(entry, 3), now)
unlink(dir, segs[n])
redis.call('HSET', key('inode', dir), 'modified', now)
audit('delete', '/' .. prefix_of(segs, n), 'size=' .. size)
return {'ok', trashed}
