package io.granary.client;

import io.granary.common.meta.Replica;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one transfer (one {@link GranaryClient#open} stream) has learned about the chunkservers it
 * reads from, kept for the rest of the transfer: a replica that stalled is slow, one that failed is
 * failed. Every chunk read of the transfer asks it which replica to try next, so a hung chunkserver
 * costs the transfer one stall, not one per chunk. Knowledge only worsens: a replica once slow stays
 * at least slow, since one good answer from a node that hangs now and then says little.
 *
 * <p>Thread-safe: the current chunk's read and the read-ahead of the next one share it.
 */
final class ReadSession {
    /** How a chunkserver has served this transfer, best first. */
    enum Health { HEALTHY, SLOW, FAILED }

    private final Map<String, Health> health = new ConcurrentHashMap<>();

    /** Records that {@code chunkserverId} left a read waiting (no data within the hedge delay). */
    void slow(String chunkserverId) {
        health.merge(chunkserverId, Health.SLOW, ReadSession::worse);
    }

    /** Records that {@code chunkserverId} failed a read (an error status or a stream that ended short). */
    void failed(String chunkserverId) {
        health.merge(chunkserverId, Health.FAILED, ReadSession::worse);
    }

    Health health(String chunkserverId) {
        return health.getOrDefault(chunkserverId, Health.HEALTHY);
    }

    /**
     * The replicas best first: healthy ones, then slow ones, then failed ones, each group in the order
     * given (the master's). Returns a new list; {@code replicas} is not changed.
     */
    List<Replica> order(List<Replica> replicas) {
        return replicas.stream().sorted(Comparator.comparing(r -> health(r.chunkserverId()))).toList();
    }

    private static Health worse(Health a, Health b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
