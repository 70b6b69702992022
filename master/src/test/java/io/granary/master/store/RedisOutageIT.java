package io.granary.master.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.meta.FileMeta;
import io.granary.master.model.UploadSession;
import io.granary.master.testing.RedisFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store does when Redis goes away and comes back. */
class RedisOutageIT {
    /** Far above the 1 s command timeout: only a hang would hit it. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    RedisFixture redis;
    RedisMetadataStore store;

    @BeforeEach
    void setUp() {
        redis = RedisFixture.start(dir);
        store = RedisMetadataStore.connect(redis.uri(), Duration.ofSeconds(1), "{granary}");
        store.initialize(System.currentTimeMillis());
    }

    @AfterEach
    void tearDown() {
        if (store != null) {
            store.close();
        }
        redis.close();
    }

    @Test
    void aCrashedRedisFailsEveryCallAsUnavailableAndARestartFromTheAppendOnlyFileLosesNothing() {
        commitEmptyFile("kept/file.txt");

        redis.kill();

        assertTimeoutPreemptively(HANG_GUARD, () -> {
            assertUnavailable(() -> store.lookup(GranaryPath.of("kept/file.txt")));
            assertUnavailable(() -> store.startUpload(upload("new.txt")));
            assertUnavailable(() -> store.deleteFile(GranaryPath.of("kept/file.txt"), io.granary.common.Actor.SYSTEM, System.currentTimeMillis()));
        });

        redis.startAgain();

        await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(GranaryException.class)
                .untilAsserted(() -> assertThat(store.lookup(GranaryPath.of("kept/file.txt"))).isPresent());
        // Redis forgot the scripts: they are loaded again on the fly
        commitEmptyFile("after/restart.txt");
        assertThat(store.lookup(GranaryPath.of("after/restart.txt")).map(FileMeta::isFile)).contains(true);
    }

    @Test
    void aCleanStopAndStartKeepsRegistrations() {
        store.saveChunkServer("cs-1", "host1:7001");

        redis.stop();
        redis.startAgain();

        await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(GranaryException.class)
                .untilAsserted(() -> assertThat(store.chunkServers()).isEqualTo(Map.of("cs-1", "host1:7001")));
    }

    @Test
    void connectingToNoRedisFailsAtOnceWithAClearMessageThatHidesThePassword() {
        redis.stop();

        assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(
                () -> RedisMetadataStore.connect(redis.uri(), Duration.ofSeconds(1), "{granary}"))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageStartingWith("metadata store (Redis) unavailable: cannot connect to "
                        + RedisUris.masked(redis.uri()))
                .hasMessageNotContaining(redis.uri()));
    }

    private void commitEmptyFile(String path) {
        UploadSession upload = upload(path);
        store.startUpload(upload);
        store.commit(upload, List.of(), 0, "", "", System.currentTimeMillis(), store.beginCommit(upload.id()),
                Duration.ofSeconds(1));
    }

    private static UploadSession upload(String path) {
        return new UploadSession("up-" + path.hashCode(), GranaryPath.of(path), 1, 65536, "",
                System.currentTimeMillis());
    }

    private static void assertUnavailable(Runnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageStartingWith("metadata store (Redis) unavailable: ");
    }
}
