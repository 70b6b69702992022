-- abandon: forgets an upload; its pending handles become garbage. Idempotent.
-- ARGV: upload_id
-- Answers {'ok', {garbage handle...}}.
return {'ok', drop_upload(ARGV[1])}
