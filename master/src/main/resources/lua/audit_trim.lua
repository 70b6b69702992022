-- audit_trim: drops the audit entries older than a maximum age, on Redis's clock (the clock their
-- ids were made with). ARGV: max_age_ms. Answers {'ok', entries dropped}.
local cutoff = redis_now_ms() - tonumber(ARGV[1])
if cutoff <= 0 then return {'ok', 0} end
return {'ok', redis.call('XTRIM', key('audit'), 'MINID', cutoff)}
