package io.granary.master.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a chunkserver is in leaving the cluster (HDFS's decommissioning). Only the last two are
 * stored; a chunkserver without a record is {@link #NORMAL}.
 */
public enum DecommissionState {
    /** Takes new chunks and counts as a replica like any other. */
    NORMAL,
    /**
     * Takes no new chunk and no repair copy; its replicas stay readable and serve as copy sources, but
     * count for nothing when the master decides what to copy, so every chunk it holds gets its
     * replication elsewhere.
     */
    DRAINING,
    /**
     * Every chunk it held has its replication on other chunkservers in service: it may be stopped
     * without leaving a chunk under-replicated. It still takes no new chunk.
     */
    DECOMMISSIONED;

    /** The name in answers and in Redis: {@code normal}, {@code draining}, {@code decommissioned}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state of a wire name; empty for an unknown one. */
    public static Optional<DecommissionState> ofWireName(String name) {
        for (DecommissionState state : values()) {
            if (state.wireName().equals(name)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
