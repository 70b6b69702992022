-- commit: makes an upload visible at its path in one atomic step and settles it as committed.
-- Everything is checked before the first write, because a script that fails half-way is not rolled back.
-- Idempotent: a committed upload answers the same file again (no handles trashed or garbage), if the
-- size and SHA-256 are those it was committed with. An abandoned upload is refused, so a commit that
-- reaches Redis after the writer abandoned it never makes the file visible; so is an attempt that a
-- later begin_commit overtook, or one that arrives after its deadline (on Redis's clock).
-- The file takes the upload's content type and metadata ('meta:<name>' fields, copied to its inode) and
-- the etag given here ('' for none).
-- ARGV: upload_id, now_ms, size, sha256, attempt, deadline_ms, etag, segment_count, segment..., handle...
--       (in file order)
-- Answers {'ok', inode_id, {trashed handle...}, {garbage handle...}, replaced ('1' or '0'), visibility,
--          committed_at_ms}.
local id, now = ARGV[1], ARGV[2]
local size = tonumber(ARGV[3])
local etag = ARGV[7]
local n = tonumber(ARGV[8])
local segs = slice(9, n)
local handles = slice(9 + n, #ARGV - 8 - n)
local up = key('upload', id)
local state = upload_state(id)
if state == 'committed' then
  local c = redis.call('HMGET', up, 'size', 'sha256', 'inode', 'replaced', 'visibility', 'committedAt', 'etag')
  if c[1] ~= ARGV[3] or c[2] ~= ARGV[4] or (c[7] or '') ~= etag then
    return fail('FAILED_PRECONDITION', 'upload ' .. id .. ' was committed with another content (' .. c[1]
      .. ' bytes, SHA-256 "' .. c[2] .. '", etag "' .. (c[7] or '') .. '"): a repeated commit must send the same')
  end
  return {'ok', c[3], {}, {}, c[4], c[5], c[6]}
end
if state ~= 'open' then return refuse_settled(id, state) end
if redis.call('HGET', up, 'attempt') ~= ARGV[5] then
  return fail('FAILED_PRECONDITION', 'upload ' .. id .. ': this commit was overtaken by a later attempt')
end
if redis_now_ms() > tonumber(ARGV[6]) then
  return fail('DEADLINE_EXCEEDED', 'upload ' .. id .. ': the commit reached the metadata store after its '
    .. 'deadline, when its caller had given up; nothing changed')
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
add_usage(chain, size - old_size, old and 0 or 1)

local fid = tostring(redis.call('INCR', key('counter', 'inode')))
redis.call('HSET', key('inode', fid), 'type', 'f', 'size', ARGV[3], 'replication', u[1], 'chunkSize', u[2],
  'sha256', ARGV[4], 'contentType', u[3], 'created', now, 'modified', now, 'owner', owner,
  'visibility', visibility, 'etag', etag)
copy_metadata(up, key('inode', fid))
-- RPUSH in index order: the list is the file's chunk order
for _, h in ipairs(handles) do
  redis.call('RPUSH', key('chunks', fid), h)
  redis.call('HSET', key('chunk'), h, fid .. ':' .. u[1])
  redis.call('HDEL', key('pending'), h)
end
link(dir, segs[n], 'f:' .. fid)
redis.call('HSET', key('inode', dir), 'modified', now)

-- handles allocated to the upload but not committed (retried chunks) become garbage; the record keeps
-- what a repeated commit answers
local replaced = old and '1' or '0'
local garbage = settle_upload(id, 'committed', 'inode', fid, 'size', ARGV[3], 'sha256', ARGV[4],
  'replaced', replaced, 'visibility', visibility, 'committedAt', now, 'etag', etag)
return {'ok', fid, trashed, garbage, replaced, visibility, now}
