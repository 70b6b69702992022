package io.granary.master.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.Actor;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.master.testing.RawRedis;
import io.granary.master.testing.SharedRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a restore refuses, each time before writing anything; and a backup that would pause writes too long. */
class RestoreRefusalsIT {
    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("refusals");

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private RawRedis raw;
    private Path backup;

    @BeforeEach
    void backUpASmallNamespace() throws IOException {
        raw = RawRedis.connect(redis.uri());
        RedisMetadataStore store = redis.store();
        store.initialize(1_000);
        store.makeDirectory(GranaryPath.of("a/b"), Actor.SYSTEM, 2_000);
        backup = dir.resolve("small.backup");
        try (MetadataBackup backups = MetadataBackup.connect(redis.uri(), TIMEOUT, redis.prefix())) {
            backups.backup(backup, MetadataBackup.DEFAULT_MAX_PAUSE);
        }
    }

    @AfterEach
    void disconnect() {
        raw.close();
    }

    @Test
    void aRestoreIntoAPrefixHoldingAnyKeyIsRefusedAndWritesNothing() throws IOException {
        String target = redis.newPrefix();
        raw.commands().set(target + ":unrelated", "x");

        assertThatThrownBy(() -> restore(target, backup))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
                .hasMessageContaining("the prefix " + target + " is not empty");
        assertThat(raw.keys(target)).containsExactly(target + ":unrelated");
    }

    static Stream<Arguments> refusedFiles() {
        return Stream.of(
                Arguments.of("no trailer", (UnaryOperator<List<String>>) lines -> lines.subList(0, lines.size() - 1),
                        ErrorKind.DATA_LOSS, "is truncated or damaged: it ends early, without its trailer"),
                Arguments.of("a key line too few", (UnaryOperator<List<String>>) lines -> without(lines, 1),
                        ErrorKind.DATA_LOSS, "is truncated or damaged: its trailer counts"),
                Arguments.of("unknown version", (UnaryOperator<List<String>>) lines -> replaced(lines, 0,
                        "\"version\":1", "\"version\":2"), ErrorKind.INVALID_ARGUMENT,
                        "is a backup of format version 2; this Granary reads version 1 only"),
                Arguments.of("newer schema", (UnaryOperator<List<String>>) lines -> replaced(lines, 0,
                        "\"schema\":1", "\"schema\":2"), ErrorKind.FAILED_PRECONDITION,
                        "holds a namespace of schema version 2, written by a newer Granary; this one understands up to "
                                + "version 1"),
                Arguments.of("not a backup", (UnaryOperator<List<String>>) lines -> List.of("{\"hello\":1}"),
                        ErrorKind.INVALID_ARGUMENT, "is not a Granary metadata backup"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFiles")
    void aRestoreRefusesAFileThatIsNotACompleteBackupItReadsAndWritesNothing(
            String name, UnaryOperator<List<String>> change, ErrorKind kind, String message) throws IOException {
        Path file = dir.resolve("changed.backup");
        writeLines(file, change.apply(readLines(backup)));
        String target = redis.newPrefix();

        assertThatThrownBy(() -> restore(target, file))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContaining(message);
        assertThat(raw.keys(target)).isEmpty();
    }

    @Test
    void aRestoreRefusesAFileCutShortAndWritesNothing() throws IOException {
        byte[] whole = Files.readAllBytes(backup);
        Path file = dir.resolve("cut.backup");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        String target = redis.newPrefix();

        assertThatThrownBy(() -> restore(target, file))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DATA_LOSS))
                .hasMessageContaining("is truncated or damaged");
        assertThat(raw.keys(target)).isEmpty();
    }

    @Test
    void aBackupThatWouldHoldWritesLongerThanAllowedIsAbandonedAndWritesNoFile() throws IOException {
        RedisMetadataStore store = redis.store();
        store.initialize(1_000);
        for (int i = 0; i < 500; i++) {
            store.makeDirectory(GranaryPath.of("d" + i), Actor.SYSTEM, 2_000);
        }
        Path file = dir.resolve("slow.backup");

        try (MetadataBackup backups = MetadataBackup.connect(redis.uri(), TIMEOUT, redis.prefix())) {
            assertThatThrownBy(() -> backups.backup(file, Duration.ofMillis(1)))
                    .isInstanceOfSatisfying(GranaryException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED))
                    .hasMessageContaining("takes longer than writes may be held (1 ms): writes were resumed and no "
                            + "backup was written");
        }
        assertThat(file).doesNotExist();
        assertThat(dir.resolve("slow.backup.tmp")).doesNotExist();
        store.makeDirectory(GranaryPath.of("after"), Actor.SYSTEM, 3_000);
    }

    private static void restore(String prefix, Path file) throws IOException {
        try (MetadataBackup backups = MetadataBackup.connect(redis.uri(), TIMEOUT, prefix)) {
            backups.restore(file);
        }
    }

    private static List<String> without(List<String> lines, int index) {
        List<String> out = new ArrayList<>(lines);
        out.remove(index);
        return out;
    }

    private static List<String> replaced(List<String> lines, int index, String from, String to) {
        List<String> out = new ArrayList<>(lines);
        assertThat(out.get(index)).contains(from);
        out.set(index, out.get(index).replace(from, to));
        return out;
    }

    static List<String> readLines(Path file) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            return in.lines().toList();
        }
    }

    static void writeLines(Path file, List<String> lines) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
             Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            for (String line : lines) {
                writer.write(line + "\n");
            }
        }
    }
}
