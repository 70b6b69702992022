package io.granary.master.model;

import io.granary.common.ByteSize;

/**
 * The bounds of a file's layout: its chunk size and its replication factor. Checked where a value
 * enters the master: its configured defaults, an upload's start, a replication change.
 */
public final class FileLimits {
    public static final long MIN_CHUNK_SIZE_BYTES = 64 * ByteSize.KIB;
    public static final long MAX_CHUNK_SIZE_BYTES = ByteSize.GIB;
    public static final int MAX_REPLICATION = 16;

    private FileLimits() {
    }

    /**
     * Checks a chunk size: between 64 KiB and 1 GiB and a multiple of 64 KiB (the checksum block).
     *
     * @throws IllegalArgumentException saying what is wrong, e.g. "chunk size 100B is too small: at least 64KiB"
     */
    public static void checkChunkSize(long bytes) {
        String size = ByteSize.format(bytes);
        if (bytes < MIN_CHUNK_SIZE_BYTES) {
            throw new IllegalArgumentException("chunk size " + size + " is too small: at least "
                    + ByteSize.format(MIN_CHUNK_SIZE_BYTES));
        }
        if (bytes > MAX_CHUNK_SIZE_BYTES) {
            throw new IllegalArgumentException("chunk size " + size + " is too large: at most "
                    + ByteSize.format(MAX_CHUNK_SIZE_BYTES));
        }
        if (bytes % MIN_CHUNK_SIZE_BYTES != 0) {
            throw new IllegalArgumentException("chunk size " + size + " is not a multiple of "
                    + ByteSize.format(MIN_CHUNK_SIZE_BYTES));
        }
    }

    /** Checks a replication factor: 1 to {@value #MAX_REPLICATION}. */
    public static void checkReplication(int replication) {
        if (replication < 1 || replication > MAX_REPLICATION) {
            throw new IllegalArgumentException("replication " + replication + " is not between 1 and " + MAX_REPLICATION);
        }
    }
}
