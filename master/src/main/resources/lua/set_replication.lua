-- set_replication: changes a file's replication, on its inode and on every committed chunk entry.
-- ARGV: replication, segment...
-- Answers {'ok', {chunk handle...}}: the chunks whose wanted replication changed.
local replication = ARGV[1]
local segs = slice(2, #ARGV - 1)
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
redis.call('HSET', key('inode', id), 'replication', replication)
local handles = redis.call('LRANGE', key('chunks', id), 0, -1)
for _, h in ipairs(handles) do
  redis.call('HSET', key('chunk'), h, id .. ':' .. replication)
end
return {'ok', handles}
