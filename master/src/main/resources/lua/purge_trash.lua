-- purge_trash: removes trash entries deleted at or before a cutoff, at most max per call. The
-- handles it returns are no longer needed by anyone and may be deleted from every chunkserver.
-- ARGV: cutoff_ms, max
-- Answers {'ok', {handle...}}.
local handles = redis.call('ZRANGEBYSCORE', key('trash'), '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, h in ipairs(handles) do
  redis.call('ZREM', key('trash'), h)
end
return {'ok', handles}
