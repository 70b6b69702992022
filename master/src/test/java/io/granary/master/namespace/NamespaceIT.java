package io.granary.master.namespace;

import static io.granary.master.namespace.Uploads.handles;
import static io.granary.master.namespace.Uploads.writeChunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.Actor;
import io.granary.common.ByteSize;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.EntryType;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.Replica;
import io.granary.master.model.ChunkAllocation;
import io.granary.master.model.CommittedChunk;
import io.granary.master.model.StartedUpload;
import io.granary.master.model.UploadSession;
import io.granary.master.model.WritePrecondition;
import io.granary.master.store.RedisMetadataStore;
import io.granary.master.testing.SharedRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The namespace on a real Redis: commits, overwrites, conflicts, deletes, garbage. */
class NamespaceIT {
    static final long CHUNK = 64 * ByteSize.KIB;
    static final String SHA = "ab".repeat(32);
    static final long GRACE_MS = Duration.ofSeconds(60).toMillis();

    /** A fresh key prefix per test keeps tests apart on the shared Redis. */
    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("ns");

    RedisMetadataStore store;
    NamespaceHarness cluster;
    Namespace namespace;

    @BeforeEach
    void setUp() {
        store = redis.store();
        cluster = new NamespaceHarness(store, Duration.ofMillis(GRACE_MS), "cs-1", "cs-2", "cs-3");
        namespace = cluster.namespace(CHUNK);
    }

