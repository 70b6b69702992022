-- Prepended (after lib.lua) to every script that reads or changes the namespace. ARGV[1] is the
-- fencing epoch of the master calling, taken off ARGV before the script proper sees it; a master
-- that is not the current lease holder (it was paused past its lease, and another master took over)
-- is refused with 'FENCED' and changes nothing. An empty epoch is a caller without a lease (a
-- tool or a test on a store of its own), which is not fenced.
local FENCE = table.remove(ARGV, 1)
if FENCE ~= '' then
  local current = redis.call('GET', key('master', 'epoch')) or '0'
  if current ~= FENCE then
    return fail('FENCED', 'master epoch ' .. FENCE .. ' was superseded by epoch ' .. current)
  end
end
