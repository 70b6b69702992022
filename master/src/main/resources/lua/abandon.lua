-- abandon: settles an open upload as abandoned, for good: a commit that reaches Redis later is refused,
-- so an upload a writer gave up on never becomes visible. Its pending handles become garbage.
-- Idempotent: an abandoned, expired or unknown upload answers no handles. ALREADY_EXISTS when the
-- upload was committed (the writer then asks the commit again for its file).
-- ARGV: upload_id
-- Answers {'ok', {garbage handle...}}.
local id = ARGV[1]
local state = upload_state(id)
if state == 'committed' then return refuse_settled(id, state) end
if state ~= 'open' then return {'ok', {}} end
return {'ok', settle_upload(id, 'abandoned')}
