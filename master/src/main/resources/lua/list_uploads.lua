-- list_uploads: one page of the open multipart uploads whose absolute path starts with a prefix, in the
-- order of uploads:paths (by path, then id).
-- ARGV: prefix (absolute, with its leading '/'), after_path (absolute), after_id, limit,
--       from ('prefix': the page starts at the prefix; 'after': right after after_path and after_id,
--       or after every upload of after_path when after_id is '')
-- Answers {'ok', {upload id, {upload hash as field, value, ...}, ...}} with up to limit + 1 uploads (the
-- extra one says that more follow).
local prefix, after_path, after_id, limit = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local min
if ARGV[5] == 'after' then
  -- '\255' sorts after every byte of a UTF-8 id, so the bound passes every upload of after_path
  min = '(' .. after_path .. '\0' .. (after_id == '' and '\255' or after_id)
else
  min = '[' .. prefix
end
-- no UTF-8 path holds the byte 255: this bounds exactly the paths that start with prefix
local members = redis.call('ZRANGEBYLEX', key('uploads', 'paths'), min, '(' .. prefix .. '\255', 'LIMIT', 0,
  limit + 1)
local out = {}
for _, member in ipairs(members) do
  local id = string.match(member, '%z(.*)$')
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGETALL', key('upload', id))
end
return {'ok', out}
