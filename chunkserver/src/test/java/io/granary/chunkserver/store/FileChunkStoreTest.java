package io.granary.chunkserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileChunkStoreTest {
    private static final int BLOCK = FileChunkStore.BLOCK_SIZE;
    private static final ChunkHandle A = new ChunkHandle(0xa1L);
    private static final ChunkHandle B = new ChunkHandle(0xb2L);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + BLOCK / 2})
    void storesAndReadsBackChunksOfEverySize(int size) throws IOException {
        FileChunkStore store = open(0);
        byte[] content = random(size, size);

        write(store, A, content);

        assertThat(store.handles()).containsExactly(A);
        assertThat(store.size(A)).isEqualTo(size);
        assertThat(store.usedBytes()).isEqualTo(size);
        assertThat(readAll(store, A, 0, 0, 100_000)).isEqualTo(content);
        assertThat(Files.readAllBytes(ChunkLayout.chunkFile(dir, A))).isEqualTo(content);
        long blocks = (size + BLOCK - 1) / BLOCK;
        assertThat(Files.size(new ChunkLayout(dir).crcFile(A))).isEqualTo(ChecksumFile.HEADER_BYTES + 4 * blocks);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void anyRangeReadsTheSameBytesAsTheSameSliceOfTheSource() {
        FileChunkStore store = open(0);
        byte[] content = random(5 * BLOCK + 12_345, 7);
        write(store, A, content);
        Random random = new Random(42);

        for (int i = 0; i < 200; i++) {
            int offset = random.nextInt(content.length + 1);
            int length = random.nextInt(content.length - offset + 1);
            int piece = 1 + random.nextInt(3 * BLOCK);
            byte[] expected = length == 0 ? Arrays.copyOfRange(content, offset, content.length)
                    : Arrays.copyOfRange(content, offset, offset + length);
            assertThat(readAll(store, A, offset, length, piece))
                    .as("offset %d length %d piece %d", offset, length, piece).isEqualTo(expected);
        }
    }

    @Test
    void aPieceLargerThanOneReadSliceComesWholeAndVerified() {
        FileChunkStore store = open(0);
        byte[] content = random(3 * ChecksumFile.READ_SLICE_BYTES + 12_345, 9);
        write(store, A, content);

        try (ChunkReader reader = store.open(A, 0, 0)) {
            ByteBuffer piece = reader.next(content.length);
            byte[] bytes = new byte[piece.remaining()];
            piece.get(bytes);
            assertThat(bytes).isEqualTo(content);
        }
    }

    @Test
    void readerHandsOutPiecesNoLargerThanAsked() {
        FileChunkStore store = open(0);
        write(store, A, random(4 * BLOCK, 3));

        try (ChunkReader reader = store.open(A, 100, 0)) {
            while (reader.remaining() > 0) {
                assertThat(reader.next(BLOCK + 7).remaining()).isBetween(1, BLOCK + 7);
            }
        }
    }

    @Test
    void aFlippedByteFailsReadsOfItsBlockOnlyAndMarksTheChunkCorrupt() throws IOException {
        FileChunkStore store = open(0);
        byte[] content = random(4 * BLOCK, 11);
        write(store, A, content);
        flipByte(ChunkLayout.chunkFile(dir, A), 2 * BLOCK + 100);

        assertThatThrownBy(() -> readAll(store, A, 2 * BLOCK + 5000, 10, BLOCK))
                .isInstanceOfSatisfying(GranaryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.DATA_LOSS);
                    assertThat(e.getMessage()).isEqualTo("chunk " + A.hex() + " on cs-test: checksum mismatch in block 2");
                });
        assertThatThrownBy(() -> readAll(store, A, 0, 0, 1 << 20)).hasMessageContaining("block 2");
        assertThat(readAll(store, A, 0, 2 * BLOCK, BLOCK)).isEqualTo(Arrays.copyOfRange(content, 0, 2 * BLOCK));
        assertThat(readAll(store, A, 3 * BLOCK, BLOCK, BLOCK)).isEqualTo(Arrays.copyOfRange(content, 3 * BLOCK, 4 * BLOCK));
        assertThat(store.corruptHandles()).containsExactly(A);
    }

    @Test
    void aReplicaWhoseFileVanishedFromDiskIsDroppedFromTheIndexAndReportedLost() throws IOException {
        FileChunkStore store = open(0);
        List<ChunkHandle> reported = new CopyOnWriteArrayList<>();
        store.onCorruption(reported::add);
        write(store, A, random(2 * BLOCK, 12));
        write(store, B, random(100, 13));
        Files.delete(ChunkLayout.chunkFile(dir, A));

        assertThatThrownBy(() -> readAll(store, A, 0, 0, BLOCK)).satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));

        assertThat(store.handles()).containsExactly(B);
        assertThat(store.contains(A)).isFalse();
        assertThat(store.usedBytes()).isEqualTo(100);
        assertThat(store.corruptHandles()).containsExactly(A);
        assertThat(reported).containsExactly(A);
        assertThat(new ChunkLayout(dir).crcFile(A)).doesNotExist();
        assertThatThrownBy(() -> readAll(store, A, 0, 0, BLOCK)).satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));
        assertThat(reported).containsExactly(A); // reported once

        write(store, A, random(2 * BLOCK, 12)); // the master's copy brings it back
        assertThat(store.corruptHandles()).isEmpty();
        assertThat(store.handles()).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void aReplicaWhoseChecksumFileVanishedIsLostTooAndItsBytesGo() throws IOException {
        FileChunkStore store = open(0);
        write(store, A, random(BLOCK + 1, 18));
        Files.delete(new ChunkLayout(dir).crcFile(A));

        assertThatThrownBy(() -> readAll(store, A, 0, 0, BLOCK))
                .satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));

        assertThat(store.handles()).isEmpty();
        assertThat(store.usedBytes()).isZero();
        assertThat(store.corruptHandles()).containsExactly(A);
        assertThat(ChunkLayout.chunkFile(dir, A)).doesNotExist();
    }

    @Test
    void aChunkDeletedOnPurposeIsNotReportedLost() {
        FileChunkStore store = open(0);
        List<ChunkHandle> reported = new CopyOnWriteArrayList<>();
        store.onCorruption(reported::add);
        write(store, A, random(100, 14));

        store.delete(A);

        assertThatThrownBy(() -> readAll(store, A, 0, 0, BLOCK)).satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));
        assertThat(store.corruptHandles()).isEmpty();
        assertThat(reported).isEmpty();
    }

    @Test
    void aReplaceKeepsTheOldReplicaUntilItCommitsThenSwapsItAndClearsItsCorruption() throws IOException {
        FileChunkStore store = open(0);
        byte[] content = random(3 * BLOCK + 10, 15);
        write(store, A, content);
        flipByte(ChunkLayout.chunkFile(dir, A), BLOCK + 1);
        assertThatThrownBy(() -> readAll(store, A, 0, 0, BLOCK)).satisfies(e -> assertKind(e, ErrorKind.DATA_LOSS));
        assertThat(store.corruptHandles()).containsExactly(A);
        assertThatThrownBy(() -> store.create(A)).satisfies(e -> assertKind(e, ErrorKind.ALREADY_EXISTS));

        ChunkWriter writer = store.replace(A);
        writer.write(ByteBuffer.wrap(content));
        assertThat(store.contains(A)).isTrue();
        assertThatThrownBy(() -> store.replace(A)).satisfies(e -> assertKind(e, ErrorKind.ALREADY_EXISTS));
        writer.commit(content.length);

        assertThat(readAll(store, A, 0, 0, BLOCK)).isEqualTo(content);
        assertThat(Files.readAllBytes(ChunkLayout.chunkFile(dir, A))).isEqualTo(content);
        assertThat(store.corruptHandles()).isEmpty();
        assertThat(store.usedBytes()).isEqualTo(content.length);
        assertThat(tmpFiles()).isEmpty();
        assertThat(open(0).handles()).containsExactly(A);
    }

    @Test
    void anAbortedReplaceLeavesTheOldReplicaAsItWas() {
        FileChunkStore store = open(0);
        byte[] content = random(BLOCK + 10, 16);
        write(store, A, content);

        ChunkWriter writer = store.replace(A);
        writer.write(ByteBuffer.wrap(random(BLOCK, 17)));
        writer.abort();

        assertThat(readAll(store, A, 0, 0, BLOCK)).isEqualTo(content);
        assertThat(store.usedBytes()).isEqualTo(content.length);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void restartDropsUnfinishedWritesAndHalfInstalledChunksButKeepsCompleteOnes() throws IOException {
        FileChunkStore store = open(0);
        byte[] content = random(BLOCK + 3, 5);
        write(store, A, content);
        ChunkWriter crashed = store.create(B);
        crashed.write(ByteBuffer.wrap(random(1000, 6))); // never committed nor aborted: the process "died"
        ChunkLayout layout = new ChunkLayout(dir);
        ChunkHandle orphanCrc = new ChunkHandle(0xc3L);
        ChunkHandle chunkWithoutCrc = new ChunkHandle(0xd4L);
        Files.createDirectories(layout.dirOf(orphanCrc));
        Files.copy(layout.crcFile(A), layout.crcFile(orphanCrc));
        Files.createDirectories(layout.dirOf(chunkWithoutCrc));
        Files.write(layout.chunkFile(chunkWithoutCrc), random(10, 1));

        FileChunkStore reopened = open(0);

        assertThat(tmpFiles()).isEmpty();
        assertThat(reopened.handles()).containsExactly(A);
        assertThat(reopened.usedBytes()).isEqualTo(content.length);
        assertThat(readAll(reopened, A, 0, 0, BLOCK)).isEqualTo(content);
        assertThat(layout.crcFile(orphanCrc)).doesNotExist();
        assertThat(layout.chunkFile(chunkWithoutCrc)).doesNotExist();
        write(reopened, B, random(10, 2)); // the crashed handle can be written afresh
    }

    @Test
    void refusesWritesBeyondCapacityAndLosesNothing() {
        FileChunkStore store = open(100_000);
        write(store, A, random(80_000, 1));
        ChunkWriter writer = store.create(B);

        assertThatThrownBy(() -> writer.write(ByteBuffer.wrap(random(30_000, 2))))
                .isInstanceOfSatisfying(GranaryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RESOURCE_EXHAUSTED);
                    assertThat(e.getMessage()).startsWith("chunkserver cs-test is full: ");
                });
        assertThat(store.handles()).containsExactly(A);
        assertThat(store.usedBytes()).isEqualTo(80_000);
        assertThat(tmpFiles()).isEmpty();
        write(store, B, random(20_000, 3)); // the refused write's reservation was released
    }

    @Test
    void refusesACommitWhoseSizeDoesNotMatchAndLeavesNothingBehind() {
        FileChunkStore store = open(0);
        ChunkWriter writer = store.create(A);
        writer.write(ByteBuffer.wrap(random(5000, 1)));

        assertThatThrownBy(() -> writer.commit(5001))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("received 5000 bytes but the writer declared 5001");
        assertThat(store.handles()).isEmpty();
        assertThat(store.usedBytes()).isZero();
        assertThat(tmpFiles()).isEmpty();
        assertThat(ChunkLayout.chunkFile(dir, A)).doesNotExist();
    }

    @Test
    void rejectsDuplicatesUnknownHandlesAndBadRanges() {
        FileChunkStore store = open(0);
        write(store, A, random(1000, 1));
        ChunkWriter inProgress = store.create(B);

        assertThatThrownBy(() -> store.create(A)).satisfies(e -> assertKind(e, ErrorKind.ALREADY_EXISTS));
        assertThatThrownBy(() -> store.create(B)).satisfies(e -> assertKind(e, ErrorKind.ALREADY_EXISTS));
        assertThatThrownBy(() -> store.open(new ChunkHandle(99), 0, 0)).satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> store.open(A, -1, 0)).satisfies(e -> assertKind(e, ErrorKind.INVALID_ARGUMENT));
        assertThatThrownBy(() -> store.open(A, 1001, 0)).satisfies(e -> assertKind(e, ErrorKind.INVALID_ARGUMENT));
        assertThatThrownBy(() -> store.open(A, 500, 501)).satisfies(e -> assertKind(e, ErrorKind.INVALID_ARGUMENT));
        inProgress.abort();
    }

    @Test
    void deleteIsIdempotentAndFreesSpace() {
        FileChunkStore store = open(0);
        write(store, A, random(1000, 1));
        write(store, B, random(2000, 2));

        store.delete(A);
        store.delete(A);

        assertThat(store.handles()).containsExactly(B);
        assertThat(store.usedBytes()).isEqualTo(2000);
        assertThat(ChunkLayout.chunkFile(dir, A)).doesNotExist();
        assertThat(new ChunkLayout(dir).crcFile(A)).doesNotExist();
        assertThat(open(0).handles()).containsExactly(B);
    }

    private FileChunkStore open(long capacity) {
        return FileChunkStore.open(dir, "cs-test", capacity);
    }

    /** Writes in pieces of uneven sizes, so pieces straddle block boundaries. */
    private static void write(ChunkStore store, ChunkHandle handle, byte[] content) {
        ChunkWriter writer = store.create(handle);
        int[] pieces = {1, 7919, 65_536, 100_003, 13};
        int offset = 0;
        for (int i = 0; offset < content.length; i++) {
            int n = Math.min(pieces[i % pieces.length], content.length - offset);
            writer.write(ByteBuffer.wrap(content, offset, n).asReadOnlyBuffer());
            offset += n;
        }
        writer.commit(content.length);
    }

    private static byte[] readAll(ChunkStore store, ChunkHandle handle, long offset, long length, int piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.read(handle, offset, length, piece, buf -> {
            byte[] bytes = new byte[buf.remaining()];
            buf.get(bytes);
            out.writeBytes(bytes);
        });
        return out.toByteArray();
    }

    static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x40);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void assertKind(Throwable e, ErrorKind kind) {
        assertThat(e).isInstanceOf(GranaryException.class);
        assertThat(((GranaryException) e).kind()).isEqualTo(kind);
    }

    private List<Path> tmpFiles() {
        try (Stream<Path> files = Files.list(new ChunkLayout(dir).tmpDir())) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
