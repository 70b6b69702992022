-- list: one page of a directory's entries, in byte order of their names.
-- ARGV: after ('' for the first page), limit, segment...
-- Answers {'ok', {name, type ('f'/'d'), size, modified, etag, sha256, name, ...}, more ('1' or '0')}:
-- etag and sha256 as the file's inode holds them, '' when absent (always for a directory).
local after, limit = ARGV[1], tonumber(ARGV[2])
local segs = slice(3, #ARGV - 2)
local n = #segs
local dir, next_seg = walk(segs, n)
if not dir then
  if next_seg == n then
    return fail('FAILED_PRECONDITION', '\'' .. prefix_of(segs, n) .. '\' is a file, not a directory')
  end
  return fail('NOT_FOUND', 'no directory at \'' .. prefix_of(segs, n) .. '\'')
end
if next_seg <= n then
  return fail('NOT_FOUND', 'no directory at \'' .. prefix_of(segs, n) .. '\'')
end
local from = after == '' and '-' or '(' .. after
-- one more than asked tells whether another page follows
local names = redis.call('ZRANGEBYLEX', key('names', dir), from, '+', 'LIMIT', 0, limit + 1)
local out = {}
for i = 1, math.min(#names, limit) do
  local entry = redis.call('HGET', key('dir', dir), names[i])
  local f = redis.call('HMGET', key('inode', string.sub(entry, 3)), 'size', 'modified', 'etag', 'sha256')
  out[#out + 1] = names[i]
  out[#out + 1] = string.sub(entry, 1, 1)
  out[#out + 1] = f[1] or '0'
  out[#out + 1] = f[2] or '0'
  out[#out + 1] = f[3] or ''
  out[#out + 1] = f[4] or ''
end
return {'ok', out, #names > limit and '1' or '0'}
