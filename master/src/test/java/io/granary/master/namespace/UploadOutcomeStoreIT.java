package io.granary.master.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.meta.FileMeta;
import io.granary.master.model.MetadataStore;
import io.granary.master.model.MetadataStore.CommitAttempt;
import io.granary.master.model.UploadSession;
import io.granary.master.store.RedisMetadataStore;
import io.granary.master.testing.SharedRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An upload's outcome is decided once, in Redis: a commit answered with a failure never makes the file
 * visible later, a repeated commit answers the same file, and an abandoned upload stays abandoned.
 * Redis is real and is stalled with CLIENT PAUSE WRITE, which holds a command and runs it later.
 */
class UploadOutcomeStoreIT {
    /** The store's command timeout: a commit held longer than this is answered UNAVAILABLE. */
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);
    /** Far longer than any call of the test waits, so Redis is resumed by the test, not by the clock. */
    private static final Duration LONG_PAUSE = Duration.ofSeconds(30);

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("outcome");
    RedisMetadataStore store;
    Namespace namespace;

    @BeforeEach
    void setUp() {
        store = redis.store(STORE_TIMEOUT);
        namespace = new NamespaceHarness(store, Duration.ofMinutes(1), "cs-1").namespace(64 * 1024);
    }

    /** A test that failed while Redis stalled must not stall the next; the store is closed after this. */
    @AfterEach
    void tearDown() {
        redis.fixture().resumeWrites();
    }

    @Test
    void aCommitAnsweredUnavailableWhileRedisStallsLeavesNoFileOnceRedisResumes() {
        UploadSession upload = namespace.startUpload("stalled.txt", 1, 0, "");

        redis.fixture().pauseWrites(LONG_PAUSE);
        assertThatThrownBy(() -> namespace.commitUpload(upload.id(), List.of(), 0, ""))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        redis.fixture().resumeWrites();

        // the held commit ran before this read: one connection answers in the order it sent
        assertThat(store.lookup(GranaryPath.of("stalled.txt"))).isEmpty();
        // the outcome is known now: the upload is still open, and committing it again works
        assertThat(namespace.commitUpload(upload.id(), List.of(), 0, "").path()).isEqualTo("/stalled.txt");
    }

    @Test
    void aCommitWhoseCallerGaveUpIsNotCommittedWhenItReachesRedisLater() throws Exception {
        UploadSession upload = namespace.startUpload("gave-up.txt", 1, 0, "");
        Duration callerWaits = Duration.ofMillis(200);
        // this master waits for Redis longer than the caller waits for it
        try (RedisMetadataStore patient = RedisMetadataStore.connect(redis.uri(), Duration.ofSeconds(30), redis.prefix())) {
            CommitAttempt attempt = patient.beginCommit(upload.id());
            redis.fixture().pauseWrites(LONG_PAUSE);
            CompletableFuture<MetadataStore.CommitOutcome> commit = CompletableFuture.supplyAsync(() -> patient.commit(
                    attempt.upload(), List.of(), 0, "", "", System.currentTimeMillis(), attempt, callerWaits));
            // the held commit reaches Redis after the caller's deadline, on Redis's clock
            Thread.sleep(callerWaits.multipliedBy(3).toMillis());
            redis.fixture().resumeWrites();

            assertThatThrownBy(commit::join).hasCauseInstanceOf(GranaryException.class)
                    .cause().satisfies(e -> assertThat(((GranaryException) e).kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED))
                    .hasMessageContaining("after its deadline");
            assertThat(patient.lookup(GranaryPath.of("gave-up.txt"))).isEmpty();
        }
    }

    @Test
    void aCommitThatReachesRedisAfterTheUploadWasAbandonedIsRefused() {
        UploadSession upload = namespace.startUpload("fenced.txt", 1, 0, "");
        CommitAttempt attempt = store.beginCommit(upload.id());

        namespace.abandonUpload(upload.id());

        assertThatThrownBy(() -> store.commit(attempt.upload(), List.of(), 0, "", "", System.currentTimeMillis(), attempt,
                STORE_TIMEOUT))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
                .hasMessageContaining("was abandoned");
        assertThat(store.lookup(GranaryPath.of("fenced.txt"))).isEmpty();
    }

    @Test
    void aCommitOvertakenByALaterAttemptIsRefused() {
        UploadSession upload = namespace.startUpload("overtaken.txt", 1, 0, "");
        CommitAttempt first = store.beginCommit(upload.id());
        store.beginCommit(upload.id());

        assertThatThrownBy(() -> store.commit(first.upload(), List.of(), 0, "", "", System.currentTimeMillis(), first,
                STORE_TIMEOUT))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
                .hasMessageContaining("overtaken");
        assertThat(store.lookup(GranaryPath.of("overtaken.txt"))).isEmpty();
    }

    @Test
    void aRepeatedCommitOfACommittedUploadAnswersTheSameFile() {
        UploadSession upload = namespace.startUpload("twice.txt", 1, 0, "");
        FileMeta first = namespace.commitUpload(upload.id(), List.of(), 0, "");

        FileMeta again = namespace.commitUpload(upload.id(), List.of(), 0, "");

        assertThat(again.inode()).isEqualTo(first.inode());
        assertThat(again.path()).isEqualTo(first.path());
        assertThat(store.lookup(GranaryPath.of("twice.txt")).orElseThrow().inode()).isEqualTo(first.inode());
    }

    @Test
    void aRepeatedCommitThatIsNotTheSameFileIsRefused() {
        UploadSession upload = namespace.startUpload("other.txt", 1, 0, "");
        namespace.commitUpload(upload.id(), List.of(), 0, "");

        assertThatThrownBy(() -> namespace.commitUpload(upload.id(), List.of(), 0, "a".repeat(64)))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
                .hasMessageContaining("was committed with another content");
    }

    @Test
    void anAbandonedUploadCannotBeCommittedAndACommittedOneCannotBeAbandoned() {
        UploadSession abandoned = namespace.startUpload("abandoned.txt", 1, 0, "");
        namespace.abandonUpload(abandoned.id());
        UploadSession committed = namespace.startUpload("committed.txt", 1, 0, "");
        namespace.commitUpload(committed.id(), List.of(), 0, "");

        assertThatThrownBy(() -> namespace.commitUpload(abandoned.id(), List.of(), 0, ""))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
                .hasMessageContaining("was abandoned");
        assertThatThrownBy(() -> namespace.abandonUpload(committed.id()))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS))
                .hasMessageContaining("was committed");
        assertThat(store.lookup(GranaryPath.of("abandoned.txt"))).isEmpty();
        assertThat(store.lookup(GranaryPath.of("committed.txt"))).isPresent();
    }
}
