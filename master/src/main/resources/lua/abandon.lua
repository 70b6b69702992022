-- abandon: settles an open upload as abandoned, for good: a commit that reaches Redis later is refused,
-- so an upload a writer gave up on never becomes visible. Its pending handles become garbage.
-- Idempotent: an abandoned, expired or unknown upload answers no handles. ALREADY_EXISTS when the
-- upload was committed (the writer then asks the commit again for its file).
-- Only the principal that started an open upload, or an admin, may abandon it (PERMISSION_DENIED).
-- ARGV: upload_id, actor, admin ('1'/'0')
-- Answers {'ok', {garbage handle...}}.
local id = ARGV[1]
local state = upload_state(id)
if state == 'committed' then return refuse_settled(id, state) end
if state ~= 'open' then return {'ok', {}} end
local refused = refuse_unless_starter(id, redis.call('HGET', key('upload', id), 'owner'), ARGV[2], ARGV[3])
if refused then return refused end
return {'ok', settle_upload(id, 'abandoned')}