    @Test
    void commitMakesTheFileVisibleAtOnceWithItsParentDirectories() {
        UploadSession upload = namespace.startUpload("/photos/2024/cat.jpg", 0, 0, "image/jpeg");
        List<CommittedChunk> chunks = writeChunks(namespace, upload, CHUNK + 10);

        assertKind(() -> namespace.getFile("photos/2024/cat.jpg"), ErrorKind.NOT_FOUND);
        assertKind(() -> namespace.getFile("photos"), ErrorKind.NOT_FOUND);

        FileMeta committed = namespace.commitUpload(upload.id(), chunks, CHUNK + 10, SHA.toUpperCase());
        FileMeta file = namespace.getFile("photos/2024/cat.jpg");

        assertThat(file).usingRecursiveComparison()
                .ignoringCollectionOrderInFieldsMatchingRegexes(".*replicas").isEqualTo(committed);
        assertThat(file.type()).isEqualTo(EntryType.FILE);
        assertThat(file.size()).isEqualTo(CHUNK + 10);
        assertThat(file.replication()).isEqualTo(3);
        assertThat(file.chunkSize()).isEqualTo(CHUNK);
        assertThat(file.sha256()).isEqualTo(SHA);
        assertThat(file.contentType()).isEqualTo("image/jpeg");
        assertThat(file.chunks()).extracting(ChunkMeta::size).containsExactly(CHUNK, 10L);
        assertThat(file.chunks().get(0).replicas()).extracting(Replica::chunkserverId)
                .containsExactlyInAnyOrder("cs-1", "cs-2", "cs-3");
        assertThat(namespace.getFile("photos").type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(namespace.getFile("/photos/2024/").type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(namespace.getFile("").type()).isEqualTo(EntryType.DIRECTORY);
        assertKind(() -> namespace.allocateChunk(upload.id(), 2), ErrorKind.NOT_FOUND);
    }

    @Test
    void keepsTheChunkOrderOfALongFile() {
        UploadSession upload = namespace.startUpload("big.bin", 1, 0, "");
        List<CommittedChunk> chunks = writeChunks(namespace, upload, 50 * CHUNK);

        namespace.commitUpload(upload.id(), chunks, 50 * CHUNK, SHA);

        assertThat(namespace.getFile("big.bin").chunks()).extracting(ChunkMeta::handle)
                .containsExactlyElementsOf(chunks.stream().map(CommittedChunk::handle).toList());
        assertThat(namespace.getFile("big.bin").chunks()).extracting(ChunkMeta::index)
                .containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
    }

    @Test
    void overwriteReplacesTheFileAndTrashesTheOldChunksForTheGracePeriod() {
        FileMeta first = put("report.txt", 2 * CHUNK);
        FileMeta second = put("report.txt", 10);

        FileMeta now = namespace.getFile("report.txt");
        assertThat(now.inode()).isEqualTo(second.inode()).isNotEqualTo(first.inode());
        assertThat(now.size()).isEqualTo(10);
        List<ChunkHandle> old = handles(first);
        long t = System.currentTimeMillis();
        assertThat(store.findOrphans(old, t, GRACE_MS)).as("readable during the grace period").isEmpty();
        assertThat(store.findOrphans(old, t + GRACE_MS + 1_000, GRACE_MS)).containsExactlyInAnyOrderElementsOf(old);
        assertThat(store.findOrphans(handles(second), t + GRACE_MS + 1_000, GRACE_MS)).isEmpty();
    }

    @Test
    void abandonedAndExpiredUploadsLeaveOnlyGarbage() {
        UploadSession abandoned = namespace.startUpload("a.txt", 0, 0, "");
        List<ChunkHandle> abandonedChunks = handles(writeChunks(namespace, abandoned, 2 * CHUNK));
        UploadSession idle = namespace.startUpload("b.txt", 0, 0, "");
        List<ChunkHandle> idleChunks = handles(writeChunks(namespace, idle, CHUNK));
        long t = System.currentTimeMillis();
        assertThat(store.findOrphans(idleChunks, t, GRACE_MS)).as("pending chunks are kept").isEmpty();

        namespace.abandonUpload(abandoned.id());
        namespace.abandonUpload(abandoned.id());
        int expired = namespace.expireUploads(System.currentTimeMillis() + 1);

        assertThat(expired).isEqualTo(1);
        assertThat(store.findOrphans(abandonedChunks, t, GRACE_MS)).containsExactlyInAnyOrderElementsOf(abandonedChunks);
        assertThat(store.findOrphans(idleChunks, t, GRACE_MS)).containsExactlyInAnyOrderElementsOf(idleChunks);
        // an expired upload is abandoned: a late commit is refused
        assertKind(() -> namespace.commitUpload(idle.id(), List.of(), 0, SHA), ErrorKind.FAILED_PRECONDITION);
        assertKind(() -> namespace.getFile("a.txt"), ErrorKind.NOT_FOUND);
    }

    @Test
    void aFileAndADirectoryCannotShareAPath() {
        put("docs/readme", 10);

        assertThatThrownBy(() -> namespace.startUpload("docs/readme/part1", 0, 0, ""))
                .hasMessage("'docs/readme' is a file");
        assertThatThrownBy(() -> namespace.startUpload("docs", 0, 0, "")).hasMessage("'docs' is a directory");
        assertKind(() -> namespace.startUpload("/", 0, 0, ""), ErrorKind.INVALID_ARGUMENT);

        // the same conflicts arising between start and commit are caught by the commit
        UploadSession late = namespace.startUpload("notes/today", 0, 0, "");
        put("notes", 5);
        List<CommittedChunk> chunks = writeChunks(namespace, late, 7);
        assertThatThrownBy(() -> namespace.commitUpload(late.id(), chunks, 7, SHA))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
                .hasMessage("'notes' is a file");
        assertThat(namespace.getFile("notes").size()).isEqualTo(5);
    }

    @Test
    void deleteRemovesTheFileAndTrashesItsChunks() {
        FileMeta file = put("tmp/scratch", 3 * CHUNK);

        namespace.deleteFile("tmp/scratch");

        assertKind(() -> namespace.getFile("tmp/scratch"), ErrorKind.NOT_FOUND);
        assertKind(() -> namespace.deleteFile("tmp/scratch"), ErrorKind.NOT_FOUND);
        assertThatThrownBy(() -> namespace.deleteFile("tmp"))
                .hasMessage("'tmp' is a directory: delete directories as directories");
        long t = System.currentTimeMillis();
        assertThat(store.findOrphans(handles(file), t, GRACE_MS)).isEmpty();
        assertThat(store.findOrphans(handles(file), t + GRACE_MS + 1, GRACE_MS)).hasSize(3);
        assertThat(cluster.status().missing()).isZero();
    }

    @Test
    void aCommitThatDoesNotDescribeTheWholeFileIsRefusedAndChangesNothing() {
        UploadSession upload = namespace.startUpload("exact.bin", 0, 0, "");
        List<CommittedChunk> good = writeChunks(namespace, upload, 2 * CHUNK + 1);
        CommittedChunk c0 = good.get(0);
        CommittedChunk c1 = good.get(1);
        CommittedChunk c2 = good.get(2);
        UploadSession other = namespace.startUpload("other.bin", 0, 0, "");
        ChunkAllocation foreign = namespace.allocateChunk(other.id(), 0);

        assertInvalid(upload, List.of(c0, c2, c1), 2 * CHUNK + 1, "chunk at position 1 has index 2");
        assertInvalid(upload, List.of(c0, c1), 2 * CHUNK + 1, "chunk sizes add up to 131072 bytes, not the file size 131073");
        assertInvalid(upload, List.of(c0, new CommittedChunk(1, c1.handle(), 10, c1.replicas()), c2), 2 * CHUNK + 1,
                "chunk 1 has 10 bytes");
        assertInvalid(upload, List.of(c0, c1, new CommittedChunk(2, c2.handle(), CHUNK + 1, c2.replicas())), 3 * CHUNK + 1,
                "last chunk 2 has 65537 bytes");
        assertInvalid(upload, List.of(c0, c1, new CommittedChunk(2, c2.handle(), 1, List.of())), 2 * CHUNK + 1,
                "chunk 2 has no replica");
        assertInvalid(upload, List.of(c0, c1, new CommittedChunk(2, c0.handle(), 1, c2.replicas())), 2 * CHUNK + 1,
                "is listed twice");
        assertInvalid(upload, List.of(c0), 0, "a 0-byte file has no chunks");
        List<CommittedChunk> stolen = List.of(c0, c1,
                new CommittedChunk(2, foreign.handle(), 1, List.of(foreign.chain().get(0).chunkserverId())));
        assertThatThrownBy(() -> namespace.commitUpload(upload.id(), stolen, 2 * CHUNK + 1, SHA))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
                .hasMessageContaining("was not allocated to upload " + upload.id());
        assertKind(() -> namespace.getFile("exact.bin"), ErrorKind.NOT_FOUND);

        assertThat(namespace.commitUpload(upload.id(), good, 2 * CHUNK + 1, SHA).size()).isEqualTo(2 * CHUNK + 1);
    }

    @Test
    void anEmptyFileHasNoChunks() {
        UploadSession upload = namespace.startUpload("empty", 0, 0, "");

        namespace.commitUpload(upload.id(), List.of(), 0, "");

        FileMeta file = namespace.getFile("empty");
        assertThat(file.size()).isZero();
        assertThat(file.chunks()).isEmpty();
    }

    @Test
    void anUploadStartedWithItsFirstChunkCommitsThatChunkAndAnUnusedOneBecomesGarbage() {
        StartedUpload small = namespace.startUploadWithFirstChunk("small.txt", 0, 0, "text/plain",
                WritePrecondition.NONE, Actor.SYSTEM, null, Map.of());
        ChunkAllocation first = small.firstChunk();
        assertThat(first.chain()).hasSize(3);
        namespace.commitUpload(small.session().id(), List.of(new CommittedChunk(0, first.handle(), 4096,
                List.of(first.chain().get(0).chunkserverId()))), 4096, SHA);
        StartedUpload empty = namespace.startUploadWithFirstChunk("empty.txt", 0, 0, "",
                WritePrecondition.NONE, Actor.SYSTEM, null, Map.of());
        long t = System.currentTimeMillis();

        namespace.commitUpload(empty.session().id(), List.of(), 0, "");

        assertThat(handles(namespace.getFile("small.txt"))).containsExactly(first.handle());
        assertThat(namespace.getFile("empty.txt").chunks()).isEmpty();
        List<ChunkHandle> unused = List.of(empty.firstChunk().handle());
        assertThat(store.findOrphans(unused, t, GRACE_MS)).containsExactlyElementsOf(unused);
    }

    @Test
    void aChunkAllocatedAgainAvoidingAFailedChunkServerIsPlacedElsewhereAndTheFirstHandleBecomesGarbage() {
        StartedUpload upload = namespace.startUploadWithFirstChunk("retried.bin", 2, 0, "",
                WritePrecondition.NONE, Actor.SYSTEM, null, Map.of());
        ChunkAllocation failed = upload.firstChunk();
        String failedHead = failed.chain().get(0).chunkserverId();

        ChunkAllocation again = namespace.allocateChunk(upload.session().id(), 0, Set.of(failedHead));
        long t = System.currentTimeMillis();
        namespace.commitUpload(upload.session().id(), List.of(new CommittedChunk(0, again.handle(), 4096,
                again.chain().stream().map(Replica::chunkserverId).toList())), 4096, SHA);

        assertThat(again.handle()).isNotEqualTo(failed.handle());
        assertThat(again.chain()).hasSize(2).extracting(Replica::chunkserverId).doesNotContain(failedHead);
        assertThat(handles(namespace.getFile("retried.bin"))).containsExactly(again.handle());
        assertThat(store.findOrphans(List.of(failed.handle()), t, GRACE_MS)).containsExactly(failed.handle());
    }

    @Test
    void startingWithAFirstChunkFailsAsStartDoesAndLeavesNoUploadOpen() {
        assertKind(() -> namespace.startUploadWithFirstChunk("x", 4, 0, "", WritePrecondition.NONE,
                        Actor.SYSTEM, null, Map.of()),
                ErrorKind.UNAVAILABLE);
        assertThat(namespace.expireUploads(System.currentTimeMillis() + 1)).isZero();
    }

    @Test
    void startFailsBeforeAnyByteWhenTooFewChunkserversAreAliveOrInputIsBad() {
        assertThatThrownBy(() -> namespace.startUpload("x", 4, 0, ""))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessage("replication 4 needs 4 live chunkservers; 3 are alive");
        assertThatThrownBy(() -> namespace.startUpload("x", 0, 1000, "")).hasMessageContaining("too small");
        assertKind(() -> namespace.startUpload("a//b", 0, 0, ""), ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> namespace.getFile("a/../b"), ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> namespace.commitUpload("nope", List.of(), 0, ""), ErrorKind.NOT_FOUND);
    }

    private FileMeta put(String path, long size) {
        return Uploads.put(namespace, path, size, SHA);
    }

    private void assertInvalid(UploadSession upload, List<CommittedChunk> chunks, long size, String message) {
        assertThatThrownBy(() -> namespace.commitUpload(upload.id(), chunks, size, SHA))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }

    static void assertKind(ThrowingCallable call, ErrorKind kind) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }
}
