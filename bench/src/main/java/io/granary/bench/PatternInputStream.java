package io.granary.bench;

import java.io.InputStream;
import java.util.Random;

/**
 * Exactly {@code size} bytes of incompressible data, generated on the fly by cycling one 1 MiB
 * random block: a 1 GiB upload body never exists in memory. Not thread-safe.
 */
final class PatternInputStream extends InputStream {
    static final int BLOCK_BYTES = 1 << 20;
    private static final byte[] BLOCK = randomBlock();

    private final long size;
    private long position;

    PatternInputStream(long size) {
        this.size = size;
    }

    /** The shared random block; callers must not change it. */
    static byte[] block() {
        return BLOCK;
    }

    @Override
    public int read() {
        if (position >= size) {
            return -1;
        }
        return BLOCK[(int) (position++ % BLOCK_BYTES)] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        int offsetInBlock = (int) (position % BLOCK_BYTES);
        int n = (int) Math.min(Math.min(len, BLOCK_BYTES - offsetInBlock), size - position);
        System.arraycopy(BLOCK, offsetInBlock, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, size - position);
    }

    private static byte[] randomBlock() {
        byte[] block = new byte[BLOCK_BYTES];
        new Random(20_03).nextBytes(block); // fixed seed: every run sends the same bytes
        return block;
    }
}
