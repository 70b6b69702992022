package io.granary.client;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;

/**
 * A chunk range served from the bytes of the whole chunk that the {@link ChunkCache} holds: no call
 * is made, nothing is buffered ahead (the bytes are already in memory), and nothing counts in the
 * {@link ReadAheadBudget}.
 */
final class CachedRange implements ChunkSource {
    private final byte[] chunk;
    private final int end;
    private int position;
    private volatile boolean cancelled;

    /** @param chunk the whole chunk of {@code range}, as the cache holds it; not changed */
    CachedRange(byte[] chunk, ChunkRange range) {
        this.chunk = chunk;
        this.position = Math.toIntExact(range.offsetInChunk());
        this.end = Math.toIntExact(range.offsetInChunk() + range.length());
    }

    @Override
    public void start() {
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (cancelled) {
            throw new GranaryException(ErrorKind.CANCELLED, "the stream was closed");
        }
        if (len == 0) {
            return 0;
        }
        if (position == end) {
            return -1;
        }
        int n = Math.min(len, end - position);
        System.arraycopy(chunk, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public void cancel() {
        cancelled = true;
    }
}
