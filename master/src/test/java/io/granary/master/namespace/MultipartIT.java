package io.granary.master.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.Actor;
import io.granary.common.ByteSize;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.Multipart;
import io.granary.common.Visibility;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.MultipartUpload;
import io.granary.common.meta.PartListing;
import io.granary.common.meta.PartMeta;
import io.granary.common.meta.PartRef;
import io.granary.common.meta.UploadListing;
import io.granary.master.model.ChunkAllocation;
import io.granary.master.model.CommittedChunk;
import io.granary.master.model.WritePrecondition;
import io.granary.master.store.RedisMetadataStore;
import io.granary.master.testing.SharedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Multipart uploads on a real Redis: parts recorded (and replaced), listed, completed into a file of
 * irregular chunks in one step, refused without a trace, aborted, expired, and kept to their owner.
 */
class MultipartIT {
    static final long CHUNK = 64 * ByteSize.KIB;
    static final long GRACE_MS = Duration.ofSeconds(60).toMillis();
    static final String ETAG = "0123456789abcdef".repeat(2) + "-2";
    static final String SHA = "cd".repeat(32);
    static final Actor ALICE = new Actor("tok_alice", false);
    static final Actor BOB = new Actor("tok_bob", false);
    static final Actor ADMIN = new Actor("tok_admin", true);

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("multi");
    static RedisClient raw;
    static StatefulRedisConnection<String, String> rawConnection;

