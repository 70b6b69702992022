-- decommission_save: records a chunkserver's decommission state and when it was asked for.
-- ARGV: id, state ('draining' or 'decommissioned'), since (epoch ms). NOT_FOUND for a chunkserver
-- that is not registered, checked in the same step so a forgotten one never gets a record.
if redis.call('HEXISTS', key('chunkservers'), ARGV[1]) == 0 then
  return fail('NOT_FOUND', 'no chunkserver ' .. ARGV[1] .. ' is registered')
end
redis.call('HSET', key('decommission'), ARGV[1], ARGV[2] .. ':' .. ARGV[3])
return {'ok'}
