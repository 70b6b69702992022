-- lookup: resolves a path in one round trip.
-- ARGV: segment...   (none for the root)
-- Answers {'ok', inode_id, {inode hash as field, value, ...}, {chunk handle, ...}} or NOT_FOUND.
local n = #ARGV
local dir, next_seg = walk(ARGV, n - 1)
if not dir or next_seg <= n - 1 then
  return fail('NOT_FOUND', 'nothing at \'' .. prefix_of(ARGV, n) .. '\'')
end
local id = ROOT
local is_file = false
if n > 0 then
  local entry = redis.call('HGET', key('dir', dir), ARGV[n])
  if not entry then
    return fail('NOT_FOUND', 'nothing at \'' .. prefix_of(ARGV, n) .. '\'')
  end
  id = string.sub(entry, 3)
  is_file = string.sub(entry, 1, 1) == 'f'
end
local chunks = {}
if is_file then
  chunks = redis.call('LRANGE', key('chunks', id), 0, -1)
end
return {'ok', id, redis.call('HGETALL', key('inode', id)), chunks}
