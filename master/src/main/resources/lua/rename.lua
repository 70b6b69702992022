-- rename: moves a file or a whole directory by moving one entry between two dir:<id> hashes; what
-- the directory holds is not touched, so the cost is O(depth of the two paths).
-- ARGV: now_ms, overwrite ('1' or '0'), actor, admin ('1'/'0'), source_segment_count, source segment...,
--       destination segment...
-- Answers {'ok', inode_id, {inode hash as field, value, ...}, {chunk handle...}, {chunk size...} (as lookup),
--          {trashed handle...}}.
-- PERMISSION_DENIED when a non-admin does not own the source or what it would replace (for a
-- directory: see refuse_dir_change).
local now, overwrite, actor, admin = ARGV[1], ARGV[2] == '1', ARGV[3], ARGV[4]
CREATOR = actor
local ns = tonumber(ARGV[5])
local src = slice(6, ns)
local dst = slice(6 + ns, #ARGV - 5 - ns)
local nd = #dst
local src_path, dst_path = prefix_of(src, ns), prefix_of(dst, nd)
if ns == 0 then
  return fail('INVALID_ARGUMENT', 'the root directory cannot be moved')
end
if nd == 0 then
  return fail('INVALID_ARGUMENT', 'nothing can be moved onto the root directory')
end
local sdir, snext, schain = walk(src, ns - 1)
local sentry = sdir and snext == ns and redis.call('HGET', key('dir', sdir), src[ns])
if not sentry then
  return fail('NOT_FOUND', 'nothing at \'' .. src_path .. '\' to move')
end
local id = string.sub(sentry, 3)
local is_dir = string.sub(sentry, 1, 1) == 'd'

local function answer(trashed)
  local _, inode, chunks, sizes = describe(id, not is_dir)
  return {'ok', id, inode, chunks, sizes, trashed}
end

local refused
if is_dir then
  refused = refuse_dir_change(id, actor, admin, src_path)
else
  refused = refuse_unless_owner(id, actor, admin, src_path)
end
if refused then return refused end
if src_path == dst_path then
  return answer({})
end
if is_dir and nd > ns then
  local inside = true
  for i = 1, ns do
    if dst[i] ~= src[i] then inside = false; break end
  end
  if inside then
    return fail('INVALID_ARGUMENT', 'cannot move directory \'' .. src_path .. '\' into its own subtree \''
      .. dst_path .. '\'')
  end
end
local ddir, dnext, dchain = walk(dst, nd - 1)
if not ddir then
  return fail('FAILED_PRECONDITION', '\'' .. prefix_of(dst, dnext) .. '\' is a file')
end
local dentry = dnext == nd and redis.call('HGET', key('dir', ddir), dst[nd])
if dentry then
  local dst_is_dir = string.sub(dentry, 1, 1) == 'd'
  if not overwrite then
    return fail('ALREADY_EXISTS', '\'' .. dst_path .. '\' already exists: ask for overwrite to replace it')
  end
  if dst_is_dir and not is_dir then
    return fail('FAILED_PRECONDITION', '\'' .. dst_path .. '\' is a directory: a file cannot replace it')
  end
  if is_dir and not dst_is_dir then
    return fail('FAILED_PRECONDITION', '\'' .. dst_path .. '\' is a file: a directory cannot replace it')
  end
  if dst_is_dir and redis.call('HLEN', key('dir', string.sub(dentry, 3))) > 0 then
    return fail('FAILED_PRECONDITION', 'directory \'' .. dst_path .. '\' is not empty: it cannot be replaced')
  end
  refused = refuse_unless_owner(string.sub(dentry, 3), actor, admin, dst_path)
  if refused then return refused end
end

-- every check passed: from here on, only writes
local size, files = usage_of(sentry)
unlink(sdir, src[ns])
add_usage(schain, -size, -files)
redis.call('HSET', key('inode', sdir), 'modified', now)

local trashed = {}
if dentry then
  local old = string.sub(dentry, 3)
  if string.sub(dentry, 1, 1) == 'f' then
    add_usage(dchain, -usage_of(dentry), -1)
    trashed = trash_file(old, now)
  else
    redis.call('DEL', key('inode', old), key('dir', old), key('names', old))
  end
  unlink(ddir, dst[nd])
end
ddir = make_dirs(ddir, dst, dnext, nd - 1, dchain, now)
link(ddir, dst[nd], sentry)
add_usage(dchain, size, files)
redis.call('HSET', key('inode', ddir), 'modified', now)
audit('rename', '/' .. src_path, 'to=/' .. dst_path .. (dentry and ' overwrote=1' or ''))
return answer(trashed)
