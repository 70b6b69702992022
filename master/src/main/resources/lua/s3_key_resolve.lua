-- s3_key_resolve: an S3 key and its token, read in one step, so that a key is never answered with a
-- token revoked before the read. Writes nothing.
-- ARGV: access key id.
-- Answers {'ok'} when the key or its token is missing, else {'ok', token id, secret key, created_ms,
-- {token field, value, ...}}.
local k = redis.call('HMGET', key('s3key', ARGV[1]), 'token', 'secret', 'created')
if not k[1] then return {'ok'} end
local hash = redis.call('HGET', key('tokens'), k[1])
if not hash then return {'ok'} end
local t = redis.call('HGETALL', key('token', hash))
if #t == 0 then return {'ok'} end
return {'ok', k[1], k[2], k[3], t}
