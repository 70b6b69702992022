-- complete_multipart: makes an open multipart upload visible at its path in one atomic step that copies
-- no byte: the file's chunks are the listed parts' chunks, in order. Fenced as commit is (the latest
-- attempt of begin_commit, a deadline on Redis's clock) and idempotent: a completed upload answers the
-- same file again when the etag and SHA-256 are those it was completed with. Chunks of parts not listed
-- become garbage with the upload's other unused handles.
-- A refusal of the parts is FAILED_PRECONDITION with a message starting 'invalid part order: ' (numbers
-- not strictly ascending), 'invalid part: ' (a part not recorded, or with another MD5) or 'entity too
-- small: ' (a part but the last below min_part_bytes); io.granary.common.Multipart names them.
-- ARGV: upload_id, now_ms, attempt, deadline_ms, etag, sha256, min_part_bytes, actor, admin ('1'/'0'),
--       segment_count, segment..., (part_number, md5_hex)...
-- Answers {'ok', inode_id, {trashed handle...}, {garbage handle...}, replaced ('1'/'0'), visibility,
--          committed_at_ms, size, {handle, bytes, handle, bytes, ...} (the file's chunks in order)}.
local id, now, etag, sha256 = ARGV[1], ARGV[2], ARGV[5], ARGV[6]
local up = key('upload', id)
local n = tonumber(ARGV[10])
local segs = slice(11, n)
local wanted = {}
for i = 11 + n, #ARGV, 2 do wanted[#wanted + 1] = {ARGV[i], ARGV[i + 1]} end

-- The listed parts' chunks: {handle, bytes, ...}, their total size and whether any chunk but the last
-- differs from chunk_size; or nil and the refusal.
local function chunks_of(chunk_size, min_part_bytes)
  local previous = 0
  for _, w in ipairs(wanted) do
    if tonumber(w[1]) <= previous then
      return nil, fail('FAILED_PRECONDITION', 'invalid part order: part ' .. w[1] .. ' is listed after part '
        .. previous .. ': parts must be listed in strictly ascending order')
    end
    previous = tonumber(w[1])
  end
  local flat, total = {}, 0
  for i, w in ipairs(wanted) do
    local record = redis.call('ZRANGEBYSCORE', key('upload', id, 'parts'), w[1], w[1])[1]
    if not record then
      return nil, fail('FAILED_PRECONDITION', 'invalid part: part ' .. w[1] .. ' of upload ' .. id
        .. ' was not uploaded')
    end
    local position, size = 0, 0
    for token in string.gmatch(record, '%S+') do
      position = position + 1
      if position == 2 then
        size = tonumber(token)
      elseif position == 3 and token ~= w[2] then
        return nil, fail('FAILED_PRECONDITION', 'invalid part: part ' .. w[1] .. ' of upload ' .. id
          .. ' has MD5 ' .. token .. ', not ' .. w[2])
      elseif position > 5 then
        local h, bytes = string.match(token, '^([^:]+):(%d+)$')
        flat[#flat + 1] = h
        flat[#flat + 1] = bytes
      end
    end
    if i < #wanted and size < min_part_bytes then
      return nil, fail('FAILED_PRECONDITION', 'entity too small: part ' .. w[1] .. ' has ' .. size
        .. ' bytes, less than the ' .. min_part_bytes .. ' every part but the last must have')
    end
    total = total + size
  end
  local irregular = false
  for j = 2, #flat - 2, 2 do
    if tonumber(flat[j]) ~= chunk_size then irregular = true end
  end
  return flat, total, irregular
end

if redis.call('HGET', up, 'multipart') ~= '1' and redis.call('EXISTS', up) == 1 then
  return fail('FAILED_PRECONDITION', 'upload ' .. id .. ' is not a multipart upload: commit it with its chunks')
end
local state = upload_state(id)
if state == 'committed' then
  local c = redis.call('HMGET', up, 'etag', 'sha256', 'inode', 'replaced', 'visibility', 'committedAt', 'size',
    'chunkSize', 'owner')
  local refused = refuse_unless_starter(id, c[9], ARGV[8], ARGV[9])
  if refused then return refused end
  if c[1] ~= etag or c[2] ~= sha256 then
    return fail('FAILED_PRECONDITION', 'upload ' .. id .. ' was completed with another content (etag "' .. c[1]
      .. '", SHA-256 "' .. c[2] .. '"): a repeated completion must send the same')
  end
  local flat, total = chunks_of(tonumber(c[8]), 0)
  if not flat or string.format('%d', total) ~= c[7] then
    return fail('FAILED_PRECONDITION', 'upload ' .. id .. ' was completed with other parts: a repeated '
      .. 'completion must list the same')
  end
  return {'ok', c[3], {}, {}, c[4], c[5], c[6], c[7], flat}
end
if state ~= 'open' then return refuse_settled(id, state) end
local u = redis.call('HMGET', up, 'owner', 'attempt', 'chunkSize')
local refused = refuse_unless_starter(id, u[1], ARGV[8], ARGV[9])
if refused then return refused end
if u[2] ~= ARGV[3] then
  return fail('FAILED_PRECONDITION', 'upload ' .. id .. ': this completion was overtaken by a later attempt')
end
if redis_now_ms() > tonumber(ARGV[4]) then
  return fail('DEADLINE_EXCEEDED', 'upload ' .. id .. ': the completion reached the metadata store after its '
    .. 'deadline, when its caller had given up; nothing changed')
end
local flat, total, irregular = chunks_of(tonumber(u[3]), tonumber(ARGV[7]))
if not flat then return total end -- then the second answer is the refusal
local handles, sizes = {}, {}
for j = 1, #flat, 2 do
  if redis.call('HGET', key('pending'), flat[j]) ~= id then
    return fail('FAILED_PRECONDITION', 'chunk ' .. flat[j] .. ' was not allocated to upload ' .. id)
  end
  handles[#handles + 1] = flat[j]
  sizes[#sizes + 1] = flat[j + 1]
end
local size = string.format('%d', total)
local answer = write_file(id, segs, handles, irregular and sizes or nil, size, sha256, etag, now)
if answer[1] ~= 'ok' then return answer end
answer[#answer + 1] = size
answer[#answer + 1] = flat
return answer
