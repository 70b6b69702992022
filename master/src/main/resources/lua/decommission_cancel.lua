-- decommission_cancel: returns a chunkserver to service (drops its decommission record). ARGV: id
redis.call('HDEL', key('decommission'), ARGV[1])
return {'ok'}
