-- commit: makes an upload visible at its path in one atomic step. Everything is checked before the
-- first write, because a script that fails half-way is not rolled back.
-- ARGV: upload_id, now_ms, size, sha256, segment_count, segment..., handle... (in file order)
-- Answers {'ok', inode_id, {trashed handle...}, {garbage handle...}, replaced ('1' or '0'), visibility}.
local id, now = ARGV[1], ARGV[2]
local size = tonumber(ARGV[3])
local n = tonumber(ARGV[5])
local segs = slice(6, n)
local handles = slice(6 + n, #ARGV - 5 - n)
local up = key('upload', id)
if redis.call('EXISTS', up) == 0 then
  return fail('NOT_FOUND', 'upload ' .. id .. ' is not open: it was committed, abandoned or expired')
end
for _, h in ipairs(handles) do
  if redis.call('HGET', key('pending'), h) ~= id then
    return fail('FAILED_PRECONDITION', 'chunk ' .. h .. ' was not allocated to upload ' .. id)
  end
end
local dir, next_seg, chain, old = file_target(segs)
if not dir then return next_seg end -- then the second answer is the failure
local u = redis.call('HMGET', up, 'replication', 'chunkSize', 'contentType', 'ifMatch', 'ifNoneMatch', 'owner',
  'admin', 'visibility')
-- the writer's If-Match / If-None-Match, checked here against the file that the commit replaces
local refused = check_precondition(u[4], u[5], old, prefix_of(segs, n))
if refused then return refused end
-- an upload from before owners existed has no 'admin' field: it came from a cluster caller
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
add_usage(chain, size - old_size, old and 0 or 1)

local fid = tostring(redis.call('INCR', key('counter', 'inode')))
redis.call('HSET', key('inode', fid), 'type', 'f', 'size', ARGV[3], 'replication', u[1], 'chunkSize', u[2],
  'sha256', ARGV[4], 'contentType', u[3], 'created', now, 'modified', now, 'owner', owner,
  'visibility', visibility)
-- RPUSH in index order: the list is the file's chunk order
for _, h in ipairs(handles) do
  redis.call('RPUSH', key('chunks', fid), h)
  redis.call('HSET', key('chunk'), h, fid .. ':' .. u[1])
  redis.call('HDEL', key('pending'), h)
end
link(dir, segs[n], 'f:' .. fid)
redis.call('HSET', key('inode', dir), 'modified', now)

-- handles allocated to the upload but not committed (retried chunks) become garbage
local garbage = {}
for _, h in ipairs(redis.call('SMEMBERS', key('upload', id, 'handles'))) do
  if redis.call('HDEL', key('pending'), h) == 1 then table.insert(garbage, h) end
end
drop_upload(id)
return {'ok', fid, trashed, garbage, old and '1' or '0', visibility}
