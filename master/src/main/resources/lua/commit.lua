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
local etag = ARGV[7]
local n = tonumber(ARGV[8])
local segs = slice(9, n)
local handles = slice(9 + n, #ARGV - 8 - n)
local up = key('upload', id)
local state = upload_state(id)
if redis.call('HGET', up, 'multipart') == '1' then
  return fail('FAILED_PRECONDITION', 'upload ' .. id .. ' is a multipart upload: complete it from its parts')
end
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
return write_file(id, segs, handles, nil, ARGV[3], ARGV[4], etag, now)
