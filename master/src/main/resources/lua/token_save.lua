-- token_save: stores a token under the SHA-256 of its secret, and indexes its id.
-- ARGV: sha256, id, name, role, created_ms, expires_ms (0: never). Answers {'ok'}.
local hash, id = ARGV[1], ARGV[2]
local old = redis.call('HGET', key('tokens'), id)
if old then redis.call('DEL', key('token', old)) end
redis.call('DEL', key('token', hash))
redis.call('HSET', key('token', hash), 'id', id, 'name', ARGV[3], 'role', ARGV[4], 'created', ARGV[5],
  'expires', ARGV[6])
redis.call('HSET', key('tokens'), id, hash)
audit('token.create', '', 'id=' .. id .. ' role=' .. ARGV[4])
return {'ok'}
