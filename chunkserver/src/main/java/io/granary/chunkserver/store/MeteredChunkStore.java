package io.granary.chunkserver.store;

import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * A {@link ChunkStore} that counts what goes through it: chunks written (committed) and their bytes,
 * chunk reads and the bytes handed out, and checksum failures met while reading
 * ({@code source="read"}; the scrubber counts its own as {@code source="scrub"}). Also gauges the
 * store's chunks, used bytes and capacity. Thread-safe as the store it wraps.
 */
public final class MeteredChunkStore implements ChunkStore {
    public static final String CHECKSUM_FAILURES = "granary.chunk.checksum.failures";

    private final ChunkStore store;
    private final Counter writes;
    private final Counter writeBytes;
    private final Counter reads;
    private final Counter readBytes;
    private final Counter readFailures;

    public MeteredChunkStore(ChunkStore store, MeterRegistry registry) {
        this.store = store;
        writes = Counter.builder("granary.chunk.writes").description("Chunks written and committed here, "
                + "from clients, upstream replicas and repair copies").register(registry);
        writeBytes = Counter.builder("granary.chunk.write").baseUnit("bytes")
                .description("Bytes of chunks written and committed here").register(registry);
        reads = Counter.builder("granary.chunk.reads").description("Chunk ranges opened for reading")
                .register(registry);
        readBytes = Counter.builder("granary.chunk.read").baseUnit("bytes")
                .description("Verified chunk bytes handed out by reads").register(registry);
        readFailures = checksumFailures(registry, "read");
        Gauge.builder("granary.chunkserver.chunks", store, ChunkStore::chunkCount)
                .description("Complete chunks stored").register(registry);
        Gauge.builder("granary.chunkserver.used", store, ChunkStore::usedBytes).baseUnit("bytes")
                .description("Bytes used by complete chunks").register(registry);
        Gauge.builder("granary.chunkserver.capacity", store, ChunkStore::capacityBytes).baseUnit("bytes")
                .description("Bytes this chunkserver may store").register(registry);
    }

    /** The counter of checksum failures found by {@code source} ("read" or "scrub"). */
    public static Counter checksumFailures(MeterRegistry registry, String source) {
        return Counter.builder(CHECKSUM_FAILURES).tag("source", source)
                .description("Blocks that failed their CRC32C check, by who found them").register(registry);
    }

    @Override
    public ChunkWriter create(ChunkHandle handle) {
        return new Writer(store.create(handle));
    }

    @Override
    public ChunkWriter replace(ChunkHandle handle) {
        return new Writer(store.replace(handle));
    }

    @Override
    public ChunkReader open(ChunkHandle handle, long offset, long length) {
        try {
            ChunkReader reader = store.open(handle, offset, length);
            reads.increment();
            return new Reader(reader);
        } catch (GranaryException e) {
            countDataLoss(e);
            throw e;
        }
    }

    private void countDataLoss(GranaryException e) {
        if (e.kind() == ErrorKind.DATA_LOSS) {
            readFailures.increment();
        }
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

    private final class Writer implements ChunkWriter {
        private final ChunkWriter writer;

        Writer(ChunkWriter writer) {
            this.writer = writer;
        }

        @Override
        public ChunkHandle handle() {
            return writer.handle();
        }

        @Override
        public void write(ByteBuffer data) {
            writer.write(data);
        }

        @Override
        public long bytesWritten() {
            return writer.bytesWritten();
        }

        @Override
        public void commit(long expectedSize) {
            writer.commit(expectedSize);
            writes.increment();
            writeBytes.increment(expectedSize);
        }

        @Override
        public void abort() {
            writer.abort();
        }
    }

    private final class Reader implements ChunkReader {
        private final ChunkReader reader;

        Reader(ChunkReader reader) {
            this.reader = reader;
        }

        @Override
        public long remaining() {
            return reader.remaining();
        }

        @Override
        public ByteBuffer next(int maxBytes) {
            try {
                ByteBuffer piece = reader.next(maxBytes);
                readBytes.increment(piece.remaining());
                return piece;
            } catch (GranaryException e) {
                countDataLoss(e);
                throw e;
            }
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
