package io.granary.chunkserver.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.chunkserver.store.ChunkLayout;
import io.granary.chunkserver.store.ChunkWriter;
import io.granary.chunkserver.store.FileChunkStore;
import io.granary.common.ChunkHandle;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrubTaskTest {
    static final ChunkHandle GOOD = new ChunkHandle(1);
    static final ChunkHandle BAD = new ChunkHandle(2);
    static final Duration INTERVAL = Duration.ofMinutes(10);

    @TempDir
    Path dir;
    FileChunkStore store;
    final List<ChunkHandle> reported = new CopyOnWriteArrayList<>();
    final AtomicLong nowMs = new AtomicLong(1_000_000);
    ScrubTask scrub;

    @BeforeEach
    void setUp() throws IOException {
        store = FileChunkStore.open(dir, "cs-test", 0);
        store.onCorruption(reported::add);
        write(GOOD, 200_000);
        write(BAD, 200_000);
        try (RandomAccessFile file = new RandomAccessFile(ChunkLayout.chunkFile(dir, BAD).toFile(), "rw")) {
            file.seek(100_000);
            int original = file.read();
            file.seek(100_000);
            file.write(original ^ 0x10);
        }
        scrub = new ScrubTask("cs-test", store, INTERVAL, new BandwidthThrottle(0), nowMs::get, () -> { });
    }

    @Test
    void aChunkIsFirstCountedAsCheckedThenReReadOnceTheIntervalHasPassed() {
        scrub.run();
        assertThat(reported).isEmpty();

        nowMs.addAndGet(INTERVAL.toMillis() - 1);
        scrub.run();
        assertThat(reported).isEmpty();

        nowMs.addAndGet(1);
        scrub.run();
        assertThat(reported).containsExactly(BAD);
        assertThat(store.corruptHandles()).containsExactly(BAD);
    }

    @Test
    void aDeletedChunkIsForgottenAndNotReported() {
        scrub.run();
        store.delete(BAD);
        nowMs.addAndGet(INTERVAL.toMillis());

        scrub.run();

        assertThat(reported).isEmpty();
    }

    @Test
    void aChunkWhoseFileVanishedFromDiskIsReportedLostAndLeavesTheIndex() throws IOException {
        scrub.run();
        Files.delete(ChunkLayout.chunkFile(dir, GOOD));
        nowMs.addAndGet(INTERVAL.toMillis());

        scrub.run();

        assertThat(reported).containsExactlyInAnyOrder(GOOD, BAD);
        assertThat(store.handles()).containsExactly(BAD);
        assertThat(store.corruptHandles()).containsExactlyInAnyOrder(GOOD, BAD);
    }

    @Test
    void aScheduledPassThatFailsWithAnErrorDoesNotStopTheNextPasses() throws InterruptedException {
        AtomicInteger passes = new AtomicInteger();
        ScrubTask failingOnce = new ScrubTask("cs-test", store, INTERVAL, new BandwidthThrottle(0), () -> {
            if (passes.incrementAndGet() == 1) {
                throw new OutOfMemoryError("Cannot reserve 1048576 bytes of direct buffer memory");
            }
            return nowMs.get();
        }, () -> { });
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            scheduler.scheduleWithFixedDelay(failingOnce, 0, 10, TimeUnit.MILLISECONDS);

            await().atMost(Duration.ofSeconds(10)).until(() -> passes.get() >= 3);
        } finally {
            scheduler.shutdownNow();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void write(ChunkHandle handle, int size) {
        byte[] bytes = new byte[size];
        new Random(handle.value()).nextBytes(bytes);
        ChunkWriter writer = store.create(handle);
        writer.write(ByteBuffer.wrap(bytes));
        writer.commit(size);
    }
}
