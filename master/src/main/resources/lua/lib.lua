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
-- Returns dir_id, next, chain: dir_id is the deepest existing directory, next the index of the first
-- segment that does not exist (n + 1 when all do), and chain the directory ids from the root down to
-- dir_id (the ancestors whose usage counters a change below dir_id moves). Returns nil, i, chain when
-- segment i is a file.
local function walk(segs, n)
  local dir = ROOT
  local chain = {ROOT}
  for i = 1, n do
    local entry = redis.call('HGET', key('dir', dir), segs[i])
    if not entry then
      return dir, i, chain
    end
    if string.sub(entry, 1, 1) == 'f' then
      return nil, i, chain
    end
    dir = string.sub(entry, 3)
    chain[#chain + 1] = dir
  end
  return dir, n + 1, chain
end

-- Directory entries live in two keys: dir:<id> (name -> 'f:<inode>' / 'd:<inode>', O(1) lookups) and
-- names:<id> (a sorted set of the same names, all scored 0, so listings page in byte order with
-- ZRANGEBYLEX). These two helpers are the only writers of both.
-- Where a file at segs goes: the deepest existing directory of its parent path, the index of the
-- first missing segment, the ancestor chain (as walk answers them), and the inode of the file it
-- replaces (nil for none). Answers nil and a failure when a file is in the way or the path is a
-- directory. Shared by start_upload (the early check) and commit (the one that counts).
local function file_target(segs)
  local n = #segs
  local dir, next_seg, chain = walk(segs, n - 1)
  if not dir then
    return nil, fail('FAILED_PRECONDITION', '\'' .. prefix_of(segs, next_seg) .. '\' is a file')
  end
  local old
  if next_seg == n then
    local entry = redis.call('HGET', key('dir', dir), segs[n])
    if entry and string.sub(entry, 1, 1) == 'd' then
      return nil, fail('FAILED_PRECONDITION', '\'' .. prefix_of(segs, n) .. '\' is a directory')
    end
    if entry then old = string.sub(entry, 3) end
  end
  return dir, next_seg, chain, old
end

local function link(dir, name, entry)
  redis.call('HSET', key('dir', dir), name, entry)
  redis.call('ZADD', key('names', dir), 0, name)
end

local function unlink(dir, name)
  redis.call('HDEL', key('dir', dir), name)
  redis.call('ZREM', key('names', dir), name)
end

-- Every directory inode keeps 'size' (bytes) and 'files' (count) of all files below it. A change to
-- one entry moves them on each of its ancestors: O(depth), never O(files).
local function add_usage(chain, bytes, files)
  for _, id in ipairs(chain) do
    -- %d: a Lua number would be sent as '1e+17' past 15 digits, which HINCRBY refuses
    if bytes ~= 0 then redis.call('HINCRBY', key('inode', id), 'size', string.format('%d', bytes)) end
    if files ~= 0 then redis.call('HINCRBY', key('inode', id), 'files', string.format('%d', files)) end
  end
end

-- The bytes and files an entry ('f:<inode>' or 'd:<inode>') accounts for.
local function usage_of(entry)
  local id = string.sub(entry, 3)
  local size = tonumber(redis.call('HGET', key('inode', id), 'size') or '0')
  if string.sub(entry, 1, 1) == 'f' then
    return size, 1
  end
  return size, tonumber(redis.call('HGET', key('inode', id), 'files') or '0')
end

-- The principal recorded as the creator ('owner') of the directories a script creates; a script that
-- acts for someone sets it before calling make_dirs. '' for a caller inside the cluster.
local CREATOR = ''

-- Who asks for the change and from where, for the audit log, and the most entries the log keeps
-- ('0': no cap); audit.lua sets them from ARGV in every fenced script.
local AUDIT = {actor = '', address = '', request = '', max = '0'}

-- Records a change in the audit stream (docs/redis-schema.md), in the same atomic step as the change
-- itself. Scripts call it after their last check, so a refused change is never recorded. path is
-- absolute ('' for none); detail is name=value pairs; actor defaults to the caller's. The entry's id,
-- and so its time, comes from Redis's clock: unique and ordered whichever master writes.
local function audit(action, path, detail, actor)
  local args = {'XADD', key('audit')}
  if AUDIT.max ~= '0' then
    args[#args + 1] = 'MAXLEN'
    args[#args + 1] = AUDIT.max
  end
  for _, v in ipairs({'*', 'action', action, 'path', path, 'actor', actor or AUDIT.actor, 'address', AUDIT.address,
    'requestId', AUDIT.request, 'detail', detail or ''}) do
    args[#args + 1] = v
  end
  redis.call(unpack(args))
end

-- Creates an empty directory inode and returns its id.
local function new_dir(now)
  local id = tostring(redis.call('INCR', key('counter', 'inode')))
  redis.call('HSET', key('inode', id), 'type', 'd', 'created', now, 'modified', now, 'size', 0, 'files', 0,
    'owner', CREATOR)
  return id
end

-- Ownership. actor is the principal asking for a change, admin '1' when it may change
-- anything (an admin token, or a caller inside the cluster). Anyone else may change only an entry
-- whose 'owner' is itself: an entry without owner (one the cluster wrote, say) is the admins'.
-- Answers a PERMISSION_DENIED reply, or nil when the change is allowed.
local function refuse_unless_owner(inode, actor, admin, path)
  if admin == '1' then return nil end
  local owner = redis.call('HGET', key('inode', inode), 'owner') or ''
  if owner ~= '' and owner == actor then return nil end
  return fail('PERMISSION_DENIED', 'not the owner of \'' .. path .. '\': only its owner or an admin may change it')
end

-- The inode id of the file at segs that actor may change a per-file setting of (what: 'replication',
-- 'visibility'), or nil and the error reply: '/' or a directory, nothing there, or not the owner's.
local function owned_file(segs, actor, admin, what)
  local n = #segs
  if n == 0 then
    return nil, fail('FAILED_PRECONDITION', '\'/\' is a directory: ' .. what .. ' is set per file')
  end
  local dir, next_seg = walk(segs, n - 1)
  local entry = dir and next_seg == n and redis.call('HGET', key('dir', dir), segs[n])
  if not entry then
    return nil, fail('NOT_FOUND', 'no file at \'' .. prefix_of(segs, n) .. '\'')
  end
  if string.sub(entry, 1, 1) == 'd' then
    return nil, fail('FAILED_PRECONDITION', '\'' .. prefix_of(segs, n) .. '\' is a directory: ' .. what
      .. ' is set per file')
  end
  local id = string.sub(entry, 3)
  local refused = refuse_unless_owner(id, actor, admin, prefix_of(segs, n))
  if refused then return nil, refused end
  return id
end

-- Directories: a non-admin may delete or rename only a directory it created that holds no file at any
-- depth (its 'files' counter is 0), so it can never remove or move someone else's file that way.
local function refuse_dir_change(inode, actor, admin, path)
  local refused = refuse_unless_owner(inode, actor, admin, path)
  if refused or admin == '1' then return refused end
  if tonumber(redis.call('HGET', key('inode', inode), 'files') or '0') > 0 then
    return fail('PERMISSION_DENIED', 'directory \'' .. path .. '\' holds files: only an admin may delete or '
      .. 'move a directory that is not empty')
  end
  return nil
end

-- Creates segs[from .. n] as directories below dir (mkdir -p of the missing part), extending chain.
-- Returns the deepest directory's id.
local function make_dirs(dir, segs, from, n, chain, now)
  for i = from, n do
    local child = new_dir(now)
    link(dir, segs[i], 'd:' .. child)
    redis.call('HSET', key('inode', dir), 'modified', now)
    dir = child
    chain[#chain + 1] = dir
  end
  return dir
end

-- Moves a file's chunks to the trash (stamped now) and drops its inode, chunk list and chunk sizes.
-- Returns the handles. Every file inode is deleted here, so its sizes:<inode> never outlives it.
local function trash_file(inode, now)
  local handles = redis.call('LRANGE', key('chunks', inode), 0, -1)
  for _, h in ipairs(handles) do
    redis.call('ZADD', key('trash'), now, h)
    redis.call('HDEL', key('chunk'), h)
  end
  redis.call('DEL', key('chunks', inode), key('sizes', inode), key('inode', inode))
  return handles
end

-- The answer that describes an entry, as lookup gives it: id, its inode hash (field, value, ...), and
-- for a file its chunk handles in order and, when they are not all chunkSize but the last (a multipart
-- upload's file), their sizes in the same order ({} otherwise).
local function describe(id, is_file)
  if not is_file then
    return id, redis.call('HGETALL', key('inode', id)), {}, {}
  end
  return id, redis.call('HGETALL', key('inode', id)), redis.call('LRANGE', key('chunks', id), 0, -1),
    redis.call('LRANGE', key('sizes', id), 0, -1)
end

-- Redis's own clock in ms. Every master shares it, so a deadline one master sets holds when a script
-- checks it later, whatever the masters' clocks say.
local function redis_now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- How long a settled upload's record stays, so that a writer who did not hear the answer can ask again
-- (a repeated commit answers the same file, a repeated abandon nothing). Longer than any writer settles.
local SETTLED_RETENTION_MS = 300000

-- An upload's state: 'open', 'committed' or 'abandoned' (expired uploads are abandoned), nil when there
-- is no record (never started, or settled more than SETTLED_RETENTION_MS ago). Only commit, abandon and
-- expire_uploads change it, and only from 'open'. A record without 'state' is open.
local function upload_state(id)
  local state = redis.call('HGET', key('upload', id), 'state')
  if state then return state end
  if redis.call('EXISTS', key('upload', id)) == 1 then return 'open' end
  return nil
end

-- The refusal of a change an upload in this state (not 'open') cannot take.
local function refuse_settled(id, state)
  if state == 'abandoned' then
    return fail('FAILED_PRECONDITION', 'upload ' .. id .. ' was abandoned: nothing of it was committed')
  end
  if state == 'committed' then
    return fail('ALREADY_EXISTS', 'upload ' .. id .. ' was committed: it can no longer be abandoned')
  end
  return fail('NOT_FOUND', 'upload ' .. id .. ' is not open: it was committed, abandoned or expired')
end

-- Multipart uploads (field 'multipart' '1') are listed in uploads:multipart by last activity (they
-- expire after their own, longer timeout) instead of uploads, and in uploads:paths by path for
-- listings: '/<path>\0<id>', all scored 0, so ZRANGEBYLEX orders them by path, then id. Their parts
-- are upload:<id>:parts, a sorted set scored by part number whose members are
-- '<number> <size> <md5> <sha256> <recorded_ms> <handle>:<bytes> ...', and upload:<id>:recorded maps
-- each handle in a part to the part's number.
local function paths_member(path, id)
  return '/' .. path .. '\0' .. id
end

-- Counts activity on an open upload now: its 'active' field and its score in the set it expires from.
local function touch_upload(id, now)
  redis.call('HSET', key('upload', id), 'active', now)
  if redis.call('HGET', key('upload', id), 'multipart') == '1' then
    redis.call('ZADD', key('uploads', 'multipart'), now, id)
  else
    redis.call('ZADD', key('uploads'), now, id)
  end
end

-- Ownership of an upload: only the principal that started it, or an admin, may add to it, complete or
-- abandon it. owner is the upload's 'owner' field; an upload a cluster caller started ('') is the
-- admins'. Answers a PERMISSION_DENIED reply, or nil when allowed.
local function refuse_unless_starter(id, owner, actor, admin)
  if admin == '1' then return nil end
  if owner and owner ~= '' and owner == actor then return nil end
  return fail('PERMISSION_DENIED', 'upload ' .. id .. ' was started by another principal: only it or an admin '
    .. 'may change it')
end

-- Settles an open upload for good: 'committed' or 'abandoned', with more fields to record (name, value,
-- ...). Its handles still pending are released and returned (garbage: the commit took the ones it
-- committed). The record then expires after SETTLED_RETENTION_MS.
-- A multipart upload also leaves its listings; its parts go (or, once committed, stay as long as the
-- record, for a repeated completion).
local function settle_upload(id, state, ...)
  local released = {}
  for _, h in ipairs(redis.call('SMEMBERS', key('upload', id, 'handles'))) do
    if redis.call('HDEL', key('pending'), h) == 1 then table.insert(released, h) end
  end
  redis.call('DEL', key('upload', id, 'handles'))
  redis.call('ZREM', key('uploads'), id)
  local u = redis.call('HMGET', key('upload', id), 'multipart', 'path')
  if u[1] == '1' then
    redis.call('ZREM', key('uploads', 'multipart'), id)
    redis.call('ZREM', key('uploads', 'paths'), paths_member(u[2], id))
    redis.call('DEL', key('upload', id, 'recorded'))
    if state == 'committed' then
      -- a repeated completion reads the chunks of its parts here again
      redis.call('PEXPIRE', key('upload', id, 'parts'), SETTLED_RETENTION_MS)
    else
      redis.call('DEL', key('upload', id, 'parts'))
    end
  end
  redis.call('HSET', key('upload', id), 'state', state, ...)
  redis.call('PEXPIRE', key('upload', id), SETTLED_RETENTION_MS)
  return released
end

-- A file's metadata lives on its inode hash as 'meta:<name>' fields (a name holds no ':'), so it goes
-- wherever the inode goes: a rename keeps it, a delete or replacement drops it with the inode. An upload
-- keeps it the same way on its upload hash until the commit copies it.
local METADATA_PREFIX = 'meta:'

-- Copies the 'meta:<name>' fields of the hash from to the hash to.
local function copy_metadata(from, to)
  local flat = redis.call('HGETALL', from)
  for i = 1, #flat, 2 do
    if string.sub(flat[i], 1, #METADATA_PREFIX) == METADATA_PREFIX then
      redis.call('HSET', to, flat[i], flat[i + 1])
    end
  end
end

-- Segments are passed as ARGV[first .. first + count - 1]; returns them as a table.
local function slice(first, count)
  local out = {}
  for i = 1, count do out[i] = ARGV[first + i - 1] end
  return out
end

-- Checks a write precondition (HTTP If-Match / If-None-Match) against the file now at the path
-- (old: its inode id, or nil). if_match is a SHA-256, '*' (any file) or ''; if_none_match '1' or
-- '0'. Returns an error reply when it does not hold, nil when it does.
local function check_precondition(if_match, if_none_match, old, path)
  if if_none_match == '1' and old then
    return fail('PRECONDITION_FAILED', 'a file exists at \'' .. path .. '\' (If-None-Match: *)')
  end
  if if_match == nil or if_match == '' then
    return nil
  end
  if not old then
    return fail('PRECONDITION_FAILED', 'no file at \'' .. path .. '\' to match (If-Match)')
  end
  local sha = redis.call('HGET', key('inode', old), 'sha256') or ''
  if if_match ~= '*' and sha ~= if_match then
    return fail('PRECONDITION_FAILED', 'the file at \'' .. path .. '\' has SHA-256 "' .. sha
      .. '", not "' .. if_match .. '" (If-Match): it changed')
  end
  return nil
end

-- Makes an open upload's content the file at segs, in one step, after checking that it may: the path
-- takes a file (FAILED_PRECONDITION when a file is in the way or a directory is there), the upload's
-- write precondition holds against the file it replaces (PRECONDITION_FAILED), and its owner may
-- replace that file (PERMISSION_DENIED). Nothing is written unless every check passes. Then: missing
-- parents are created, a replaced file goes to the trash, ancestors' usage moves, the new inode is
-- written with the upload's attributes and metadata, its chunk list (and, when sizes is not nil, its
-- chunk sizes) pushed in order, the handles moved from pending to chunk, the name linked, and the
-- upload settled as committed (its other handles become garbage).
-- size is the decimal size; handles are the file's chunks in order. The caller has checked that each
-- is pending for this upload.
-- Returns {'ok', inode_id, {trashed...}, {garbage...}, replaced ('1'/'0'), visibility, committed_at_ms}
-- or a failure reply.
local function write_file(id, segs, handles, sizes, size, sha256, etag, now)
  local up = key('upload', id)
  local n = #segs
  local dir, next_seg, chain, old = file_target(segs)
  if not dir then return next_seg end -- then the second answer is the failure
  local u = redis.call('HMGET', up, 'replication', 'chunkSize', 'contentType', 'ifMatch', 'ifNoneMatch', 'owner',
    'admin', 'visibility')
  -- the writer's If-Match / If-None-Match, checked here against the file that the commit replaces
  local refused = check_precondition(u[4], u[5], old, prefix_of(segs, n))
  if refused then return refused end
  -- an upload without an 'admin' field came from a cluster caller
  local owner, admin = u[6] or '', u[7] or '1'
  local visibility = u[8] or ''
  if old then
    -- the file may have changed hands since start_upload: this is the check that counts
    refused = refuse_unless_owner(old, owner, admin, prefix_of(segs, n))
    if refused then return refused end
    if visibility == '' then visibility = redis.call('HGET', key('inode', old), 'visibility') or '' end
  end
  if visibility == '' then visibility = 'private' end

  CREATOR = owner
  dir = make_dirs(dir, segs, next_seg, n - 1, chain, now)

  local trashed = {}
  local old_size = 0
  if old then
    old_size = tonumber(redis.call('HGET', key('inode', old), 'size') or '0')
    trashed = trash_file(old, now)
  end
  add_usage(chain, tonumber(size) - old_size, old and 0 or 1)

  local fid = tostring(redis.call('INCR', key('counter', 'inode')))
  redis.call('HSET', key('inode', fid), 'type', 'f', 'size', size, 'replication', u[1], 'chunkSize', u[2],
    'sha256', sha256, 'contentType', u[3], 'created', now, 'modified', now, 'owner', owner,
    'visibility', visibility, 'etag', etag)
  copy_metadata(up, key('inode', fid))
  -- RPUSH in index order: the list is the file's chunk order
  for _, h in ipairs(handles) do
    redis.call('RPUSH', key('chunks', fid), h)
    redis.call('HSET', key('chunk'), h, fid .. ':' .. u[1])
    redis.call('HDEL', key('pending'), h)
  end
  if sizes then
    for _, bytes in ipairs(sizes) do redis.call('RPUSH', key('sizes', fid), bytes) end
  end
  link(dir, segs[n], 'f:' .. fid)
  redis.call('HSET', key('inode', dir), 'modified', now)

  -- handles allocated to the upload but not committed (retried chunks, parts left out) become garbage;
  -- the record keeps what a repeated commit answers
  local replaced = old and '1' or '0'
  -- CommitUpload names no actor: the upload's starter is the one who wrote the file
  audit(old and 'overwrite' or 'upload', '/' .. prefix_of(segs, n), 'size=' .. size,
    AUDIT.actor ~= '' and AUDIT.actor or owner)
  local garbage = settle_upload(id, 'committed', 'inode', fid, 'size', size, 'sha256', sha256,
    'replaced', replaced, 'visibility', visibility, 'committedAt', now, 'etag', etag)
  return {'ok', fid, trashed, garbage, replaced, visibility, now}
end
