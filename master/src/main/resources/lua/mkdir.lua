-- mkdir: creates a directory and its missing parents (mkdir -p).
-- ARGV: now_ms, actor (recorded as the creator of the directories made), segment...   (none for the root)
-- Answers {'ok', inode_id, {inode hash as field, value, ...}, {} (no chunks), {} (no sizes), created ('1' or
-- '0')}.
local now = ARGV[1]
CREATOR = ARGV[2]
local segs = slice(3, #ARGV - 2)
local n = #segs
local dir, next_seg, chain = walk(segs, n)
if not dir then
  return fail('FAILED_PRECONDITION', '\'' .. prefix_of(segs, next_seg) .. '\' is a file')
end
local created = next_seg <= n
dir = make_dirs(dir, segs, next_seg, n, chain, now)
if created then audit('mkdir', '/' .. prefix_of(segs, n), '') end
return {'ok', dir, redis.call('HGETALL', key('inode', dir)), {}, {}, created and '1' or '0'}
