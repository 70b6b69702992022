-- lease_acquire: makes the caller the active master when no master holds the lease, or when the
-- holder is the caller's own address (it restarted: no other process can serve on that address
-- while the caller does). A new holder gets the next fencing epoch. Never fenced.
-- ARGV: holder (the advertised host:port), ttl_ms
-- Answers {'ok', epoch, holder}: epoch 0 and the current holder when another master holds it.
local lease = key('master', 'lease')
local holder = redis.call('HGET', lease, 'holder')
if holder and holder ~= ARGV[1] then
  return {'ok', 0, holder}
end
local epoch = redis.call('INCR', key('master', 'epoch'))
redis.call('DEL', lease)
redis.call('HSET', lease, 'holder', ARGV[1], 'epoch', epoch)
redis.call('PEXPIRE', lease, ARGV[2])
return {'ok', epoch, ARGV[1]}
