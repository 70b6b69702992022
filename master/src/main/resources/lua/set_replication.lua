-- set_replication: changes a file's replication, on its inode and on every committed chunk entry.
-- ARGV: replication, actor, admin ('1'/'0'), segment...
-- Answers {'ok', {chunk handle...}}: the chunks whose wanted replication changed. PERMISSION_DENIED
-- when the actor may not change the file.
local replication, actor, admin = ARGV[1], ARGV[2], ARGV[3]
local id, refused = owned_file(slice(4, #ARGV - 3), actor, admin, 'replication')
if not id then return refused end
redis.call('HSET', key('inode', id), 'replication', replication)
local handles = redis.call('LRANGE', key('chunks', id), 0, -1)
for _, h in ipairs(handles) do
  redis.call('HSET', key('chunk'), h, id .. ':' .. replication)
end
local segs = slice(4, #ARGV - 3)
audit('replication', '/' .. prefix_of(segs, #segs), 'replication=' .. replication)
return {'ok', handles}
