package io.granary.master.model;

/**
 * The bound of a file's replication factor, checked where a value enters the master: its configured
 * default, an upload's start, a replication change. Chunk sizes are bounded by
 * {@link io.granary.common.ChunkSizes}, which every role shares.
 */
public final class FileLimits {
    public static final int MAX_REPLICATION = 16;

    private FileLimits() {
    }

    /** Checks a replication factor: 1 to {@value #MAX_REPLICATION}. */
    public static void checkReplication(int replication) {
        if (replication < 1 || replication > MAX_REPLICATION) {
            throw new IllegalArgumentException("replication " + replication + " is not between 1 and " + MAX_REPLICATION);
        }
    }
}
