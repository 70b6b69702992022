-- init: refuses a namespace of a newer key schema than this master understands, before any write;
-- otherwise records the schema version when missing, creates the root directory (inode 1) and the
-- counters when missing, and gives a namespace without directory usage counters or sorted names both.
-- Idempotent.
-- ARGV: now_ms, schema_version (the newest version of the key schema the caller understands)

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

local understood = tonumber(ARGV[2])
local found = redis.call('GET', key('schema'))
if found and (tonumber(found) == nil or tonumber(found) > understood) then
  return fail('FAILED_PRECONDITION', 'the namespace in Redis has schema version ' .. found
    .. ', written by a newer Granary; this master understands up to version ' .. ARGV[2])
end
-- a namespace without the key was written by this build's schema or an older one, which it keeps
if not found then
  redis.call('SET', key('schema'), ARGV[2])
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
