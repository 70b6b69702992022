-- chunkserver_forget: drops a chunkserver from the registered ones. ARGV: id
redis.call('HDEL', key('chunkservers'), ARGV[1])
return {'ok'}
