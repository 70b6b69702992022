package io.granary.chunkserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeteredChunkStoreTest {
    static final int SIZE = 200_000;

    @TempDir
    Path dir;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FileChunkStore files;
    MeteredChunkStore store;

    @BeforeEach
    void open() {
        files = FileChunkStore.open(dir, "cs-test", 0);
        store = new MeteredChunkStore(files, registry);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void committedWritesAndVerifiedReadsAreCountedWithTheirBytes() {
        write(new ChunkHandle(1));
        ChunkWriter aborted = store.create(new ChunkHandle(2));
        aborted.write(ByteBuffer.allocate(10));
        aborted.abort();

        store.read(new ChunkHandle(1), 0, 0, 64 * 1024, piece -> { });
        store.read(new ChunkHandle(1), 1000, 500, 64 * 1024, piece -> { });

        assertThat(count("granary.chunk.writes")).isEqualTo(1);
        assertThat(count("granary.chunk.write")).isEqualTo(SIZE);
        assertThat(count("granary.chunk.reads")).isEqualTo(2);
        assertThat(count("granary.chunk.read")).isEqualTo(SIZE + 500);
        assertThat(registry.get("granary.chunkserver.chunks").gauge().value()).isEqualTo(1);
        assertThat(registry.get("granary.chunkserver.used").gauge().value()).isEqualTo(SIZE);
    }

    @Test
    void aBlockFailingItsChecksumOnReadIsCountedAsAReadFailure() throws IOException {
        ChunkHandle handle = new ChunkHandle(3);
        write(handle);
        try (RandomAccessFile file = new RandomAccessFile(ChunkLayout.chunkFile(dir, handle).toFile(), "rw")) {
            file.seek(100_000);
            int original = file.read();
            file.seek(100_000);
            file.write(original ^ 0x10);
        }

        assertThatThrownBy(() -> store.read(handle, 0, 0, 64 * 1024, piece -> { }))
                .isInstanceOf(GranaryException.class)
                .extracting(e -> ((GranaryException) e).kind()).isEqualTo(ErrorKind.DATA_LOSS);

        assertThat(registry.get(MeteredChunkStore.CHECKSUM_FAILURES).tag("source", "read").counter().count())
                .isEqualTo(1);
    }

    private void write(ChunkHandle handle) {
        ChunkWriter writer = store.create(handle);
        writer.write(ByteBuffer.allocate(SIZE));
        writer.commit(SIZE);
    }

    private double count(String name) {
        return registry.get(name).counter().count();
    }
}
