package io.granary.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
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
