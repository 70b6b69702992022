package io.granary.chunkserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.ChunkHandle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Small chunks are durable through the store's commit journal (architecture: durability, "fsync
 * before the answer"): a crash that loses their unforced files loses nothing, concurrent commits
 * share a force, and a checkpoint moves them into their own files for good.
 */
class CommitJournalTest {
    private static final int BLOCK = FileChunkStore.BLOCK_SIZE;
    private static final ChunkHandle SMALL = new ChunkHandle(0xa1L);
    private static final ChunkHandle LARGE = new ChunkHandle(0xb2L);

    @TempDir
    Path dir;

    /** What a power cut can leave of a file whose pages were never forced. */
    enum Loss { MISSING, EMPTY, ZEROED, CHECKSUMS_MISSING }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void aSmallChunkCommittedBeforeACrashIsWrittenAgainFromTheJournal(Loss loss) throws IOException {
        FileChunkStore store = open();
        byte[] small = random(4096, 1);
        byte[] large = random(3 * BLOCK + 5, 2);
        write(store, SMALL, small);
        write(store, LARGE, large);
        store.closeJournal();
        ChunkLayout layout = new ChunkLayout(dir);
        switch (loss) {
            case MISSING -> {
                Files.delete(layout.chunkFile(SMALL));
                Files.delete(layout.crcFile(SMALL));
            }
            case EMPTY -> Files.write(layout.chunkFile(SMALL), new byte[0]);
            case ZEROED -> Files.write(layout.chunkFile(SMALL), new byte[small.length]);
            case CHECKSUMS_MISSING -> Files.delete(layout.crcFile(SMALL));
        }

        FileChunkStore reopened = open();

        assertThat(reopened.handles()).containsExactlyInAnyOrder(SMALL, LARGE);
        assertThat(readAll(reopened, SMALL)).isEqualTo(small);
        assertThat(readAll(reopened, LARGE)).isEqualTo(large);
        assertThat(journalSegments()).hasSize(1).allSatisfy(segment -> assertThat(Files.size(segment)).isZero());
    }

    @Test
    void onlyChunksOfOneBlockOrLessGoThroughTheJournal() {
        FileChunkStore store = open();

        write(store, SMALL, random(BLOCK, 1));
        write(store, LARGE, random(BLOCK + 1, 2));
        write(store, new ChunkHandle(0xc3L), new byte[0]);

        assertThat(store.journalRecords()).isEqualTo(2);
    }

    @Test
    void everyRecordAppendedBeforeAForceIsDurableByThatForce() throws IOException {
        ChunkLayout layout = new ChunkLayout(dir);
        Files.createDirectories(layout.journalDir());
        CommitJournal journal = CommitJournal.open(layout, "cs-test");
        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            numbers.add(journal.appendPut(new ChunkHandle(i), ByteBuffer.wrap(random(100, i)), 0));
        }

        journal.awaitDurable(numbers.get(numbers.size() - 1));
        for (long number : numbers) {
            journal.awaitDurable(number);
        }

