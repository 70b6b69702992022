-- init: creates the root directory (inode 1) and the counters when missing. Idempotent.
-- ARGV: now_ms
if redis.call('EXISTS', key('inode', ROOT)) == 0 then
  redis.call('HSET', key('inode', ROOT), 'type', 'd', 'created', ARGV[1], 'modified', ARGV[1])
end
redis.call('SETNX', key('counter', 'inode'), ROOT)
redis.call('SETNX', key('counter', 'handle'), 0)
return {'ok'}
