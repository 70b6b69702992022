-- expire_uploads: abandons uploads idle since before a cutoff, at most max of them per call.
-- ARGV: cutoff_ms, max
-- Answers {'ok', {upload id...}, {garbage handle...}}.
local ids = redis.call('ZRANGEBYSCORE', key('uploads'), '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local garbage = {}
for _, id in ipairs(ids) do
  for _, h in ipairs(drop_upload(id)) do table.insert(garbage, h) end
end
return {'ok', ids, garbage}
