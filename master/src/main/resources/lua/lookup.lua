-- lookup: resolves a path in one round trip.
-- ARGV: segment...   (none for the root)
-- Answers {'ok', inode_id, {inode hash as field, value, ...}, {chunk handle, ...}, {chunk size, ...} (only
-- for irregular chunks, see describe)} or NOT_FOUND.
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
local _, inode, chunks, sizes = describe(id, is_file)
return {'ok', id, inode, chunks, sizes}
