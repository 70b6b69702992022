package io.granary.master.namespace;

import static io.granary.master.namespace.Uploads.writeChunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.Actor;
import io.granary.common.ByteSize;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.meta.FileMeta;
import io.granary.master.model.CommittedChunk;
import io.granary.master.model.UploadSession;
import io.granary.master.model.WritePrecondition;
import io.granary.master.store.RedisMetadataStore;
import io.granary.master.testing.SharedRedis;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A file's etag and metadata on a real Redis: stored at commit, answered by lookups, kept by renames. */
class FileAttributesIT {
    static final long CHUNK = 64 * ByteSize.KIB;
    static final String SHA = "ab".repeat(32);
    static final String MD5 = "0123456789abcdef".repeat(2);
    static final Map<String, String> METADATA = Map.of("color", "blue", "content-disposition",
            "attachment; filename=\"cat.jpg\"", "note", "grüße");

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("attrs");

    RedisMetadataStore store;
    Namespace namespace;
    Directories directories;

    @BeforeEach
    void setUp() {
        store = redis.store();
        NamespaceHarness cluster = new NamespaceHarness(store, Duration.ofMinutes(1), "cs-1", "cs-2", "cs-3");
        namespace = cluster.namespace(CHUNK);
        directories = new Directories("test", store, cluster.cluster, Clock.systemUTC());
    }

    private FileMeta put(String path, Map<String, String> metadata, String etag) {
        UploadSession upload = start(path, metadata);
        List<CommittedChunk> chunks = writeChunks(namespace, upload, CHUNK + 5);
        return namespace.commitUpload(upload.id(), chunks, CHUNK + 5, SHA, etag, Namespace.NO_CALLER_DEADLINE);
    }

    private UploadSession start(String path, Map<String, String> metadata) {
        return namespace.startUpload(path, 0, 0, "image/jpeg", WritePrecondition.NONE, Actor.SYSTEM, null, metadata);
    }

    @Test
    void theEtagAndMetadataOfACommitAreWhatALookupAnswers() {
        FileMeta committed = put("photos/cat.jpg", METADATA, MD5.toUpperCase());

        FileMeta file = namespace.getFile("photos/cat.jpg");

        assertThat(committed.etag()).isEqualTo(MD5);
        assertThat(committed.metadata()).isEqualTo(METADATA);
        assertThat(file.etag()).isEqualTo(MD5);
        assertThat(file.metadata()).isEqualTo(METADATA);
    }

    @Test
    void aFileWrittenWithoutThemHasAnEmptyEtagAndNoMetadata() {
        put("plain.txt", Map.of(), "");

        FileMeta file = namespace.getFile("plain.txt");

        assertThat(file.etag()).isEmpty();
        assertThat(file.metadata()).isEmpty();
    }

    @Test
    void aRenameKeepsThemAndAReplacementDropsThem() {
        put("a.jpg", METADATA, MD5);

        FileMeta moved = directories.rename("a.jpg", "b/c.jpg", false);
        assertThat(moved.metadata()).isEqualTo(METADATA);
        assertThat(moved.etag()).isEqualTo(MD5);

        put("b/c.jpg", Map.of("other", "1"), "");
        FileMeta replaced = namespace.getFile("b/c.jpg");
        assertThat(replaced.metadata()).containsExactly(Map.entry("other", "1"));
        assertThat(replaced.etag()).isEmpty();
    }

    @Test
    void theMultipartFormOfAnEtagIsAccepted() {
        assertThat(put("parts.bin", Map.of(), MD5 + "-3").etag()).isEqualTo(MD5 + "-3");
    }

    @Test
    void metadataBeyondItsBoundsIsRefusedBeforeTheUploadStarts() {
        assertInvalid(() -> start("x", Map.of("bad:name", "v")), "metadata name 'bad:name'");
        assertInvalid(() -> start("x", Map.of("", "v")), "metadata name ''");
        assertInvalid(() -> start("x", Map.of("naïve", "v")), "metadata name 'naïve'");
        assertInvalid(() -> start("x", Map.of("name", "line\nbreak")), "holds a control character");
        assertInvalid(() -> start("x", Map.of("big", "x".repeat(2046))), "at most 2048");
        assertThat(start("x", Map.of("big", "x".repeat(2045))).metadata()).containsKey("big");
    }

    @Test
    void anEtagThatIsNoMd5IsRefusedAndTheUploadStaysOpen() {
        UploadSession upload = start("x.bin", Map.of());
        List<CommittedChunk> chunks = writeChunks(namespace, upload, 10);

        assertInvalid(() -> namespace.commitUpload(upload.id(), chunks, 10, SHA, "\"quoted\"",
                Namespace.NO_CALLER_DEADLINE), "etag '\"quoted\"'");

        assertThat(namespace.commitUpload(upload.id(), chunks, 10, SHA, MD5, Namespace.NO_CALLER_DEADLINE).etag())
                .isEqualTo(MD5);
    }

    @Test
    void aRepeatedCommitWithAnotherEtagIsRefused() {
        UploadSession upload = start("twice.bin", Map.of());
        List<CommittedChunk> chunks = writeChunks(namespace, upload, 10);
        namespace.commitUpload(upload.id(), chunks, 10, SHA, MD5, Namespace.NO_CALLER_DEADLINE);

        assertThatThrownBy(() -> namespace.commitUpload(upload.id(), chunks, 10, SHA, "", Namespace.NO_CALLER_DEADLINE))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
                .hasMessageContaining("committed with another content");
        assertThat(namespace.commitUpload(upload.id(), chunks, 10, SHA, MD5, Namespace.NO_CALLER_DEADLINE).metadata())
                .isEmpty();
    }

    private static void assertInvalid(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT)).hasMessageContaining(message);
    }
}
