package io.granary.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.ByteArrayOutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSpoolTest {
    @TempDir
    Path dir;

    @Test
    void replaysWhatWasAppendedInPiecesOfAtMostTheGivenSize() throws Exception {
        try (ChunkSpool spool = ChunkSpool.create(dir)) {
            spool.append(ByteString.copyFromUtf8("hello, "));
            spool.append(ByteString.copyFromUtf8("spooled world"));

            List<ByteString> pieces = new ArrayList<>();
            spool.replay(5, pieces::add);

            assertThat(pieces).allMatch(p -> p.size() <= 5);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (ByteString piece : pieces) {
                piece.writeTo(all);
            }
            assertThat(all.toString(StandardCharsets.UTF_8)).isEqualTo("hello, spooled world");
            assertThat(spool.size()).isEqualTo(20);
        }
    }

    @Test
    void clearingStartsTheNextChunkEmpty() throws Exception {
        try (ChunkSpool spool = ChunkSpool.create(dir)) {
            spool.append(ByteString.copyFromUtf8("first chunk"));
            spool.clear();
            spool.append(ByteString.copyFromUtf8("2nd"));

            List<ByteString> pieces = new ArrayList<>();
            spool.replay(1024, pieces::add);

            assertThat(pieces).containsExactly(ByteString.copyFromUtf8("2nd"));
        }
    }

    @Test
    void aPieceWrappingPartOfAnArraySpoolsOnlyThatPart() throws Exception {
        byte[] array = "xxhello, wrapped worldyy".getBytes(StandardCharsets.UTF_8);
        try (ChunkSpool spool = ChunkSpool.create(dir)) {
            spool.append(UnsafeByteOperations.unsafeWrap(array, 2, array.length - 4));

            List<ByteString> pieces = new ArrayList<>();
            spool.replay(1024, pieces::add);

            assertThat(pieces).containsExactly(ByteString.copyFromUtf8("hello, wrapped world"));
        }
    }

    @Test
    void aPieceHeldOutsideTheHeapIsSpooledToo() throws Exception {
        byte[] bytes = new byte[200 * 1024];
        new java.util.Random(3).nextBytes(bytes);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        try (ChunkSpool spool = ChunkSpool.create(dir)) {
            spool.append(ByteString.copyFromUtf8("head:"));
            spool.append(UnsafeByteOperations.unsafeWrap(direct));

            List<ByteString> pieces = new ArrayList<>();
            spool.replay(bytes.length * 2, pieces::add);

            assertThat(pieces).containsExactly(ByteString.copyFromUtf8("head:").concat(ByteString.copyFrom(bytes)));
        }
    }

    @Test
    void aShorterChunkAfterALongerOneReplaysOnlyItsOwnBytes() throws Exception {
        try (ChunkSpool spool = ChunkSpool.create(dir)) {
            spool.append(ByteString.copyFromUtf8("a long first chunk"));
            spool.clear();
            spool.append(ByteString.copyFromUtf8("short"));
            spool.append(ByteString.copyFromUtf8("er"));

            List<ByteString> pieces = new ArrayList<>();
            spool.replay(4, pieces::add);

            assertThat(ByteString.copyFrom(pieces)).isEqualTo(ByteString.copyFromUtf8("shorter"));
            assertThat(spool.size()).isEqualTo(7);
        }
    }

    @Test
    void leavesNoFileInItsDirectory() throws Exception {
        try (ChunkSpool spool = ChunkSpool.create(dir)) {
            spool.append(ByteString.copyFromUtf8("users' bytes"));
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).as("unlinked while open").isEmpty();
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void spoolingAndReplayingPiecesTakesNoDirectMemory() throws Exception {
        byte[] piece = new byte[1024 * 1024];
        new java.util.Random(7).nextBytes(piece);
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        try (ChunkSpool spool = ChunkSpool.create(dir)) {
            long before = direct.getMemoryUsed();
            for (int i = 0; i < 4; i++) {
                spool.append(ByteString.copyFrom(piece));
            }
            List<ByteString> replayed = new ArrayList<>();
            spool.replay(piece.length, replayed::add);

            assertThat(replayed).hasSize(4).allSatisfy(p -> assertThat(p.toByteArray()).isEqualTo(piece));
            assertThat(direct.getMemoryUsed() - before).as("direct bytes taken by 4 MiB spooled and replayed")
                    .isLessThan(piece.length);
        }
    }
}
