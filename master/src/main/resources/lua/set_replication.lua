-- set_replication: changes a file's replication, on its inode and on every committed chunk entry.
-- ARGV: replication, actor, admin ('1'/'0'), segment...
-- Answers {'ok', {chunk handle...}}: the chunks whose wanted replication changed. PERMISSION_DENIED
-- when the actor may not change the file.
local replication, actor, admin = ARGV[1], ARGV[2], ARGV[3]
local segs = slice(4, #ARGV - 3)
local n = #segs
if n == 0 then
  return fail('FAILED_PRECONDITION', '\'/\' is a directory: replication is set per file')
end
local dir, next_seg = walk(segs, n - 1)
local entry = dir and next_seg == n and redis.call('HGET', key('dir', dir), segs[n])
if not entry then
  return fail('NOT_FOUND', 'no file at \'' .. prefix_of(segs, n) .. '\'')
end
if string.sub(entry, 1, 1) == 'd' then
  return fail('FAILED_PRECONDITION', '\'' .. prefix_of(segs, n) .. '\' is a directory: replication is set per file')
end
local id = string.sub(entry, 3)
local refused = refuse_unless_owner(id, actor, admin, prefix_of(segs, n))
if refused then return refused end
redis.call('HSET', key('inode', id), 'replication', replication)
local handles = redis.call('LRANGE', key('chunks', id), 0, -1)
for _, h in ipairs(handles) do
  redis.call('HSET', key('chunk'), h, id .. ':' .. replication)
end
return {'ok', handles}