        assertThat(journal.forces()).isEqualTo(1);
        journal.close();
    }

    @Test
    void aFullSegmentTurnsSmallCommitsAwayExceptOfAChunkItHoldsATombstoneOf() throws IOException {
        ChunkLayout layout = new ChunkLayout(dir);
        Files.createDirectories(layout.journalDir());
        CommitJournal journal = CommitJournal.open(layout, "cs-test");
        journal.appendPut(SMALL, ByteBuffer.wrap(random(100, 1)), 0);
        journal.forget(SMALL);
        ByteBuffer block = ByteBuffer.wrap(random(BLOCK, 2));
        for (long n = 1; journal.accepting(LARGE); n++) {
            journal.appendPut(new ChunkHandle(0x1000 + n), block, 0);
        }

        assertThat(journal.accepting(new ChunkHandle(0xc3L))).isFalse();
        assertThat(journal.accepting(SMALL)).isTrue(); // logged after its tombstone, so a replay keeps it
        journal.close();
    }

    @Test
    void concurrentSmallCommitsAllSurviveACrash() throws Exception {
        FileChunkStore store = open();
        int writers = 16;
        int each = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    int n = writer * each + i;
                    write(store, new ChunkHandle(n + 1), random(1 + n * 97, n));
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        store.closeJournal();
        ChunkLayout layout = new ChunkLayout(dir);
        for (int n = 0; n < writers * each; n++) {
            Files.delete(layout.chunkFile(new ChunkHandle(n + 1))); // none of them was forced on its own
        }

        FileChunkStore reopened = open();

        assertThat(reopened.chunkCount()).isEqualTo(writers * each);
        for (int n = 0; n < writers * each; n++) {
            assertThat(readAll(reopened, new ChunkHandle(n + 1))).isEqualTo(random(1 + n * 97, n));
        }
    }

    @Test
    void aCheckpointClosesTheSegmentWhichACrashBeforeItIsSettledStillReplays() throws IOException {
        FileChunkStore store = open();
        byte[] small = random(4096, 1);
        write(store, SMALL, small);

        store.checkpoint();
        ChunkHandle next = new ChunkHandle(0xc3L);
        write(store, next, random(100, 2)); // into the new segment

        assertThat(journalSegments()).hasSize(2);
        store.closeJournal();
        Files.delete(ChunkLayout.chunkFile(dir, SMALL));
        FileChunkStore reopened = open();
        assertThat(reopened.handles()).containsExactlyInAnyOrder(SMALL, next);
        assertThat(readAll(reopened, SMALL)).isEqualTo(small);
    }

    @Test
    void aFullCheckpointLeavesTheChunksInTheirOwnFilesAndTheJournalEmpty() throws IOException {
        FileChunkStore store = open();
        byte[] small = random(4096, 1);
        write(store, SMALL, small);
        store.checkpoint();
        write(store, new ChunkHandle(0xc3L), random(100, 2));

        store.checkpointAll();

        assertThat(journalSegments()).singleElement().satisfies(s -> assertThat(Files.size(s)).isZero());
        store.closeJournal();
        FileChunkStore reopened = open();
        assertThat(reopened.handles()).containsExactlyInAnyOrder(SMALL, new ChunkHandle(0xc3L));
        assertThat(readAll(reopened, SMALL)).isEqualTo(small);
    }

    @Test
    void aSmallChunkDeletedBeforeACrashStaysDeleted() {
        FileChunkStore store = open();
        ChunkHandle kept = new ChunkHandle(0xc3L);
        write(store, SMALL, random(4096, 1));
        write(store, kept, random(4096, 2));

        store.delete(SMALL);
        store.closeJournal();
        FileChunkStore reopened = open();

        assertThat(reopened.handles()).containsExactly(kept);
        assertThat(ChunkLayout.chunkFile(dir, SMALL)).doesNotExist();
    }

    @Test
    void aTornRecordAtTheEndOfTheJournalWasNeverAcknowledgedAndIsIgnored() throws IOException {
        FileChunkStore store = open();
        byte[] small = random(4096, 1);
        write(store, SMALL, small);
        store.closeJournal();
        Path segment = journalSegments().get(0);
        byte[] record = Files.readAllBytes(segment);
        Files.write(segment, Arrays.copyOf(record, record.length / 2), StandardOpenOption.APPEND);
        Files.delete(ChunkLayout.chunkFile(dir, SMALL));

        FileChunkStore reopened = open();

        assertThat(reopened.handles()).containsExactly(SMALL);
        assertThat(readAll(reopened, SMALL)).isEqualTo(small);
    }

    private FileChunkStore open() {
        return FileChunkStore.open(dir, "cs-test", 0);
    }

    private List<Path> journalSegments() throws IOException {
        try (Stream<Path> files = Files.list(new ChunkLayout(dir).journalDir())) {
            return files.sorted().toList();
        }
    }

    private static void write(ChunkStore store, ChunkHandle handle, byte[] content) {
        try (ChunkWriter writer = store.create(handle)) {
            writer.write(ByteBuffer.wrap(content));
            writer.commit(content.length);
        }
    }

    private static byte[] readAll(ChunkStore store, ChunkHandle handle) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.read(handle, 0, 0, BLOCK, buf -> {
            byte[] bytes = new byte[buf.remaining()];
            buf.get(bytes);
            out.writeBytes(bytes);
        });
        return out.toByteArray();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
