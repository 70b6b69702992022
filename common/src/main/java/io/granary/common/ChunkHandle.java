package io.granary.common;

import java.util.HexFormat;

/**
 * A chunk's cluster-unique handle. Handles are allocated by the master from a counter and never
 * reused, and a chunk's bytes never change once written, so a handle names one immutable content.
 * Its text form, 16 lower-case hex digits, is what {@code stat} prints and what replica file
 * names contain.
 */
public record ChunkHandle(long value) implements Comparable<ChunkHandle> {

    /** Parses the 16-hex-digit form. */
    public static ChunkHandle parse(String hex) {
        if (hex.length() != 16) {
            throw new IllegalArgumentException("a chunk handle has 16 hex digits: " + hex);
        }
        return new ChunkHandle(HexFormat.fromHexDigitsToLong(hex));
    }

    public String hex() {
        return HexFormat.of().toHexDigits(value);
    }

    @Override
    public int compareTo(ChunkHandle o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return hex();
    }
}
