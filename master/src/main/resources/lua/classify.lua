-- classify: sorts a chunkserver's reported handles. A handle is kept when committed, pending for an
-- open upload, or trashed less than grace ago; every other one is an orphan to delete.
-- ARGV: now_ms, grace_ms, handle...
-- Answers {'ok', {orphan handle...}}.
-- An empty namespace (no root) most likely means Redis lost its data: deleting every chunk then
-- would turn a metadata loss into a data loss, so nothing is classified.
if redis.call('EXISTS', key('inode', ROOT)) == 0 then
  return fail('FAILED_PRECONDITION', 'metadata store has no root directory; refusing to garbage-collect')
end
local now, grace = tonumber(ARGV[1]), tonumber(ARGV[2])
local orphans = {}
for i = 3, #ARGV do
  local h = ARGV[i]
  if redis.call('HEXISTS', key('chunk'), h) == 0 and redis.call('HEXISTS', key('pending'), h) == 0 then
    local deleted = redis.call('ZSCORE', key('trash'), h)
    if not deleted or now - tonumber(deleted) >= grace then
      table.insert(orphans, h)
    end
  end
end
return {'ok', orphans}
