package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.common.ByteSize;
import io.granary.launcher.Granary;
import io.granary.launcher.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recursive and bulk commands of the command-line client on a real cluster: a tree of 500
 * small files in nested folders, with empty files, empty folders and one 100 MiB file, copied up
 * and down with {@code cp -r} and {@code mirror}, compared by the SHA-256 of every file; mirror's
 * second run copies nothing; {@code --delete}, {@code --dry-run}, {@code rm -r}, {@code ls -R},
 * {@code find}; and the exit codes of local mistakes and of a copy where some files fail.
 */
class CliBulkIT {
    static final long BIG = 100 * ByteSize.MIB;
    static final int SMALL_FILES = 500;
    static final String DIRECTORY = "<dir>";

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkSize("8MiB").build();
    @TempDir
    static Path dir;
    static Path tree;
    static Map<String, String> expected;
    static final ObjectMapper json = new ObjectMapper();

    static CliIT.Run granary(String... args) {
        return CliIT.granaryAs(cluster.gatewayUrl(), cluster.adminToken(), args);
    }

    /** 500 files of a few KiB (every 50th empty) in d0..d9/s0..s4, two empty folders and one 100 MiB file. */
    @BeforeAll
    static void makeTree() throws IOException {
        tree = dir.resolve("tree");
        for (int i = 0; i < SMALL_FILES; i++) {
            String name = i == 7 ? "with space " + i + ".txt" : "f" + i + ".bin";
            write(tree.resolve("d" + i % 10).resolve("s" + i / 10 % 5).resolve(name), i, i % 50 == 0 ? 0 : 1 + i * 131L % 4096);
        }
        Files.createDirectories(tree.resolve("empty"));
        Files.createDirectories(tree.resolve("d3/hollow/deeper"));
        write(tree.resolve("big/movie.bin"), 1000, BIG);
        expected = contents(tree);
    }

    static void write(Path file, long seed, long size) throws IOException {
        Files.createDirectories(file.getParent());
        try (InputStream in = TestBytes.stream(seed, size)) {
            Files.copy(in, file);
        }
    }

