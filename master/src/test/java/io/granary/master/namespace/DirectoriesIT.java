package io.granary.master.namespace;

import static io.granary.master.namespace.NamespaceIT.assertKind;
import static io.granary.master.namespace.Uploads.handles;
import static io.granary.master.namespace.Uploads.writeChunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.granary.common.ByteSize;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.meta.DirectoryEntry;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.EntryType;
import io.granary.common.meta.FileMeta;
import io.granary.master.model.CommittedChunk;
import io.granary.master.model.MetadataStore;
import io.granary.master.model.UploadSession;
import io.granary.master.model.WritePrecondition;
import io.granary.master.store.RedisMetadataStore;
import io.granary.master.testing.SharedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Directories, rename, usage, replication changes and conditional writes on a real Redis. */
class DirectoriesIT {
    static final long CHUNK = 64 * ByteSize.KIB;
    static final String SHA_A = "aa".repeat(32);
    static final String SHA_B = "bb".repeat(32);
    static final long GRACE_MS = Duration.ofSeconds(60).toMillis();

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("dirs");
    static RedisClient raw;
    static StatefulRedisConnection<String, String> rawConnection;

    String prefix;
    RedisMetadataStore store;
    NamespaceHarness cluster;
    Namespace namespace;
    Directories directories;

    @BeforeAll
    static void connectRaw() {
        raw = RedisClient.create(redis.uri());
        rawConnection = raw.connect();
    }

    @AfterAll
    static void closeRaw() {
        rawConnection.close();
        raw.shutdown();
    }

    @BeforeEach
    void setUp() {
        store = redis.store();
        prefix = redis.prefix();
        cluster = new NamespaceHarness(store, Duration.ofMillis(GRACE_MS), "cs-1", "cs-2", "cs-3");
        namespace = cluster.namespace(CHUNK);
        directories = new Directories("test", store, cluster.cluster, java.time.Clock.systemUTC());
    }

