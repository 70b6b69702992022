-- chunkserver_save: records a registered chunkserver's address. ARGV: id, address
redis.call('HSET', key('chunkservers'), ARGV[1], ARGV[2])
return {'ok'}
