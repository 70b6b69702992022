-- lease_renew: extends the lease of the holder at its epoch. Never fenced.
-- ARGV: holder, epoch, ttl_ms
-- Answers {'ok', 1} when renewed, {'ok', 0} when the caller lost the lease.
local lease = key('master', 'lease')
local holder = redis.call('HGET', lease, 'holder')
if holder == ARGV[1] and redis.call('HGET', lease, 'epoch') == ARGV[2] then
  redis.call('PEXPIRE', lease, ARGV[3])
  return {'ok', 1}
end
return {'ok', 0}
