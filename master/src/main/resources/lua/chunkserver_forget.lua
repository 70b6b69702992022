-- chunkserver_forget: drops a chunkserver from the registered ones, with its decommission record.
-- ARGV: id
redis.call('HDEL', key('chunkservers'), ARGV[1])
redis.call('HDEL', key('decommission'), ARGV[1])
return {'ok'}