    RedisMetadataStore store;
    String prefix;
    Namespace namespace;
    MultipartUploads multipart;
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
        NamespaceHarness harness = new NamespaceHarness(store, Duration.ofMillis(GRACE_MS), "cs-1", "cs-2", "cs-3");
        namespace = harness.namespace(CHUNK);
        multipart = new MultipartUploads("test", store, harness.cluster, harness.gc, namespace, Clock.systemUTC());
        directories = new Directories("test", store, harness.cluster, Clock.systemUTC());
    }

    private MultipartUpload start(String path, Actor actor) {
        return multipart.start(path, 0, 0, "video/mp4", WritePrecondition.NONE, actor, null,
                Map.of("color", "blue"));
    }

    /** Allocates and "writes" chunks of these sizes for part {@code number}, as a writer would. */
    private List<CommittedChunk> write(String uploadId, int number, Actor actor, long... sizes) {
        List<CommittedChunk> chunks = new ArrayList<>();
        for (long size : sizes) {
            ChunkAllocation allocation = namespace.allocateChunk(uploadId, Multipart.chunkIndex(number, chunks.size()),
                    Set.of(), actor);
            chunks.add(new CommittedChunk(chunks.size(), allocation.handle(), size,
                    List.of(allocation.chain().get(0).chunkserverId())));
        }
        return chunks;
    }

    private PartMeta record(String uploadId, int number, String md5, Actor actor, List<CommittedChunk> chunks) {
        long size = chunks.stream().mapToLong(CommittedChunk::sizeBytes).sum();
        return multipart.recordPart(uploadId, number, chunks, size, md5, SHA, actor);
    }

    private static String md5(int n) {
        return String.format("%032x", n);
    }

    private FileMeta complete(String uploadId, Actor actor, PartRef... parts) {
        return multipart.complete(uploadId, List.of(parts), ETAG, SHA, 0, actor, Namespace.NO_CALLER_DEADLINE);
    }

    private List<ChunkHandle> orphans(List<CommittedChunk> chunks) {
        return store.findOrphans(chunks.stream().map(CommittedChunk::handle).toList(), System.currentTimeMillis(),
                GRACE_MS);
    }

    private static List<ChunkHandle> handles(List<CommittedChunk> chunks) {
        return chunks.stream().map(CommittedChunk::handle).toList();
    }

    @Test
    void partsRecordedOutOfOrderAndOnePartTwiceCompleteToTheChosenChunksInPartOrder() {
        MultipartUpload upload = start("videos/cat.mp4", ALICE);
        List<CommittedChunk> two = write(upload.uploadId(), 2, ALICE, CHUNK, 100);
        record(upload.uploadId(), 2, md5(2), ALICE, two);
        List<CommittedChunk> firstOne = write(upload.uploadId(), 1, ALICE, 500);
        record(upload.uploadId(), 1, md5(10), ALICE, firstOne);
        List<CommittedChunk> one = write(upload.uploadId(), 1, ALICE, CHUNK, 7);
        record(upload.uploadId(), 1, md5(1), ALICE, one);
        List<CommittedChunk> three = write(upload.uploadId(), 3, ALICE, 300);
        record(upload.uploadId(), 3, md5(3), ALICE, three);

        FileMeta completed = complete(upload.uploadId(), ALICE, new PartRef(1, md5(1)), new PartRef(2, md5(2)));
        FileMeta file = namespace.getFile("videos/cat.mp4");

        List<ChunkHandle> expected = new ArrayList<>(handles(one));
        expected.addAll(handles(two));
        assertThat(file.chunks()).extracting(ChunkMeta::handle).containsExactlyElementsOf(expected);
        assertThat(file.chunks()).extracting(ChunkMeta::size).containsExactly(CHUNK, 7L, CHUNK, 100L);
        assertThat(file.chunks()).extracting(ChunkMeta::index).containsExactly(0, 1, 2, 3);
        assertThat(file.size()).isEqualTo(2 * CHUNK + 107);
        assertThat(file.etag()).isEqualTo(ETAG);
        assertThat(file.sha256()).isEqualTo(SHA);
        assertThat(file.contentType()).isEqualTo("video/mp4");
        assertThat(file.metadata()).containsExactly(Map.entry("color", "blue"));
        assertThat(file.owner()).isEqualTo("tok_alice");
        assertThat(completed.chunks()).extracting(ChunkMeta::size).containsExactly(CHUNK, 7L, CHUNK, 100L);
        assertThat(completed.inode()).isEqualTo(file.inode());
        assertThat(namespace.getFile("videos").size()).as("the directory's usage").isEqualTo(file.size());
        assertThat(orphans(firstOne)).as("the replaced part's chunks").containsExactlyElementsOf(handles(firstOne));
        assertThat(orphans(three)).as("the unlisted part's chunks").containsExactlyElementsOf(handles(three));
        assertThat(orphans(one)).isEmpty();
        assertThat(orphans(two)).isEmpty();
        assertThat(store.listMultipartUploads("/", "", "", 10).uploads()).isEmpty();
    }

    @Test
    void aFileOfIrregularChunksKeepsItsSizesThroughARenameAndDropsThemWithItsInode() {
        MultipartUpload upload = start("a.bin", ALICE);
        record(upload.uploadId(), 1, md5(1), ALICE, write(upload.uploadId(), 1, ALICE, 10));
        record(upload.uploadId(), 2, md5(2), ALICE, write(upload.uploadId(), 2, ALICE, 20));
        long inode = complete(upload.uploadId(), ALICE, new PartRef(1, md5(1)), new PartRef(2, md5(2))).inode();
        assertThat(exists("sizes:" + inode)).isTrue();

        FileMeta moved = directories.rename("a.bin", "b/a.bin", false);
        assertThat(moved.chunks()).extracting(ChunkMeta::size).containsExactly(10L, 20L);
        assertThat(namespace.setVisibility("b/a.bin", Visibility.PUBLIC, ALICE).chunks())
                .extracting(ChunkMeta::size).containsExactly(10L, 20L);

        namespace.deleteFile("b/a.bin");
        assertThat(exists("sizes:" + inode)).isFalse();
        assertThat(exists("chunks:" + inode)).isFalse();
    }

    @Test
    void aFileWhosePartsFillWholeChunksStoresNoSizes() {
        MultipartUpload upload = start("whole.bin", ALICE);
        record(upload.uploadId(), 1, md5(1), ALICE, write(upload.uploadId(), 1, ALICE, CHUNK, CHUNK));
        record(upload.uploadId(), 2, md5(2), ALICE, write(upload.uploadId(), 2, ALICE, 5));
        record(upload.uploadId(), 3, md5(3), ALICE, List.of());

        FileMeta file = complete(upload.uploadId(), ALICE, new PartRef(1, md5(1)), new PartRef(2, md5(2)),
                new PartRef(3, md5(3)));

        assertThat(exists("sizes:" + file.inode())).isFalse();
        assertThat(namespace.getFile("whole.bin").chunks()).extracting(ChunkMeta::size).containsExactly(CHUNK, CHUNK, 5L);
    }

    @Test
    void aCompletionWithAWrongMd5AWrongOrderOrATooSmallPartChangesNothingAndLeavesTheUploadOpen() {
        MultipartUpload upload = start("refused.bin", ALICE);
        record(upload.uploadId(), 1, md5(1), ALICE, write(upload.uploadId(), 1, ALICE, 100));
        record(upload.uploadId(), 2, md5(2), ALICE, write(upload.uploadId(), 2, ALICE, 50));
        String id = upload.uploadId();

        assertRefused(() -> complete(id, ALICE, new PartRef(1, md5(9)), new PartRef(2, md5(2))),
                Multipart.INVALID_PART);
        assertRefused(() -> complete(id, ALICE, new PartRef(1, md5(1)), new PartRef(4, md5(4))),
                Multipart.INVALID_PART);
        assertRefused(() -> complete(id, ALICE, new PartRef(2, md5(2)), new PartRef(1, md5(1))),
                Multipart.INVALID_PART_ORDER);
        assertRefused(() -> complete(id, ALICE, new PartRef(1, md5(1)), new PartRef(1, md5(1))),
                Multipart.INVALID_PART_ORDER);
        assertRefused(() -> multipart.complete(id, List.of(new PartRef(1, md5(1)), new PartRef(2, md5(2))), ETAG, SHA,
                101, ALICE, Namespace.NO_CALLER_DEADLINE), Multipart.ENTITY_TOO_SMALL);

        assertThat(store.lookup(GranaryPath.of("refused.bin"))).isEmpty();
        assertThat(multipart.listParts(id, 0, 0).parts()).hasSize(2);
        assertThat(multipart.complete(id, List.of(new PartRef(1, md5(1)), new PartRef(2, md5(2))), ETAG, SHA, 100,
                ALICE, Namespace.NO_CALLER_DEADLINE).size()).as("the last part may be smaller").isEqualTo(150);
    }

    @Test
    void aRepeatedCompletionAnswersTheSameFileAndOneWithAnotherEtagIsRefused() {
        MultipartUpload upload = start("twice.bin", ALICE);
        record(upload.uploadId(), 1, md5(1), ALICE, write(upload.uploadId(), 1, ALICE, 100));
        FileMeta first = complete(upload.uploadId(), ALICE, new PartRef(1, md5(1)));

        FileMeta again = complete(upload.uploadId(), ALICE, new PartRef(1, md5(1)));

        assertThat(again.inode()).isEqualTo(first.inode());
        assertThat(again.chunks()).extracting(ChunkMeta::handle)
                .containsExactlyElementsOf(first.chunks().stream().map(ChunkMeta::handle).toList());
        assertThat(again.size()).isEqualTo(100);
        assertThatThrownBy(() -> multipart.complete(upload.uploadId(), List.of(new PartRef(1, md5(1))),
                "ab".repeat(16), SHA, 0, ALICE, Namespace.NO_CALLER_DEADLINE))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
                .hasMessageContaining("completed with another content");
    }

    @Test
    void anAbortMakesEveryPartGarbageAndForgetsTheUpload() {
        MultipartUpload upload = start("aborted.bin", ALICE);
        List<CommittedChunk> one = write(upload.uploadId(), 1, ALICE, CHUNK, 3);
        record(upload.uploadId(), 1, md5(1), ALICE, one);
        List<CommittedChunk> unrecorded = write(upload.uploadId(), 2, ALICE, 9);

        namespace.abandonUpload(upload.uploadId(), ALICE);

        assertThat(orphans(one)).containsExactlyElementsOf(handles(one));
        assertThat(orphans(unrecorded)).containsExactlyElementsOf(handles(unrecorded));
        assertKind(() -> multipart.listParts(upload.uploadId(), 0, 0), ErrorKind.NOT_FOUND);
        assertKind(() -> complete(upload.uploadId(), ALICE, new PartRef(1, md5(1))), ErrorKind.FAILED_PRECONDITION);
        assertThat(multipart.listUploads("/", "", "", 0).uploads()).isEmpty();
        assertThat(exists("upload:" + upload.uploadId() + ":parts")).isFalse();
    }

    @Test
    void anIdleMultipartUploadOutlivesTheUploadTimeoutAndExpiresAfterItsOwn() {
        MultipartUpload upload = start("slow.bin", ALICE);
        List<CommittedChunk> one = write(upload.uploadId(), 1, ALICE, 10);
        record(upload.uploadId(), 1, md5(1), ALICE, one);
        long later = System.currentTimeMillis() + 1;

        assertThat(namespace.expireUploads(later, upload.initiated().toEpochMilli() - 1)).isZero();
        assertThat(multipart.listParts(upload.uploadId(), 0, 0).parts()).hasSize(1);

        assertThat(namespace.expireUploads(later, later)).isEqualTo(1);
        assertThat(orphans(one)).containsExactlyElementsOf(handles(one));
        assertKind(() -> multipart.listParts(upload.uploadId(), 0, 0), ErrorKind.NOT_FOUND);
    }

    @Test
    void partsAreListedInNumberOrderPageByPage() {
        MultipartUpload upload = start("paged.bin", ALICE);
        for (int n : new int[] {5, 1, 3, 2, 4}) {
            record(upload.uploadId(), n, md5(n), ALICE, write(upload.uploadId(), n, ALICE, n));
        }

        PartListing first = multipart.listParts(upload.uploadId(), 0, 2);
        PartListing second = multipart.listParts(upload.uploadId(), first.nextPartNumber(), 2);
        PartListing last = multipart.listParts(upload.uploadId(), second.nextPartNumber(), 2);

        assertThat(first.parts()).extracting(PartMeta::partNumber).containsExactly(1, 2);
        assertThat(first.truncated()).isTrue();
        assertThat(second.parts()).extracting(PartMeta::partNumber).containsExactly(3, 4);
        assertThat(last.parts()).extracting(PartMeta::partNumber).containsExactly(5);
        assertThat(last.truncated()).isFalse();
        assertThat(last.nextPartNumber()).isZero();
        assertThat(last.parts().get(0)).satisfies(p -> {
            assertThat(p.size()).isEqualTo(5);
            assertThat(p.md5Hex()).isEqualTo(md5(5));
            assertThat(p.sha256()).isEqualTo(SHA);
            assertThat(p.lastModified()).isAfterOrEqualTo(upload.initiated());
        });
        assertThat(first.upload()).satisfies(u -> {
            assertThat(u.uploadId()).isEqualTo(upload.uploadId());
            assertThat(u.path()).isEqualTo("/paged.bin");
            assertThat(u.owner()).isEqualTo("tok_alice");
            assertThat(u.contentType()).isEqualTo("video/mp4");
            assertThat(u.metadata()).containsExactly(Map.entry("color", "blue"));
            assertThat(u.initiated()).isEqualTo(upload.initiated());
            assertThat(u.chunkSizeBytes()).isEqualTo(CHUNK);
        });
    }

    @Test
    void uploadsAreListedByPathThenIdBelowAPrefixPageByPage() {
        List<String> twice = new ArrayList<>(List.of(start("b/photos/x", ALICE).uploadId(),
                start("b/photos/x", ALICE).uploadId()));
        twice.sort(null);
        start("b/photos/a", ALICE);
        start("b/photosynthesis", ALICE);
        start("b/other/y", ALICE);
        start("c/photos/z", ALICE);

        UploadListing first = multipart.listUploads("/b/photos/", "", "", 2);
        UploadListing rest = multipart.listUploads("/b/photos/", first.nextPath(), first.nextUploadId(), 2);

        assertThat(first.uploads()).extracting(MultipartUpload::path).containsExactly("/b/photos/a", "/b/photos/x");
        assertThat(first.uploads().get(1).uploadId()).isEqualTo(twice.get(0));
        assertThat(first.truncated()).isTrue();
        assertThat(first.nextPath()).isEqualTo("/b/photos/x");
        assertThat(rest.uploads()).extracting(MultipartUpload::uploadId).containsExactly(twice.get(1));
        assertThat(rest.truncated()).isFalse();
        assertThat(rest.nextPath()).isEmpty();
        assertThat(multipart.listUploads("/b/photos/", "/b/photos/x", "", 10).uploads()).isEmpty();
        assertThat(multipart.listUploads("/b/photos", "/b/photos/x", "", 10).uploads())
                .extracting(MultipartUpload::path).containsExactly("/b/photosynthesis");
        assertThat(multipart.listUploads("b/", "/a", "", 10).uploads()).hasSize(5);
        assertThat(multipart.listUploads("/", "", "", 0).uploads()).extracting(MultipartUpload::path)
                .containsExactly("/b/other/y", "/b/photos/a", "/b/photos/x", "/b/photos/x", "/b/photosynthesis",
                        "/c/photos/z");
    }

    @Test
    void onlyTheStarterOrAnAdminMayAddToCompleteOrAbortAnUpload() {
        MultipartUpload upload = start("alice.bin", ALICE);
        String id = upload.uploadId();
        List<CommittedChunk> one = write(id, 1, ALICE, 10);

        assertKind(() -> write(id, 2, BOB, 10), ErrorKind.PERMISSION_DENIED);
        assertKind(() -> record(id, 1, md5(1), BOB, one), ErrorKind.PERMISSION_DENIED);
        record(id, 1, md5(1), ALICE, one);
        assertKind(() -> complete(id, BOB, new PartRef(1, md5(1))), ErrorKind.PERMISSION_DENIED);
        assertKind(() -> namespace.abandonUpload(id, BOB), ErrorKind.PERMISSION_DENIED);
        assertThat(store.lookup(GranaryPath.of("alice.bin"))).isEmpty();
        assertThat(multipart.listParts(id, 0, 0).parts()).hasSize(1);

        record(id, 2, md5(2), ADMIN, write(id, 2, ADMIN, 5));
        assertThat(complete(id, ADMIN, new PartRef(1, md5(1)), new PartRef(2, md5(2))).owner()).isEqualTo("tok_alice");
    }

    @Test
    void partsAndCommitsDoNotMix() {
        MultipartUpload upload = start("mixed.bin", ALICE);
        String ordinary = namespace.startUpload("plain.bin", 0, 0, "").id();
        List<CommittedChunk> chunks = write(ordinary, 1, Actor.SYSTEM, 10);

        assertKind(() -> multipart.recordPart(ordinary, 1, chunks, 10, md5(1), SHA, Actor.SYSTEM),
                ErrorKind.FAILED_PRECONDITION);
        assertKind(() -> namespace.commitUpload(upload.uploadId(), List.of(), 0, ""), ErrorKind.FAILED_PRECONDITION);
        assertKind(() -> complete(ordinary, Actor.SYSTEM, new PartRef(1, md5(1))), ErrorKind.FAILED_PRECONDITION);
        assertKind(() -> multipart.listParts(ordinary, 0, 0), ErrorKind.NOT_FOUND);
        assertKind(() -> record(upload.uploadId(), 1, md5(1), ALICE, chunks), ErrorKind.FAILED_PRECONDITION);
    }

    @Test
    void aMalformedPartIsRefusedAndNothingIsRecorded() {
        MultipartUpload upload = start("bad.bin", ALICE);
        String id = upload.uploadId();
        List<CommittedChunk> shortFirst = write(id, 1, ALICE, 10, 10);
        List<CommittedChunk> one = write(id, 2, ALICE, 10);

        assertKind(() -> record(id, 1, md5(1), ALICE, shortFirst), ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> record(id, 0, md5(1), ALICE, one), ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> record(id, 10_001, md5(1), ALICE, one), ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> record(id, 1, "not-an-md5", ALICE, one), ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> multipart.recordPart(id, 1, one, 11, md5(1), SHA, ALICE), ErrorKind.INVALID_ARGUMENT);
        record(id, 2, md5(2), ALICE, one);
        assertKind(() -> record(id, 3, md5(3), ALICE, one), ErrorKind.FAILED_PRECONDITION);

        assertThat(multipart.listParts(id, 0, 0).parts()).extracting(PartMeta::partNumber).containsExactly(2);
    }

    private boolean exists(String name) {
        return rawConnection.sync().exists(prefix + ":" + name) == 1;
    }

    private static void assertRefused(ThrowingCallable call, String prefix) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GranaryException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
            assertThat(e.getMessage()).startsWith(prefix);
        });
    }

    private static void assertKind(ThrowingCallable call, ErrorKind kind) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(kind));
    }
}
