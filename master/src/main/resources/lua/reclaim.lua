-- reclaim: frees up to a budget of what lies below directories that delete_dir unlinked: their files'
-- chunks go to the trash, their inodes and entries are deleted. Each call is short, so a huge tree
-- never blocks Redis for long; the work left survives a master restart in 'doomed'.
-- ARGV: now_ms, budget (entries plus chunks to handle in this call)
-- Answers {'ok', {trashed handle...}, directories still queued}.
local now, budget = ARGV[1], tonumber(ARGV[2])
local trashed = {}
while budget > 0 do
  local id = redis.call('LINDEX', key('doomed'), 0)
  if not id then break end
  local names = redis.call('ZRANGE', key('names', id), 0, budget - 1)
  if #names == 0 then
    -- names:<id> is kept with dir:<id>; should they ever disagree, the hash decides
    names = redis.call('HKEYS', key('dir', id))
  end
  for _, name in ipairs(names) do
    if budget <= 0 then break end
    local entry = redis.call('HGET', key('dir', id), name)
    if entry and string.sub(entry, 1, 1) == 'f' then
      local handles = trash_file(string.sub(entry, 3), now)
      for _, h in ipairs(handles) do trashed[#trashed + 1] = h end
      budget = budget - #handles
    elseif entry then
      redis.call('RPUSH', key('doomed'), string.sub(entry, 3))
    end
    unlink(id, name)
    budget = budget - 1
  end
  if redis.call('HLEN', key('dir', id)) == 0 then
    redis.call('DEL', key('dir', id), key('names', id), key('inode', id))
    redis.call('LPOP', key('doomed'))
    budget = budget - 1
  end
end
return {'ok', trashed, tostring(redis.call('LLEN', key('doomed')))}
