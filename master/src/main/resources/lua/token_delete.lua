-- token_delete: revokes a token by id: its hash key and its index entry go together, so the next
-- resolution of the secret finds nothing.
-- ARGV: id. Answers {'ok', '1'} when it existed, {'ok', '0'} otherwise.
local hash = redis.call('HGET', key('tokens'), ARGV[1])
if not hash then return {'ok', '0'} end
redis.call('DEL', key('token', hash))
redis.call('HDEL', key('tokens'), ARGV[1])
return {'ok', '1'}
