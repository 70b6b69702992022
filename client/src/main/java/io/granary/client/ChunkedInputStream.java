package io.granary.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The bytes of a file range, chunk after chunk. While the caller reads chunk i, chunk i+1 is already
 * streaming into its own bounded buffer (read-ahead), so at most two chunk streams run at once; a
 * chunk the {@link ChunkCache} holds is copied from memory instead.
 * {@link #read} throws {@link io.granary.common.GranaryException} when no replica of a chunk can be
 * read. Not thread-safe, like any InputStream; {@link #close()} may be called from any thread.
 */
final class ChunkedInputStream extends InputStream {
    private final List<ChunkRange> ranges;
    private final Function<ChunkRange, ChunkSource> sources;
    private int index;
    private ChunkSource current;
    private ChunkSource next;
    private volatile boolean closed;

    /** @param sources creates the (not yet started) source of a range */
    ChunkedInputStream(List<ChunkRange> ranges, Function<ChunkRange, ChunkSource> sources) {
        this.ranges = ranges;
        this.sources = sources;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (index < ranges.size()) {
            if (current == null) {
                advance();
            }
            int n = current.read(b, off, len);
            if (n > 0) {
                return n;
            }
            current = null;
            index++;
        }
        return -1;
    }

    /** Cancels the chunk streams still running. */
    @Override
    public synchronized void close() {
        closed = true;
        cancel(current);
        cancel(next);
    }

    private synchronized void advance() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        current = next != null ? next : started(ranges.get(index));
        next = index + 1 < ranges.size() ? started(ranges.get(index + 1)) : null;
    }

    private ChunkSource started(ChunkRange range) {
        ChunkSource source = sources.apply(range);
        source.start();
        return source;
    }

    private static void cancel(ChunkSource source) {
        if (source != null) {
            source.cancel();
        }
    }
}
