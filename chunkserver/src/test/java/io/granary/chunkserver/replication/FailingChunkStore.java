package io.granary.chunkserver.replication;

import io.granary.chunkserver.store.ChunkReader;
import io.granary.chunkserver.store.ChunkStore;
import io.granary.chunkserver.store.ChunkWriter;
import io.granary.common.ChunkHandle;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** A real store whose writers throw what the test chooses on a write (nothing when it chooses null). */
final class FailingChunkStore implements ChunkStore {
    private final ChunkStore store;
    private final Supplier<Throwable> failure;
    final AtomicInteger aborted = new AtomicInteger();
    /** Bytes its writers wrote, all chunks together. */
    final AtomicLong written = new AtomicLong();

    FailingChunkStore(ChunkStore store, Supplier<Throwable> failure) {
        this.store = store;
        this.failure = failure;
    }

    @Override
    public ChunkWriter create(ChunkHandle handle) {
        ChunkWriter real = store.create(handle);
        return new ChunkWriter() {
            @Override
            public ChunkHandle handle() {
                return real.handle();
            }

            @Override
            public void write(ByteBuffer data) {
                Throwable t = failure.get();
                if (t == null) {
                    int length = data.remaining();
                    real.write(data);
                    written.addAndGet(length);
                    return;
                }
                if (t instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) t;
            }

            @Override
            public long bytesWritten() {
                return real.bytesWritten();
            }

            @Override
            public void commit(long expectedSize) {
                real.commit(expectedSize);
            }

            @Override
            public void abort() {
                aborted.incrementAndGet();
                real.abort();
            }
        };
    }

    @Override
    public ChunkWriter replace(ChunkHandle handle) {
        return create(handle);
    }

    @Override
    public ChunkReader open(ChunkHandle handle, long offset, long length) {
        return store.open(handle, offset, length);
    }

    @Override
    public long size(ChunkHandle handle) {
        return store.size(handle);
    }

    @Override
    public boolean contains(ChunkHandle handle) {
        return store.contains(handle);
    }

    @Override
    public void delete(ChunkHandle handle) {
        store.delete(handle);
    }

    @Override
    public Set<ChunkHandle> handles() {
        return store.handles();
    }

    @Override
    public Set<ChunkHandle> corruptHandles() {
        return store.corruptHandles();
    }

    @Override
    public long usedBytes() {
        return store.usedBytes();
    }

    @Override
    public int chunkCount() {
        return store.chunkCount();
    }

    @Override
    public long capacityBytes() {
        return store.capacityBytes();
    }

    @Override
    public void close() {
        store.close();
    }
}
