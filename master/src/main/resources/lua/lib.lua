-- Shared by every script: prepended to each one before SCRIPT LOAD.
-- KEYS[1] is the key prefix with its hash tag (e.g. "{granary}"); every key a script touches is
-- KEYS[1] .. ':' .. something, so all of them share one Redis Cluster slot.
-- A script answers {'ok', ...} or {ERROR_KIND, message}, ERROR_KIND being a Java ErrorKind name.
local P = KEYS[1]
local ROOT = '1'

local function key(...)
  return P .. ':' .. table.concat({...}, ':')
end

local function fail(kind, message)
  return {kind, message}
end

-- 'a/b' for the first n segments of segs, as error messages quote paths.
local function prefix_of(segs, n)
  local parts = {}
  for i = 1, n do parts[i] = segs[i] end
  return table.concat(parts, '/')
end

-- Walks the first n segments from the root, each of which must be a directory.
-- Returns dir_id, next: dir_id is the deepest existing directory and next the index of the first
-- segment that does not exist (n + 1 when all do). Returns nil, i when segment i is a file.
local function walk(segs, n)
  local dir = ROOT
  for i = 1, n do
    local entry = redis.call('HGET', key('dir', dir), segs[i])
    if not entry then
      return dir, i
    end
    if string.sub(entry, 1, 1) == 'f' then
      return nil, i
    end
    dir = string.sub(entry, 3)
  end
  return dir, n + 1
end

-- Moves a file's chunks to the trash (stamped now) and drops its inode. Returns the handles.
local function trash_file(inode, now)
  local handles = redis.call('LRANGE', key('chunks', inode), 0, -1)
  for _, h in ipairs(handles) do
    redis.call('ZADD', key('trash'), now, h)
    redis.call('HDEL', key('chunk'), h)
  end
  redis.call('DEL', key('chunks', inode), key('inode', inode))
  return handles
end

-- Forgets an upload and its pending handles, which become garbage. Returns the handles.
local function drop_upload(id)
  local handles = redis.call('SMEMBERS', key('upload', id, 'handles'))
  for _, h in ipairs(handles) do
    redis.call('HDEL', key('pending'), h)
  end
  redis.call('DEL', key('upload', id), key('upload', id, 'handles'))
  redis.call('ZREM', key('uploads'), id)
  return handles
end

-- Segments are passed as ARGV[first .. first + count - 1]; returns them as a table.
local function slice(first, count)
  local out = {}
  for i = 1, count do out[i] = ARGV[first + i - 1] end
  return out
end
