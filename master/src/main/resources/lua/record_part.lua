-- record_part: records one part of an open multipart upload, replacing an earlier record of the same
-- number. Every chunk must be pending for this upload and in no other part; each has the upload's chunk
-- size but the part's last, which has 1 to chunk size bytes. The replaced record's chunks that the new
-- one does not keep are released at once: garbage. Counts as activity.
-- ARGV: upload_id, part_number, size, md5_hex, sha256_hex, now_ms, actor, admin ('1'/'0'),
--       (handle, bytes)... in part order
-- Answers {'ok', {garbage handle...}}.
local id, number, now = ARGV[1], ARGV[2], ARGV[6]
local up = key('upload', id)
if upload_state(id) ~= 'open' then return refuse_settled(id, nil) end
local u = redis.call('HMGET', up, 'multipart', 'owner', 'chunkSize')
if u[1] ~= '1' then
  return fail('FAILED_PRECONDITION', 'upload ' .. id .. ' is not a multipart upload: it has no parts')
end
local refused = refuse_unless_starter(id, u[2], ARGV[7], ARGV[8])
if refused then return refused end
local chunk_size = tonumber(u[3])
local parts, recorded = key('upload', id, 'parts'), key('upload', id, 'recorded')

local count = (#ARGV - 8) / 2
local record = {number, ARGV[3], ARGV[4], ARGV[5], now}
local kept = {}
for i = 1, count do
  local h, bytes = ARGV[7 + 2 * i], ARGV[8 + 2 * i]
  if redis.call('HGET', key('pending'), h) ~= id then
    return fail('FAILED_PRECONDITION', 'chunk ' .. h .. ' was not allocated to upload ' .. id)
  end
  local other = redis.call('HGET', recorded, h)
  if other and other ~= number then
    return fail('FAILED_PRECONDITION', 'chunk ' .. h .. ' belongs to part ' .. other .. ' of upload ' .. id)
  end
  local b = tonumber(bytes)
  if i < count and b ~= chunk_size then
    return fail('INVALID_ARGUMENT', 'chunk ' .. i .. ' of part ' .. number .. ' has ' .. bytes .. ' bytes: every '
      .. 'chunk of a part but its last has the upload\'s chunk size, ' .. u[3])
  end
  if b <= 0 or b > chunk_size then
    return fail('INVALID_ARGUMENT', 'the last chunk of part ' .. number .. ' has ' .. bytes .. ' bytes: it must '
      .. 'have 1 to ' .. u[3])
  end
  kept[h] = true
  record[#record + 1] = h .. ':' .. bytes
end

-- every check passed: from here on, only writes
local garbage = {}
local earlier = redis.call('ZRANGEBYSCORE', parts, number, number)
if earlier[1] then
  local position = 0
  for token in string.gmatch(earlier[1], '%S+') do
    position = position + 1
    if position > 5 then
      local h = string.match(token, '^([^:]+)')
      if not kept[h] then
        redis.call('HDEL', key('pending'), h)
        redis.call('SREM', key('upload', id, 'handles'), h)
        redis.call('HDEL', recorded, h)
        garbage[#garbage + 1] = h
      end
    end
  end
  redis.call('ZREMRANGEBYSCORE', parts, number, number)
end
for h in pairs(kept) do redis.call('HSET', recorded, h, number) end
redis.call('ZADD', parts, number, table.concat(record, ' '))
touch_upload(id, now)
return {'ok', garbage}
