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
 *
 * <p>One value is not restored as it was: the chunk handle counter. The cluster the backup was taken
 * from went on reserving handles after it, and chunkservers may hold chunks written under them;
 * handing one out again would make a new chunk collide with (or be mistaken for) such a leftover. So
 * the counter is moved past every handle the lost cluster can have reserved: to the restore's time
 * in milliseconds times 2^20 (about a million handles a millisecond since the epoch, far more than
 * any cluster reserves, so a later restore of the same backup also lands past an earlier one's
 * handles), and at least {@value #HANDLE_GAP} past the backup's value should the clock be wrong.
 */
final class BackupRestorer implements BackupReader.Visitor {
    /** Commands sent before their replies are awaited. */
    static final int IN_FLIGHT = 1000;
    /** The least the handle counter moves on at a restore: more handles than a cluster reserves in years. */
    static final long HANDLE_GAP = 1L << 40;
    /** Handles per millisecond of the restore's time the counter is moved to at least. */
    static final int HANDLES_PER_MS_SHIFT = 20;

    private final RedisSession session;
    private final RedisAsyncCommands<String, String> redis;
    private final String prefix;
    private final long nowMs;
    private final List<RedisFuture<?>> sent = new ArrayList<>(IN_FLIGHT);
    private final Map<KeyType, Long> counts = new EnumMap<>(KeyType.class);
    private String key;
    private KeyType type;
    private long ttlMs;

    /** @param nowMs the restore's time, epoch ms: the handle counter is moved past it (see above) */
    BackupRestorer(RedisSession session, RedisAsyncCommands<String, String> redis, String prefix, long nowMs) {
        this.session = session;
        this.redis = redis;
        this.prefix = prefix;
        this.nowMs = nowMs;
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

    /** Sends what is left, waits for every reply and moves the handle counter on; answers the keys written by type. */
    Map<KeyType, Long> finish() {
        finishKey();
        awaitSent();
        String counter = prefix + ":" + RedisMetadataStore.HANDLE_COUNTER;
        String restored = session.await(redis.get(counter));
        long backedUp = restored == null ? 0 : Long.parseLong(restored);
        long past = Math.max(backedUp + HANDLE_GAP, nowMs << HANDLES_PER_MS_SHIFT);
        session.await(redis.set(counter, Long.toString(past)));
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
