-- init: creates the root directory (inode 1) and the counters when missing, and gives a namespace
-- without directory usage counters or sorted names both. Idempotent.
-- ARGV: now_ms

-- Fills names:<id> and the 'size' / 'files' counters of a directory and everything below it.
-- Walks the whole tree, so it runs once: only when the root has no 'files' counter yet.
local function rebuild(id)
  local size, files = 0, 0
  local flat = redis.call('HGETALL', key('dir', id))
  for i = 1, #flat, 2 do
    local entry = flat[i + 1]
    redis.call('ZADD', key('names', id), 0, flat[i])
    local child = string.sub(entry, 3)
    if string.sub(entry, 1, 1) == 'f' then
      size = size + tonumber(redis.call('HGET', key('inode', child), 'size') or '0')
      files = files + 1
    else
      local s, f = rebuild(child)
      size, files = size + s, files + f
    end
  end
  redis.call('HSET', key('inode', id), 'size', string.format('%d', size), 'files', string.format('%d', files))
  return size, files
end

if redis.call('EXISTS', key('inode', ROOT)) == 0 then
  redis.call('HSET', key('inode', ROOT), 'type', 'd', 'created', ARGV[1], 'modified', ARGV[1], 'size', 0, 'files', 0)
end
if redis.call('HEXISTS', key('inode', ROOT), 'files') == 0 then
  rebuild(ROOT)
end
redis.call('SETNX', key('counter', 'inode'), ROOT)
redis.call('SETNX', key('counter', 'handle'), 0)
return {'ok'}
