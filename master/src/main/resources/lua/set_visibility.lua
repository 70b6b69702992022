-- set_visibility: makes a file public or private.
-- ARGV: visibility ('private' or 'public'), actor, admin ('1'/'0'), segment...
-- Answers as lookup does: {'ok', inode_id, {inode hash as field, value, ...}, {chunk handle...}, {size...}}.
-- PERMISSION_DENIED when the actor may not change the file.
local visibility, actor, admin = ARGV[1], ARGV[2], ARGV[3]
local id, refused = owned_file(slice(4, #ARGV - 3), actor, admin, 'visibility')
if not id then return refused end
redis.call('HSET', key('inode', id), 'visibility', visibility)
local segs = slice(4, #ARGV - 3)
audit('visibility', '/' .. prefix_of(segs, #segs), 'visibility=' .. visibility)
local _, inode, chunks, sizes = describe(id, true)
return {'ok', id, inode, chunks, sizes}
