-- token_delete: revokes a token by id: its hash key, its index entry and every S3 key it has go
-- together, so the next resolution of the secret or of any of those keys finds nothing.
-- ARGV: id. Answers {'ok', '1'} when it existed, {'ok', '0'} otherwise.
local id = ARGV[1]
local hash = redis.call('HGET', key('tokens'), id)
if not hash then return {'ok', '0'} end
redis.call('DEL', key('token', hash))
redis.call('HDEL', key('tokens'), id)
for _, ak in ipairs(redis.call('SMEMBERS', key('s3keys', id))) do
  redis.call('DEL', key('s3key', ak))
  redis.call('HDEL', key('s3keys'), ak)
end
redis.call('DEL', key('s3keys', id))
audit('token.revoke', '', 'id=' .. id)
return {'ok', '1'}
