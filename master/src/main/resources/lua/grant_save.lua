-- grant_save: stores an IP grant and indexes it by expiry and by path, in one step.
-- ARGV: id, path, cidr, created_ms, expires_ms, creator, hash_expires_at_ms
local g = key('grant', ARGV[1])
redis.call('HSET', g, 'path', ARGV[2], 'cidr', ARGV[3], 'created', ARGV[4], 'expires', ARGV[5], 'creator', ARGV[6])
redis.call('PEXPIREAT', g, ARGV[7])
redis.call('ZADD', key('grants'), ARGV[5], ARGV[1])
redis.call('SADD', key('grants', 'path', '/' .. ARGV[2]), ARGV[1])
audit('grant.create', '/' .. ARGV[2], 'id=' .. ARGV[1] .. ' cidr=' .. ARGV[3] .. ' expires=' .. ARGV[5])
return {'ok'}
