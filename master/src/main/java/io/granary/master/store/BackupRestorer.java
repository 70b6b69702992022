package io.granary.master.store;

import io.granary.master.store.BackupFormat.KeyType;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the keys a {@link BackupReader} hands it under a prefix: each key deleted first (a key a
 * backup holds twice is written twice to the same effect), its value in pages of at most
 * {@link BackupFormat#PAGE} elements, then its time to live. Commands are pipelined; at most
 * {@link #IN_FLIGHT} wait for their replies at a time. Not thread-safe.
 */
final class BackupRestorer implements BackupReader.Visitor {
    /** Commands sent before their replies are awaited. */
    static final int IN_FLIGHT = 1000;

    private final RedisSession session;
    private final RedisAsyncCommands<String, String> redis;
    private final String prefix;
    private final List<RedisFuture<?>> sent = new ArrayList<>(IN_FLIGHT);
    private final Map<KeyType, Long> counts = new EnumMap<>(KeyType.class);
    private String key;
    private KeyType type;
    private long ttlMs;

    BackupRestorer(RedisSession session, RedisAsyncCommands<String, String> redis, String prefix) {
        this.session = session;
        this.redis = redis;
        this.prefix = prefix;
    }

    @Override
    public void key(String name, KeyType type, long ttlMs) {
        finishKey();
        this.key = prefix + ":" + name;
        this.type = type;
        this.ttlMs = ttlMs;
        send(redis.del(key));
        counts.merge(type, 1L, Long::sum);
    }

    @Override
    public void strings(List<String> page) {
        String[] items = page.toArray(String[]::new);
        switch (type) {
            case STRING -> send(redis.set(key, items[0]));
            case HASH -> send(redis.hset(key, pairs(page)));
            case LIST -> send(redis.rpush(key, items));
            case SET -> send(redis.sadd(key, items));
            case ZSET -> throw new IllegalStateException("a sorted set comes with scores");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void scored(List<ScoredValue<String>> page) {
        send(redis.zadd(key, page.toArray(ScoredValue[]::new)));
    }

    /** Sends what is left and waits for every reply; answers the keys written by type. */
    Map<KeyType, Long> finish() {
        finishKey();
        awaitSent();
        return counts;
    }

    private void finishKey() {
        if (key != null && ttlMs >= 0) {
            send(redis.pexpire(key, ttlMs));
        }
        key = null;
    }

    private static Map<String, String> pairs(List<String> flat) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2) {
            map.put(flat.get(i), flat.get(i + 1));
        }
        return map;
    }

    private void send(RedisFuture<?> command) {
        sent.add(command);
        if (sent.size() >= IN_FLIGHT) {
            awaitSent();
        }
    }

    private void awaitSent() {
        // each reply in turn: the first failure is thrown, translated by the session
        for (RedisFuture<?> command : sent) {
            session.await(command);
        }
        sent.clear();
    }
}
