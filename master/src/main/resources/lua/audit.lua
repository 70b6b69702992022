-- Prepended (after fence.lua) to every fenced script. ARGV[1..4] are, for the audit log, the actor
-- (principal id, '' for the cluster itself), the client's address and the request id ('' when
-- unknown), and the most entries the log keeps ('0': no cap); they are taken off ARGV before the
-- script proper sees it.
AUDIT.actor = table.remove(ARGV, 1)
AUDIT.address = table.remove(ARGV, 1)
AUDIT.request = table.remove(ARGV, 1)
AUDIT.max = table.remove(ARGV, 1)