    @Test
    void mkdirCreatesParentsOnceAndRefusesAFileInTheWay() {
        assertThat(directories.makeDirectory("a/b/c").created()).isTrue();
        assertThat(directories.makeDirectory("/a/b/c/").created()).isFalse();
        assertThat(directories.makeDirectory("a/b").created()).isFalse();
        assertThat(directories.makeDirectory("").created()).isFalse();
        assertThat(namespace.getFile("a/b").type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(namespace.getFile("a/b/c").type()).isEqualTo(EntryType.DIRECTORY);

        put("a/file", 10);
        assertThatThrownBy(() -> directories.makeDirectory("a/file/sub"))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
                .hasMessage("'a/file' is a file");
        assertKind(() -> directories.makeDirectory("a/file"), ErrorKind.FAILED_PRECONDITION);
        assertThatThrownBy(() -> namespace.startUpload("a/b/c", 0, 0, "")).hasMessage("'a/b/c' is a directory");
    }

    @Test
    void listingPagesThroughEveryEntryInNameOrderAndPastTheLastPageIsEmpty() {
        directories.makeDirectory("docs/zeta");
        put("docs/b.txt", 10);
        put("docs/a.txt", CHUNK + 5);
        put("docs/zeta/inner", 7);
        put("docs/c.txt", 3);

        DirectoryPage first = directories.list("docs", "", 2);
        assertThat(first.entries()).extracting(DirectoryEntry::name).containsExactly("a.txt", "b.txt");
        assertThat(first.entries().get(0).size()).isEqualTo(CHUNK + 5);
        assertThat(first.entries().get(0).type()).isEqualTo(EntryType.FILE);
        assertThat(first.entries().get(0).modified().toEpochMilli()).isPositive();
        assertThat(first.next()).isEqualTo("b.txt");

        DirectoryPage second = directories.list("docs", first.next(), 2);
        assertThat(second.entries()).extracting(DirectoryEntry::name).containsExactly("c.txt", "zeta");
        assertThat(second.entries().get(1).type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(second.entries().get(1).size()).as("a directory's recursive size").isEqualTo(7);
        assertThat(second.next()).isEmpty();

        DirectoryPage past = directories.list("docs", "zeta", 2);
        assertThat(past.entries()).isEmpty();
        assertThat(past.next()).isEmpty();

        assertThat(directories.list("/", "", 0).entries()).extracting(DirectoryEntry::name).containsExactly("docs");
        assertKind(() -> directories.list("nothing", "", 10), ErrorKind.NOT_FOUND);
        assertKind(() -> directories.list("docs/a.txt", "", 10), ErrorKind.FAILED_PRECONDITION);
        assertKind(() -> directories.list("docs", "", 1001), ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void listingCarriesEachFilesEtagAndSha256AndLeavesThemEmptyForADirectory() {
        directories.makeDirectory("tags/sub");
        UploadSession tagged = namespace.startUpload("tags/md5", 0, 0, "text/plain");
        String md5 = "0123456789abcdef0123456789abcdef";
        namespace.commitUpload(tagged.id(), writeChunks(namespace, tagged, 5), 5, SHA_A, md5,
                Namespace.NO_CALLER_DEADLINE);
        put("tags/plain", 3, SHA_B);

        DirectoryPage page = directories.list("tags", "", 10);

        assertThat(page.entries()).extracting(DirectoryEntry::name, DirectoryEntry::etag, DirectoryEntry::sha256)
                .containsExactly(
                        tuple("md5", md5, SHA_A),
                        tuple("plain", "", SHA_B),
                        tuple("sub", "", ""));
    }

    @Test
    void renameMovesAFileWithItsChunksAndCreatesMissingParents() {
        FileMeta file = put("in/report.pdf", 2 * CHUNK + 1);

        FileMeta moved = directories.rename("in/report.pdf", "archive/2024/report.pdf", false);

        assertThat(moved.path()).isEqualTo("/archive/2024/report.pdf");
        assertThat(moved.inode()).isEqualTo(file.inode());
        assertThat(handles(moved)).containsExactlyElementsOf(handles(file));
        assertThat(moved.chunks().get(0).replicas()).hasSize(3);
        assertKind(() -> namespace.getFile("in/report.pdf"), ErrorKind.NOT_FOUND);
        assertThat(handles(namespace.getFile("archive/2024/report.pdf"))).containsExactlyElementsOf(handles(file));
        assertThat(directories.list("in", "", 10).entries()).isEmpty();
    }

    @Test
    void renamingADirectoryCostsTheSameWhateverItHolds() {
        for (int i = 0; i < 5; i++) {
            put("small/f" + i, 1);
        }
        for (int i = 0; i < 300; i++) {
            put("large/f" + i, 1);
        }
        directories.makeDirectory("moved");
        long smallCost = redisCommands(() -> directories.rename("small", "moved/small", false));
        long largeCost = redisCommands(() -> directories.rename("large", "moved/large", false));

        assertThat(largeCost).as("Redis commands to rename 300 files vs 5").isEqualTo(smallCost);
        assertThat(directories.list("moved/large", "", 1000).entries()).hasSize(300);
        assertThat(namespace.getFile("moved/large/f299").size()).isEqualTo(1);
        assertKind(() -> namespace.getFile("large/f0"), ErrorKind.NOT_FOUND);
    }

    @Test
    void renameRefusesConflictsAndChangesNothing() {
        put("a/x", 10);
        put("a/y", 20);
        directories.makeDirectory("a/sub/deeper");
        put("full/f", 1);

        assertThatThrownBy(() -> directories.rename("a/x", "a/y", false))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS))
                .hasMessage("'a/y' already exists: ask for overwrite to replace it");
        assertThatThrownBy(() -> directories.rename("a", "a/sub/deeper/a", false))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessage("cannot move directory 'a' into its own subtree 'a/sub/deeper/a'");
        assertKind(() -> directories.rename("a", "a/new", false), ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> directories.rename("missing", "b", false), ErrorKind.NOT_FOUND);
        assertKind(() -> directories.rename("a", "full", true), ErrorKind.FAILED_PRECONDITION);
        assertKind(() -> directories.rename("a/x", "a/sub", true), ErrorKind.FAILED_PRECONDITION);
        assertKind(() -> directories.rename("a/x", "a/y/z", false), ErrorKind.FAILED_PRECONDITION);
        assertKind(() -> directories.rename("", "b", false), ErrorKind.INVALID_ARGUMENT);

        assertThat(namespace.getFile("a/x").size()).isEqualTo(10);
        assertThat(namespace.getFile("a/y").size()).isEqualTo(20);
        assertThat(namespace.getFile("a").files()).isEqualTo(2);
        assertThat(directories.rename("a/x", "a/x", false).size()).isEqualTo(10);
    }

    @Test
    void renameWithOverwriteReplacesAFileAndTrashesItsChunks() {
        FileMeta kept = put("new", CHUNK + 1);
        FileMeta replaced = put("old", 2 * CHUNK);
        assertThat(cluster.status().underReplicated()).isZero();

        directories.rename("new", "old", true);

        assertThat(namespace.getFile("old").inode()).isEqualTo(kept.inode());
        assertKind(() -> namespace.getFile("new"), ErrorKind.NOT_FOUND);
        long t = System.currentTimeMillis();
        assertThat(store.findOrphans(handles(replaced), t, GRACE_MS)).as("readable during the grace period").isEmpty();
        assertThat(store.findOrphans(handles(replaced), t + GRACE_MS + 1, GRACE_MS))
                .containsExactlyInAnyOrderElementsOf(handles(replaced));
        assertThat(namespace.getFile("").size()).isEqualTo(CHUNK + 1);
        assertThat(namespace.getFile("").files()).isEqualTo(1);

        directories.makeDirectory("empty");
        directories.makeDirectory("d/inner");
        assertThat(directories.rename("d", "empty", true).type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(namespace.getFile("empty/inner").type()).isEqualTo(EntryType.DIRECTORY);
    }

    @Test
    void deletingADirectoryRefusesWhenNotEmptyAndRecursiveTrashesEverythingBelow() {
        directories.makeDirectory("empty");
        directories.deleteDirectory("empty", false);
        assertKind(() -> namespace.getFile("empty"), ErrorKind.NOT_FOUND);

        List<ChunkHandle> chunks = new ArrayList<>();
        chunks.addAll(handles(put("tree/a", 2 * CHUNK)));
        chunks.addAll(handles(put("tree/x/b", CHUNK)));
        chunks.addAll(handles(put("tree/x/y/c", 10)));
        put("other", 5);

        assertThatThrownBy(() -> directories.deleteDirectory("tree", false))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
                .hasMessageContaining("'tree' is not empty");
        assertKind(() -> directories.deleteDirectory("other", true), ErrorKind.FAILED_PRECONDITION);
        assertKind(() -> directories.deleteDirectory("", true), ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> directories.deleteDirectory("nope", true), ErrorKind.NOT_FOUND);

        assertThat(directories.deleteDirectory("tree", true)).isEqualTo(3);

        assertKind(() -> namespace.getFile("tree"), ErrorKind.NOT_FOUND);
        assertKind(() -> namespace.getFile("tree/x/y/c"), ErrorKind.NOT_FOUND);
        assertThat(namespace.getFile("").files()).isEqualTo(1);
        assertThat(namespace.getFile("").size()).isEqualTo(5);
        long t = System.currentTimeMillis();
        assertThat(store.findOrphans(chunks, t, GRACE_MS)).as("in the trash, readable for the grace period").isEmpty();
        assertThat(store.findOrphans(chunks, t + GRACE_MS + 1, GRACE_MS)).containsExactlyInAnyOrderElementsOf(chunks);
        assertThat(rawConnection.sync().keys(prefix + ":*")).as("no key of the deleted tree is left")
                .noneMatch(k -> k.contains(":dir:") && !k.endsWith(":dir:1"));
    }

    @Test
    void aRecursiveDeleteUnlinksAtOnceThenReclaimsInBoundedSteps() {
        List<ChunkHandle> handles = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            handles.addAll(handles(put("big/d" + (i % 3) + "/f" + i, 1)));
        }
        store.deleteDirectory(io.granary.common.GranaryPath.of("big"), true, io.granary.common.Actor.SYSTEM, System.currentTimeMillis());
        assertKind(() -> namespace.getFile("big"), ErrorKind.NOT_FOUND);
        assertThat(cluster.status().underReplicated() + cluster.cluster.status().missing()).isZero();

        List<ChunkHandle> trashed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MetadataStore.Reclaimed step = store.reclaim(System.currentTimeMillis(), 4);
            assertThat(step.trashed().size()).as("a step stays within its budget").isLessThanOrEqualTo(4);
            assertThat(step.directoriesQueued()).isPositive();
            trashed.addAll(step.trashed());
        }
        assertThat(trashed).hasSizeLessThan(12);

        // what a stopped master left is finished by the reclaim task
        new ReclaimTask("test", directories).run();

        assertThat(store.reclaim(System.currentTimeMillis(), 4).directoriesQueued()).isZero();
        assertThat(store.findOrphans(handles, System.currentTimeMillis() + GRACE_MS + 1, GRACE_MS))
                .containsExactlyInAnyOrderElementsOf(handles);
        assertThat(rawConnection.sync().keys(prefix + ":inode:*")).hasSize(1);
    }

    @Test
    void aDirectoryStatGivesItsRecursiveSizeAndFileCount() {
        put("du/a", 100);
        put("du/x/b", CHUNK + 1);
        put("du/x/y/c", 7);
        directories.makeDirectory("du/empty");

        assertUsage("du", 100 + CHUNK + 1 + 7, 3);
        assertUsage("du/x", CHUNK + 1 + 7, 2);
        assertUsage("du/empty", 0, 0);

        put("du/x/b", 1);
        assertUsage("du", 100 + 1 + 7, 3);
        namespace.deleteFile("du/a");
        assertUsage("du", 1 + 7, 2);
        directories.rename("du/x/y", "elsewhere/y", false);
        assertUsage("du", 1, 1);
        assertUsage("elsewhere", 7, 1);
        assertUsage("", 8, 2);
        directories.deleteDirectory("du", true);
        assertUsage("", 7, 1);
    }

    @Test
    void aNamespaceWrittenBeforeUsageCountersGetsThemAtStart() {
        put("old/a", 10);
        put("old/b/c", 20);
        var redisSync = rawConnection.sync();
        for (String key : redisSync.keys(prefix + ":names:*")) {
            redisSync.del(key);
        }
        for (String key : redisSync.keys(prefix + ":inode:*")) {
            if ("d".equals(redisSync.hget(key, "type"))) {
                redisSync.hdel(key, "size", "files");
            }
        }

        store.initialize(System.currentTimeMillis());

        assertUsage("", 30, 2);
        assertUsage("old/b", 20, 1);
        assertThat(directories.list("old", "", 10).entries()).extracting(DirectoryEntry::name).containsExactly("a", "b");
    }

    @Test
    void replicationChangeIsStoredAndMakesChunksUnderReplicated() {
        FileMeta file = put("important", 2 * CHUNK);
        assertThat(cluster.status().underReplicated()).isZero();

        FileMeta changed = namespace.setReplication("important", 5);

        assertThat(changed.replication()).isEqualTo(5);
        assertThat(namespace.getFile("important").replication()).isEqualTo(5);
        assertThat(cluster.status().underReplicated()).isEqualTo(2);
        Map<ChunkHandle, Integer> stored = new HashMap<>();
        store.forEachCommittedChunk(stored::put);
        assertThat(stored).containsOnlyKeys(handles(file)).containsValues(5);

        namespace.setReplication("important", 2);
        assertThat(cluster.status().underReplicated()).isZero();
        assertKind(() -> namespace.setReplication("important", 0), ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> namespace.setReplication("missing", 2), ErrorKind.NOT_FOUND);
        directories.makeDirectory("dir");
        assertKind(() -> namespace.setReplication("dir", 2), ErrorKind.FAILED_PRECONDITION);
    }

    @Test
    void conditionalWritesFailFastAtStartAndAtomicallyAtCommit() {
        put("doc", 10, SHA_A);

        assertKind(() -> namespace.startUpload("doc", 0, 0, "", new WritePrecondition("", true)),
                ErrorKind.PRECONDITION_FAILED);
        assertKind(() -> namespace.startUpload("doc", 0, 0, "", new WritePrecondition(SHA_B, false)),
                ErrorKind.PRECONDITION_FAILED);
        assertKind(() -> namespace.startUpload("absent", 0, 0, "", new WritePrecondition("*", false)),
                ErrorKind.PRECONDITION_FAILED);
        assertKind(() -> namespace.startUpload("doc", 0, 0, "", new WritePrecondition("nope", false)),
                ErrorKind.INVALID_ARGUMENT);

        // the file changes between start and commit: the commit is refused and nothing changes
        UploadSession stale = namespace.startUpload("doc", 0, 0, "", new WritePrecondition(SHA_A.toUpperCase(), false));
        List<CommittedChunk> staleChunks = writeChunks(namespace, stale, 20);
        FileMeta intervening = put("doc", 30, SHA_B);
        assertThatThrownBy(() -> namespace.commitUpload(stale.id(), staleChunks, 20, SHA_A))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED))
                .hasMessageContaining("(If-Match): it changed");
        assertThat(namespace.getFile("doc").inode()).isEqualTo(intervening.inode());

