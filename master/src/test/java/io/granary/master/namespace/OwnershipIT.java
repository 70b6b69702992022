package io.granary.master.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.Actor;
import io.granary.common.ByteSize;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.Visibility;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.Replica;
import io.granary.master.model.ChunkAllocation;
import io.granary.master.model.CommittedChunk;
import io.granary.master.model.UploadSession;
import io.granary.master.model.WritePrecondition;
import io.granary.master.store.RedisMetadataStore;
import io.granary.master.testing.SharedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Owners and visibility, checked by the Lua scripts in the same step as the change (real Redis). */
class OwnershipIT {
    static final long CHUNK = 64 * ByteSize.KIB;
    static final String SHA = "ab".repeat(32);
    static final Actor ALICE = new Actor("tok_alice", false);
    static final Actor BOB = new Actor("tok_bob", false);
    static final Actor ADMIN = new Actor("tok_admin", true);

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("own");

    RedisMetadataStore store;
    Namespace namespace;
    Directories directories;

    @BeforeEach
    void setUp() {
        store = redis.store();
        NamespaceHarness harness = new NamespaceHarness(store, Duration.ofSeconds(60), "cs-1", "cs-2", "cs-3");
        namespace = harness.namespace(CHUNK);
        directories = new Directories("test", store, harness.cluster, java.time.Clock.systemUTC());
    }

    @Test
    void aFileRecordsItsOwnerAndIsPrivateUnlessAskedOtherwise() {
        FileMeta priv = put("a/private.txt", ALICE, null);
        FileMeta pub = put("a/public.txt", ALICE, Visibility.PUBLIC);

        assertThat(priv.owner()).isEqualTo("tok_alice");
        assertThat(namespace.getFile("a/private.txt").visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(pub.visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(namespace.getFile("a/public.txt").visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(namespace.getFile("a").owner()).as("the directory the upload created").isEqualTo("tok_alice");
    }

    @Test
    void anotherWriterCanNeitherOverwriteDeleteRenameNorChangeTheFile() {
        FileMeta original = put("doc.txt", ALICE, null);

        assertDenied(() -> put("doc.txt", BOB, null));
        assertDenied(() -> namespace.deleteFile("doc.txt", BOB));
        assertDenied(() -> directories.rename("doc.txt", "mine.txt", false, BOB));
        assertDenied(() -> namespace.setReplication("doc.txt", 1, BOB));
        assertDenied(() -> namespace.setVisibility("doc.txt", Visibility.PUBLIC, BOB));
        FileMeta bobs = put("bob.txt", BOB, null);
        assertDenied(() -> directories.rename("bob.txt", "doc.txt", true, BOB));

        FileMeta after = namespace.getFile("doc.txt");
        assertThat(after.inode()).isEqualTo(original.inode());
        assertThat(after.owner()).isEqualTo("tok_alice");
        assertThat(after.replication()).isEqualTo(original.replication());
        assertThat(after.visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(namespace.getFile("bob.txt").inode()).isEqualTo(bobs.inode());
    }

    @Test
    void anOverwriteThatBecameForbiddenAfterItStartedIsRefusedAtCommit() {
        put("race.txt", BOB, null);
        UploadSession upload = namespace.startUpload("race.txt", 0, 0, "", WritePrecondition.NONE, BOB, null);
        List<CommittedChunk> chunks = writeChunks(upload, 10);
        // meanwhile an admin replaces the file: it is the admin's now
        FileMeta admins = put("race.txt", ADMIN, null);

        assertDenied(() -> namespace.commitUpload(upload.id(), chunks, 10, SHA));
        assertThat(namespace.getFile("race.txt").inode()).isEqualTo(admins.inode());
    }

    @Test
    void theOwnerAndAnAdminMayChangeTheFile() {
        put("doc.txt", ALICE, Visibility.PUBLIC);

        FileMeta replaced = put("doc.txt", ALICE, null);
        assertThat(replaced.visibility()).as("an overwrite keeps the visibility").isEqualTo(Visibility.PUBLIC);
        assertThat(namespace.setVisibility("doc.txt", Visibility.PRIVATE, ALICE).visibility())
                .isEqualTo(Visibility.PRIVATE);
        assertThat(namespace.setReplication("doc.txt", 2, ADMIN).replication()).isEqualTo(2);
        assertThat(directories.rename("doc.txt", "moved.txt", false, ADMIN).owner()).isEqualTo("tok_alice");
        namespace.deleteFile("moved.txt", ALICE);
        assertKind(() -> namespace.getFile("moved.txt"), ErrorKind.NOT_FOUND);
    }

    @Test
    void aWriterDeletesOrMovesOnlyItsOwnDirectoriesAndOnlyWhenTheyHoldNoFile() {
        directories.makeDirectory("alice/empty", ALICE);
        put("alice/full/f.txt", ALICE, null);
        directories.makeDirectory("shared", ADMIN);

        assertDenied(() -> directories.deleteDirectory("alice/empty", false, BOB));
        assertDenied(() -> directories.deleteDirectory("shared", false, ALICE));
        assertDenied(() -> directories.deleteDirectory("alice/full", true, ALICE));
        assertDenied(() -> directories.rename("alice/full", "elsewhere", false, ALICE));
        assertThat(namespace.getFile("alice/full/f.txt").owner()).isEqualTo("tok_alice");

        directories.rename("alice/empty", "alice/renamed", false, ALICE);
        directories.deleteDirectory("alice/renamed", false, ALICE);
        assertThat(directories.deleteDirectory("alice/full", true, ADMIN)).isEqualTo(1);
    }

    private FileMeta put(String path, Actor actor, Visibility visibility) {
        UploadSession upload = namespace.startUpload(path, 0, 0, "text/plain", WritePrecondition.NONE, actor,
                visibility);
        return namespace.commitUpload(upload.id(), writeChunks(upload, 10), 10, SHA);
    }

    private List<CommittedChunk> writeChunks(UploadSession upload, long size) {
        ChunkAllocation allocation = namespace.allocateChunk(upload.id(), 0);
        List<CommittedChunk> chunks = new ArrayList<>();
        chunks.add(new CommittedChunk(0, allocation.handle(), size,
                allocation.chain().stream().map(Replica::chunkserverId).toList()));
        return chunks;
    }

    private static void assertDenied(ThrowingCallable call) {
        assertKind(call, ErrorKind.PERMISSION_DENIED);
    }

    private static void assertKind(ThrowingCallable call, ErrorKind kind) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }
}
