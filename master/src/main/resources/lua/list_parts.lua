-- list_parts: one page of an open multipart upload's parts, in part-number order, with the upload.
-- ARGV: upload_id, after_part_number, limit
-- Answers {'ok', {upload hash as field, value, ...}, {part record...}} with up to limit + 1 records (the
-- extra one says that more follow); a record is '<number> <size> <md5> <sha256> <recorded_ms> <chunk>...'.
-- NOT_FOUND when the upload is unknown, settled or not a multipart upload.
local id = ARGV[1]
local up = key('upload', id)
if upload_state(id) ~= 'open' then return refuse_settled(id, nil) end
if redis.call('HGET', up, 'multipart') ~= '1' then
  return fail('NOT_FOUND', 'upload ' .. id .. ' is not a multipart upload')
end
return {'ok', redis.call('HGETALL', up), redis.call('ZRANGEBYSCORE', key('upload', id, 'parts'), '(' .. ARGV[2],
  '+inf', 'LIMIT', 0, tonumber(ARGV[3]) + 1)}
