package io.granary.common;

/**
 * The chunk sizes a file may be written with, the one place that defines them for every role.
 * A chunk is at least one checksum block (64 KiB, CRC32C each) and a whole number of them, so a
 * chunk's blocks are all full but the last one of a file; 1 GiB at most keeps a chunk's write, copy
 * and scrub short enough to retry.
 */
public final class ChunkSizes {
    /** The smallest chunk, and the step between sizes: one checksum block. */
    public static final long MIN_BYTES = 64 * ByteSize.KIB;
    public static final long MAX_BYTES = ByteSize.GIB;
    /** Every chunk size is a multiple of this. */
    public static final long ALIGNMENT_BYTES = MIN_BYTES;

    private ChunkSizes() {
    }

    /**
     * Checks a chunk size: between 64 KiB and 1 GiB and a multiple of 64 KiB.
     *
     * @throws IllegalArgumentException saying what is wrong, e.g. "chunk size 100B is too small: at least 64KiB"
     */
    public static void check(long bytes) {
        String size = ByteSize.format(bytes);
        if (bytes < MIN_BYTES) {
            throw new IllegalArgumentException("chunk size " + size + " is too small: at least "
                    + ByteSize.format(MIN_BYTES));
        }
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("chunk size " + size + " is too large: at most "
                    + ByteSize.format(MAX_BYTES));
        }
        if (bytes % ALIGNMENT_BYTES != 0) {
            throw new IllegalArgumentException("chunk size " + size + " is not a multiple of "
                    + ByteSize.format(ALIGNMENT_BYTES));
        }
    }
}
