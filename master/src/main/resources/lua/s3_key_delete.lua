-- s3_key_delete: revokes an S3 key: its hash and both index entries go together.
-- ARGV: access key id, owner token id ('' for any owner).
-- Answers {'ok', '1'} when it existed, {'ok', '0'} otherwise; PERMISSION_DENIED (nothing deleted) when
-- an owner is given and the key belongs to another token.
local ak, owner = ARGV[1], ARGV[2]
local tok = redis.call('HGET', key('s3key', ak), 'token')
if not tok then return {'ok', '0'} end
if owner ~= '' and tok ~= owner then
  return fail('PERMISSION_DENIED', 'the S3 key \'' .. ak .. '\' belongs to another token')
end
redis.call('DEL', key('s3key', ak))
redis.call('HDEL', key('s3keys'), ak)
redis.call('SREM', key('s3keys', tok), ak)
audit('s3key.revoke', '', 'key=' .. ak .. ' token=' .. tok)
return {'ok', '1'}