        UploadSession create = namespace.startUpload("fresh", 0, 0, "", new WritePrecondition("", true));
        List<CommittedChunk> createChunks = writeChunks(namespace, create, 5);
        put("fresh", 6, SHA_A);
        assertKind(() -> namespace.commitUpload(create.id(), createChunks, 5, SHA_B), ErrorKind.PRECONDITION_FAILED);
        assertThat(namespace.getFile("fresh").size()).isEqualTo(6);

        UploadSession matching = namespace.startUpload("doc", 0, 0, "", new WritePrecondition(SHA_B, false));
        FileMeta replaced = namespace.commitUpload(matching.id(), writeChunks(namespace, matching, 40), 40, SHA_A);
        assertThat(namespace.getFile("doc").inode()).isEqualTo(replaced.inode());
        assertThat(namespace.getFile("doc").size()).isEqualTo(40);
    }

    private void assertUsage(String path, long bytes, long files) {
        FileMeta meta = namespace.getFile(path);
        assertThat(meta.size()).as("bytes below '%s'", path).isEqualTo(bytes);
        assertThat(meta.files()).as("files below '%s'", path).isEqualTo(files);
    }

    /** Redis commands run (scripts' inner commands included) while {@code action} runs. */
    private static long redisCommands(Runnable action) {
        long before = commandCount();
        action.run();
        return commandCount() - before;
    }

    private static long commandCount() {
        long total = 0;
        for (String line : rawConnection.sync().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info")) {
                String calls = line.substring(line.indexOf("calls=") + 6);
                total += Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return total;
    }

    private FileMeta put(String path, long size) {
        return put(path, size, SHA_A);
    }

    private FileMeta put(String path, long size, String sha) {
        return Uploads.put(namespace, path, size, sha);
    }
}
