-- grant_delete: removes an IP grant and its index entries. ARGV: id, audit ('1': a revocation to
-- record; '0': an expired grant cleaned up)
-- Answers {'ok', 1} when it existed, {'ok', 0} when not.
local g = key('grant', ARGV[1])
local path = redis.call('HGET', g, 'path')
redis.call('DEL', g)
redis.call('ZREM', key('grants'), ARGV[1])
if path then
  redis.call('SREM', key('grants', 'path', '/' .. path), ARGV[1])
  if ARGV[2] == '1' then audit('grant.revoke', '/' .. path, 'id=' .. ARGV[1]) end
  return {'ok', 1}
end
return {'ok', 0}
