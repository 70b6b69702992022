-- expire_uploads: abandons uploads idle since before a cutoff, at most max of them per call; they are
-- settled as abandoned, so a late commit is refused. Multipart uploads have a cutoff of their own (a
-- longer timeout): ordinary ones are taken first, then multipart ones up to max in all.
-- ARGV: cutoff_ms, multipart_cutoff_ms, max
-- Answers {'ok', {upload id...}, {garbage handle...}}.
local max = tonumber(ARGV[3])
local ids = redis.call('ZRANGEBYSCORE', key('uploads'), '-inf', ARGV[1], 'LIMIT', 0, max)
if #ids < max then
  local multipart = redis.call('ZRANGEBYSCORE', key('uploads', 'multipart'), '-inf', ARGV[2], 'LIMIT', 0,
    max - #ids)
  for _, id in ipairs(multipart) do ids[#ids + 1] = id end
end
local garbage = {}
for _, id in ipairs(ids) do
  if upload_state(id) == 'open' then
    for _, h in ipairs(settle_upload(id, 'abandoned')) do table.insert(garbage, h) end
  else
    redis.call('ZREM', key('uploads'), id)
    redis.call('ZREM', key('uploads', 'multipart'), id)
  end
end
return {'ok', ids, garbage}
