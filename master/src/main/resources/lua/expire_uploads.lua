-- expire_uploads: abandons uploads idle since before a cutoff, at most max of them per call; they are
-- settled as abandoned, so a late commit is refused.
-- ARGV: cutoff_ms, max
-- Answers {'ok', {upload id...}, {garbage handle...}}.
local ids = redis.call('ZRANGEBYSCORE', key('uploads'), '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local garbage = {}
for _, id in ipairs(ids) do
  if upload_state(id) == 'open' then
    for _, h in ipairs(settle_upload(id, 'abandoned')) do table.insert(garbage, h) end
  else
    redis.call('ZREM', key('uploads'), id)
  end
end
return {'ok', ids, garbage}
