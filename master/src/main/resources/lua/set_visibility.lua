-- set_visibility: makes a file public or private.
-- ARGV: visibility ('private' or 'public'), actor, admin ('1'/'0'), segment...
-- Answers as lookup does: {'ok', inode_id, {inode hash as field, value, ...}, {chunk handle...}}.
-- PERMISSION_DENIED when the actor may not change the file.
local visibility, actor, admin = ARGV[1], ARGV[2], ARGV[3]
local segs = slice(4, #ARGV - 3)
local n = #segs
if n == 0 then
  return fail('FAILED_PRECONDITION', '\'/\' is a directory: visibility is set per file')
end
local dir, next_seg = walk(segs, n - 1)
local entry = dir and next_seg == n and redis.call('HGET', key('dir', dir), segs[n])
if not entry then
  return fail('NOT_FOUND', 'no file at \'' .. prefix_of(segs, n) .. '\'')
end
if string.sub(entry, 1, 1) == 'd' then
  return fail('FAILED_PRECONDITION', '\'' .. prefix_of(segs, n) .. '\' is a directory: visibility is set per file')
end
local id = string.sub(entry, 3)
local refused = refuse_unless_owner(id, actor, admin, prefix_of(segs, n))
if refused then return refused end
redis.call('HSET', key('inode', id), 'visibility', visibility)
return {'ok', id, redis.call('HGETALL', key('inode', id)), redis.call('LRANGE', key('chunks', id), 0, -1)}
