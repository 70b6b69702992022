package io.granary.master.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain lettuce connection for tests that look at (or prepare) keys directly, beside the store
 * under test. Closing it closes the connection, not the Redis.
 */
public final class RawRedis implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RawRedis(RedisClient client) {
        this.client = client;
        this.connection = client.connect();
    }

    public static RawRedis connect(String uri) {
        return new RawRedis(RedisClient.create(uri));
    }

    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** Every key under {@code prefix} (as {@code prefix:*}), in no particular order. */
    public List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        ScanIterator.scan(commands(), ScanArgs.Builder.matches(prefix + ":*").limit(1000)).forEachRemaining(keys::add);
        return keys;
    }

    /** A key as a test compares it: its type, its whole value and its time to live (-1: none). */
    public record Entry(String type, Object value, long ttlMs) {
    }

    /** Every key under {@code prefix}, named without the prefix, with its value read whole. */
    public Map<String, Entry> dump(String prefix) {
        RedisCommands<String, String> redis = commands();
        Map<String, Entry> dump = new TreeMap<>();
        for (String key : keys(prefix)) {
            String type = redis.type(key);
            Object value = switch (type) {
                case "string" -> redis.get(key);
                case "hash" -> new TreeMap<>(redis.hgetall(key));
                case "list" -> redis.lrange(key, 0, -1);
                case "set" -> new HashSet<>(redis.smembers(key));
                case "zset" -> redis.zrangeWithScores(key, 0, -1).stream()
                        .map(member -> member.getValue() + "=" + member.getScore()).toList();
                case "stream" -> redis.xrange(key, io.lettuce.core.Range.unbounded()).stream()
                        .map(message -> message.getId() + "=" + message.getBody()).toList();
                default -> throw new IllegalStateException(key + " is a " + type);
            };
            dump.put(key.substring(prefix.length() + 1), new Entry(type, value, redis.pttl(key)));
        }
        return dump;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
}
