package io.granary.client;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The bytes one chunk read holds for its reader, counted in the client's {@link ReadAheadBudget}:
 * what arrives is added to it, what the reader takes or what is dropped is given back. Not
 * thread-safe: its owner guards it with its own lock.
 */
final class ReadBuffer {
    private final ArrayDeque<ByteBuffer> pieces = new ArrayDeque<>();
    private final ReadAheadBudget budget;
    private long size;

    ReadBuffer(ReadAheadBudget budget) {
        this.budget = budget;
    }

    /** Bytes waiting for the reader. */
    long size() {
        return size;
    }

    void add(ByteString piece) {
        if (piece.isEmpty()) {
            return;
        }
        pieces.add(piece.asReadOnlyByteBuffer());
        size += piece.size();
        budget.add(piece.size());
    }

    /** Moves up to {@code len} bytes into {@code b}; how many. */
    int take(byte[] b, int off, int len) {
        int copied = 0;
        while (copied < len && !pieces.isEmpty()) {
            ByteBuffer head = pieces.peek();
            int n = Math.min(len - copied, head.remaining());
            head.get(b, off + copied, n);
            copied += n;
            if (!head.hasRemaining()) {
                pieces.poll();
            }
        }
        size -= copied;
        budget.release(copied);
        return copied;
    }

    /** Drops everything, giving it back to the budget. */
    void clear() {
        pieces.clear();
        budget.release(size);
        size = 0;
    }
}
