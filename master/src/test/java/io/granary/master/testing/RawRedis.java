package io.granary.master.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
}
