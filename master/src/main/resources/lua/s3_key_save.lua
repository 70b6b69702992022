-- s3_key_save: gives a live token an S3 key, or answers the same key again: a token that is unknown or
-- expired at now_ms gets none, and an access key id is never taken over.
-- ARGV: access key id, token id, secret key, created_ms, now_ms.
-- Answers {'ok', created_ms} of the stored key (the existing one's for the same token and secret key).
local ak, tok, secret = ARGV[1], ARGV[2], ARGV[3]
local hash = redis.call('HGET', key('tokens'), tok)
local expires = hash and redis.call('HGET', key('token', hash), 'expires')
if not expires or (expires ~= '0' and tonumber(ARGV[5]) >= tonumber(expires)) then
  return fail('NOT_FOUND', 'no live token with id \'' .. tok .. '\'')
end
local old = redis.call('HMGET', key('s3key', ak), 'token', 'secret', 'created')
if old[1] then
  if old[1] == tok and old[2] == secret then return {'ok', old[3]} end
  return fail('ALREADY_EXISTS', 'the S3 access key id \'' .. ak .. '\' is taken: revoke that key first, or choose another id')
end
redis.call('HSET', key('s3key', ak), 'token', tok, 'secret', secret, 'created', ARGV[4])
redis.call('HSET', key('s3keys'), ak, tok)
redis.call('SADD', key('s3keys', tok), ak)
audit('s3key.create', '', 'key=' .. ak .. ' token=' .. tok)
return {'ok', ARGV[4]}
