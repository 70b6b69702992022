-- lease_release: gives the lease up at a graceful stop, so a standby takes over at once instead of
-- after the lease lapses. Only the holder at its epoch can release it. Never fenced.
-- ARGV: holder, epoch
-- Answers {'ok', 1} when released, {'ok', 0} when the caller did not hold it.
local lease = key('master', 'lease')
if redis.call('HGET', lease, 'holder') == ARGV[1] and redis.call('HGET', lease, 'epoch') == ARGV[2] then
  redis.call('DEL', lease)
  return {'ok', 1}
end
return {'ok', 0}