    /** Every entry below {@code root} by its relative path: a file's SHA-256, or {@link #DIRECTORY}. */
    static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (!path.equals(root)) {
                    contents.put(root.relativize(path).toString(),
                            Files.isDirectory(path) ? DIRECTORY : CliIT.sha256(path));
                }
            }
        }
        return contents;
    }

    /** The same of a tree in Granary, from {@code ls -R --json} (the listing's sha256 of each file). */
    static Map<String, String> remoteContents(String remote) throws IOException {
        CliIT.Run ls = granary("ls", "-R", "--json", remote);
        assertThat(ls.exitCode()).as(ls.stderr()).isZero();
        Map<String, String> contents = new TreeMap<>();
        for (JsonNode entry : json.readTree(ls.stdout())) {
            contents.put(entry.get("path").asText(),
                    entry.get("type").asText().equals("directory") ? DIRECTORY : entry.get("sha256").asText());
        }
        return contents;
    }

    static JsonNode summary(CliIT.Run run) throws IOException {
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return json.readTree(run.stdout());
    }

    @Test
    void cpRecursiveCopiesATreeUpAndDownByteForByteWithEmptyFilesAndFolders() throws IOException {
        assertThat(expected).as("files, and the folders d*, d*/s*, empty, d3/hollow, d3/hollow/deeper, big")
                .hasSize(SMALL_FILES + 1 + 10 + 50 + 1 + 2 + 1);

        JsonNode up = summary(granary("cp", "-r", "--json", "--parallel", "8", tree.toString(), "gr:/bulk/cp"));
        Path down = dir.resolve("cp-down");
        JsonNode back = summary(granary("cp", "-r", "--json", "--parallel", "8", "/bulk/cp", down.toString()));

        assertThat(up.get("copied").asLong()).isEqualTo(SMALL_FILES + 1);
        assertThat(up.get("failed").asLong()).isZero();
        assertThat(remoteContents("/bulk/cp")).isEqualTo(expected);
        assertThat(back.get("copied").asLong()).isEqualTo(SMALL_FILES + 1);
        assertThat(back.get("bytes").asLong()).isEqualTo(up.get("bytes").asLong());
        assertThat(contents(down)).isEqualTo(expected);
    }

    @Test
    void cpIntoADirectoryKeepsTheNameAsMcDoes() throws IOException {
        Path one = dir.resolve("one.txt");
        write(one, 5, 1234);
        Files.createDirectories(dir.resolve("into"));

        assertThat(granary("cp", one.toString(), "gr:/bulk/into/").exitCode()).isZero();
        assertThat(granary("cp", "/bulk/into/one.txt", dir.resolve("into").toString()).exitCode()).isZero();
        assertThat(granary("cp", "-r", tree.resolve("d1").toString(), "gr:/bulk/into").exitCode()).isZero();

        assertThat(CliIT.sha256(dir.resolve("into/one.txt"))).isEqualTo(TestBytes.sha256(5, 1234));
        assertThat(remoteContents("/bulk/into")).containsKeys("one.txt", "d1/s0/f1.bin", "d1/s4/f41.bin");
    }

    @Test
    void mirrorBothWaysCopiesOnlyWhatDiffersAndASecondRunCopiesNothing() throws IOException {
        JsonNode up = summary(granary("mirror", "--json", "--parallel", "8", tree.toString(), "gr:/bulk/mirror"));
        // the second run by mirror's other name, as aws s3 and rclone users type it
        JsonNode upAgain = summary(granary("sync", "--json", "--parallel", "8", tree.toString(), "gr:/bulk/mirror"));
        Path down = dir.resolve("mirror-down");
        JsonNode back = summary(granary("mirror", "--json", "--parallel", "8", "/bulk/mirror", down.toString()));
        JsonNode backAgain = summary(granary("mirror", "--json", "--parallel", "8", "/bulk/mirror", down.toString()));

        assertThat(up.get("copied").asLong()).isEqualTo(SMALL_FILES + 1);
        assertThat(upAgain.get("copied").asLong()).isZero();
        assertThat(upAgain.get("bytes").asLong()).isZero();
        assertThat(upAgain.get("skipped").asLong()).isEqualTo(SMALL_FILES + 1);
        assertThat(remoteContents("/bulk/mirror")).isEqualTo(expected);
        assertThat(back.get("copied").asLong()).isEqualTo(SMALL_FILES + 1);
        assertThat(backAgain.get("copied").asLong()).isZero();
        assertThat(backAgain.get("skipped").asLong()).isEqualTo(SMALL_FILES + 1);
        assertThat(contents(down)).isEqualTo(expected);
    }

    @Test
    void mirrorDryRunChangesNothingAndDeleteRemovesWhatTheSourceLacks() throws IOException {
        Path source = dir.resolve("small");
        write(source.resolve("keep.txt"), 11, 100);
        write(source.resolve("change.txt"), 12, 200);
        write(source.resolve("gone/old.txt"), 13, 300);
        assertThat(summary(granary("mirror", "--json", source.toString(), "gr:/bulk/small")).get("copied").asLong())
                .isEqualTo(3);
        Files.delete(source.resolve("change.txt"));
        write(source.resolve("change.txt"), 14, 200); // same size, other content
        write(source.resolve("new/fresh.txt"), 15, 400);
        Files.delete(source.resolve("gone/old.txt"));
        Files.delete(source.resolve("gone"));
        Map<String, String> before = remoteContents("/bulk/small");

        CliIT.Run dryText = granary("mirror", "--delete", "--dry-run", source.toString(), "gr:/bulk/small");
        JsonNode dry = summary(granary("mirror", "--delete", "--dry-run", "--json", source.toString(), "gr:/bulk/small"));
        Map<String, String> afterDryRun = remoteContents("/bulk/small");
        JsonNode withoutDelete = summary(granary("mirror", "--json", source.toString(), "gr:/bulk/small"));
        JsonNode withDelete = summary(granary("mirror", "--delete", "--json", source.toString(), "gr:/bulk/small"));

        assertThat(dryText.exitCode()).as(dryText.stderr()).isZero();
        assertThat(dryText.out()).contains("copy   /bulk/small/change.txt", "copy   /bulk/small/new/fresh.txt",
                "delete /bulk/small/gone/", "dry run, nothing changed: 2 copied");
        assertThat(dry.get("dryRun").asBoolean()).isTrue();
        assertThat(dry.get("copied").asLong()).isEqualTo(2);
        assertThat(dry.get("skipped").asLong()).isEqualTo(1);
        assertThat(dry.get("deleted").asLong()).isEqualTo(1);
        assertThat(dry.get("actions").findValuesAsText("action")).contains("copy", "mkdir", "delete");
        assertThat(afterDryRun).isEqualTo(before);
        assertThat(withoutDelete.get("copied").asLong()).isEqualTo(2);
        assertThat(withoutDelete.get("deleted").asLong()).isZero();
        assertThat(withDelete.get("copied").asLong()).isZero();
        assertThat(withDelete.get("deleted").asLong()).isEqualTo(1);
        assertThat(remoteContents("/bulk/small")).isEqualTo(contents(source));
    }

    @Test
    void lsRecursiveFindWithEachFilterRmRecursiveAndMvAcrossDirectories() throws IOException {
        Path source = dir.resolve("findable");
        write(source.resolve("a/small.log"), 21, 10);
        write(source.resolve("a/b/large.bin"), 22, 50_000);
        write(source.resolve("c/empty.log"), 23, 0);
        assertThat(granary("cp", "-r", source.toString(), "gr:/bulk/find").exitCode()).isZero();

        CliIT.Run ls = granary("ls", "-R", "/bulk/find");
        assertThat(ls.exitCode()).as(ls.stderr()).isZero();
        assertThat(ls.out()).contains(" a/\n", " a/b/\n", " a/b/large.bin\n", " a/small.log\n", " c/empty.log\n");

        assertThat(find("/bulk/find", "--name", "*.log")).containsExactly("/bulk/find/a/small.log", "/bulk/find/c/empty.log");
        assertThat(find("/bulk/find", "--larger", "1KiB")).containsExactly("/bulk/find/a/b/large.bin");
        assertThat(find("/bulk/find", "--smaller", "11")).containsExactly("/bulk/find/a/small.log", "/bulk/find/c/empty.log");
        assertThat(find("/bulk/find", "--type", "d")).containsExactly("/bulk/find/a/", "/bulk/find/a/b/", "/bulk/find/c/");
        assertThat(find("/bulk/find", "--newer", "1h", "--type", "f")).hasSize(3);
        assertThat(find("/bulk/find", "--older", "1h")).isEmpty();
        assertThat(find("/bulk/find", "--older", "1h", "--newer", "7d")).isEmpty();
        CliIT.Run findJson = granary("find", "--json", "--name", "large*", "/bulk/find");
        assertThat(json.readTree(findJson.stdout()).get(0).get("sha256").asText())
                .isEqualTo(TestBytes.sha256(22, 50_000));

        CliIT.Run mv = granary("mv", "/bulk/find/a/small.log", "/bulk/find/c/");
        assertThat(mv.exitCode()).as(mv.stderr()).isZero();
        assertThat(remoteContents("/bulk/find")).containsKey("c/small.log").doesNotContainKey("a/small.log");

        CliIT.Run rm = granary("rm", "-r", "--json", "/bulk/find/a");
        assertThat(rm.exitCode()).as(rm.stderr()).isZero();
        assertThat(json.readTree(rm.stdout()).get("path").asText()).isEqualTo("/bulk/find/a");
        assertThat(json.readTree(rm.stdout()).get("type").asText()).isEqualTo("directory");
        assertThat(granary("stat", "/bulk/find/a").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        CliIT.Run rmFile = granary("rm", "-r", "--json", "/bulk/find/c/small.log");
        assertThat(rmFile.exitCode()).as(rmFile.stderr()).isZero();
        assertThat(json.readTree(rmFile.stdout()).get("type").asText()).isEqualTo("file");
        assertThat(remoteContents("/bulk/find")).containsOnlyKeys("c", "c/empty.log");
    }

    static List<String> find(String... args) {
        List<String> command = new ArrayList<>(List.of("find"));
        command.addAll(List.of(args));
        CliIT.Run run = granary(command.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return run.out().lines().toList();
    }

    @Test
    void excludedEntriesAreNeitherCopiedNorDeletedAndAnExcludedFolderIsNotWalked() throws IOException {
        Path source = dir.resolve("excluding");
        write(source.resolve("keep.txt"), 41, 100);
        write(source.resolve("scratch.tmp"), 42, 100);
        write(source.resolve("sub/keep.bin"), 43, 100);
        write(source.resolve("sub/deep/also.tmp"), 44, 100);
        write(source.resolve("cache/blob"), 45, 100);
        assertThat(granary("put", source.resolve("keep.txt").toString(), "/bulk/excluding/old.tmp").exitCode()).isZero();

        JsonNode mirrored = summary(granary("mirror", "--json", "--delete", "--exclude", "*.tmp", "--exclude", "cache",
                source.toString(), "gr:/bulk/excluding"));

        assertThat(mirrored.get("copied").asLong()).isEqualTo(2);
        assertThat(mirrored.get("deleted").asLong()).isZero();
        assertThat(remoteContents("/bulk/excluding")).containsOnlyKeys("keep.txt", "sub", "sub/keep.bin", "sub/deep",
                "old.tmp");

        Path back = dir.resolve("excluded-back");
        JsonNode copied = summary(granary("cp", "-r", "--json", "--exclude", "sub/**", "gr:/bulk/excluding", back.toString()));
        assertThat(copied.get("copied").asLong()).isEqualTo(2);
        assertThat(contents(back)).containsOnlyKeys("keep.txt", "old.tmp", "sub");

        CliIT.Run badGlob = granary("mirror", "--exclude", "[a-", source.toString(), "gr:/bulk/excluding");
        assertThat(badGlob.exitCode()).as(badGlob.stderr()).isEqualTo(ExitCodes.USAGE);
        assertThat(badGlob.stderr()).contains("--exclude");
    }

    @Test
    void aMissingLocalFolderOrAFolderWhereAFileIsExpectedIsAUsageError() throws IOException {
        Path missing = dir.resolve("no-such-folder");
        Path folder = Files.createDirectories(dir.resolve("a-folder"));

        CliIT.Run cpMissing = granary("cp", "-r", "./no-such-folder", "gr:/bulk/x");
        CliIT.Run cpMissingAbsolute = granary("cp", "-r", missing.toString(), "gr:/bulk/x");
        CliIT.Run mirrorMissing = granary("mirror", missing.toString(), "gr:/bulk/x");
        CliIT.Run putFolder = granary("put", folder.toString(), "bulk/x");
        CliIT.Run cpFolder = granary("cp", folder.toString(), "gr:/bulk/x");
        CliIT.Run both = granary("cp", "gr:/a", "gr:/b");

        for (CliIT.Run run : List.of(cpMissing, cpMissingAbsolute, mirrorMissing, putFolder, cpFolder, both)) {
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.stderr()).doesNotContain("reach", "Exception");
        }
        assertThat(cpMissingAbsolute.stderr()).contains("no such local");
        assertThat(putFolder.stderr()).contains("is a folder");
        assertThat(granary("stat", "/bulk/x").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void aFileThatFailsIsReportedTheOthersAreCopiedAndTheExitCodeSaysSo() throws IOException {
        Path source = dir.resolve("partial");
        write(source.resolve("a.txt"), 31, 10);
        write(source.resolve("b.txt"), 32, 20);
        write(source.resolve("c.txt"), 33, 30);
        // A directory where b.txt should go: that one file cannot be written.
        assertThat(granary("mkdir", "/bulk/partial/partial/b.txt").exitCode()).isZero();

        CliIT.Run cp = granary("cp", "-r", "--json", source.toString(), "gr:/bulk/partial/");

        assertThat(cp.exitCode()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(cp.stderr()).contains("/bulk/partial/partial/b.txt").contains("1 entry failed");
        JsonNode summary = json.readTree(cp.stdout());
        assertThat(summary.get("copied").asLong()).isEqualTo(2);
        assertThat(summary.get("failures").get(0).get("path").asText()).isEqualTo("/bulk/partial/partial/b.txt");
        assertThat(remoteContents("/bulk/partial/partial")).containsEntry("a.txt", TestBytes.sha256(31, 10))
                .containsEntry("c.txt", TestBytes.sha256(33, 30));
    }

    @Test
    void everyNewCommandsHelpListsItsExitCodes() {
        var commands = Granary.commandLine().getSubcommands();
        for (String command : List.of("cp", "mirror", "find", "ls", "rm", "mv")) {
            assertThat(commands.get(command).getUsageMessage()).as(command)
                    .contains("Exit codes:", "the gateway cannot be reached");
        }
        assertThat(commands.get("cp").getUsageMessage()).contains("some entries failed");
    }
}
