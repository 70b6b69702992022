package io.granary.master.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.granary.common.Actor;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.master.MasterConfig;
import io.granary.master.testing.MasterFixture;
import io.granary.master.testing.SentinelFixture;
import io.granary.proto.GetFileRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master on a Redis primary with a replica under three Sentinels (real {@code redis-server}
 * processes): it follows a failover through its {@code redis-sentinel://} URI, and with
 * {@code --redis-wait-replicas 1} no change it acknowledged is lost with the primary.
 */
@Timeout(180)
class RedisSentinelIT {
    @TempDir
    Path dir;

    @Test
    void aKilledPrimaryIsReplacedBySentinelAndEveryUploadAcknowledgedBeforeIsThere() throws Exception {
        try (SentinelFixture redis = SentinelFixture.start(dir);
             MasterFixture master = MasterFixture.start(redis.sentinelUri(), config -> config
                     .redisWaitReplicas(1).redisWaitTimeout(Duration.ofMillis(500))
                     .leaseTtl(Duration.ofSeconds(60)))) {
            master.addChunkServer("cs1");
            List<String> acknowledged = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong failures = new AtomicLong();
            AtomicLong killedAt = new AtomicLong();
            AtomicLong firstAfterKill = new AtomicLong();
            Thread uploads = new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    try {
                        long started = System.nanoTime();
                        master.upload("small/" + i, 4096, 1);
                        acknowledged.add("small/" + i);
                        if (killedAt.get() != 0 && started > killedAt.get()) {
                            firstAfterKill.compareAndSet(0, System.nanoTime());
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        pause();
                    }
                }
            });
            uploads.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 20);
                int firstPrimary = redis.primaryPort();
                int beforeKill = acknowledged.size();

                killedAt.set(System.nanoTime());
                redis.killPrimary();
                await("Sentinel promotes the replica").atMost(Duration.ofSeconds(60))
                        .until(() -> redis.primaryPort() != firstPrimary);
                redis.restartFormerPrimary(); // back as a replica of the new primary: WAIT can be met again
                await("uploads acknowledged again").atMost(Duration.ofSeconds(60))
                        .until(() -> acknowledged.size() >= beforeKill + 20);
            } finally {
                running.set(false);
                uploads.join(30_000);
            }

            System.out.printf("Redis failover: %d uploads acknowledged, %d failed meanwhile; the first upload "
                    + "started after kill -9 of the primary was acknowledged %d ms after it (Sentinel down-after "
                    + "%d ms, the former primary restarted as a replica once the new one was promoted)%n",
                    acknowledged.size(), failures.get(),
                    TimeUnit.NANOSECONDS.toMillis(firstAfterKill.get() - killedAt.get()),
                    SentinelFixture.DOWN_AFTER.toMillis());
            for (String path : acknowledged) {
                assertThat(master.master().getFile(GetFileRequest.newBuilder().setPath(path).build()).getSizeBytes())
                        .as(path).isEqualTo(4096);
            }
        }
    }

    @Test
    void aChangeNoReplicaConfirmsInTimeIsNotAcknowledged() {
        try (SentinelFixture redis = SentinelFixture.start(dir);
             RedisMetadataStore store = RedisMetadataStore.connect(redis.sentinelUri(), Duration.ofSeconds(2),
                     MasterConfig.DEFAULT_KEY_PREFIX)) {
            store.awaitReplicas(1, Duration.ofMillis(300));
            store.makeDirectory(GranaryPath.of("confirmed"), Actor.SYSTEM, 1);

            redis.pauseReplica();
            try {
                assertThatThrownBy(() -> store.makeDirectory(GranaryPath.of("unconfirmed"), Actor.SYSTEM, 2))
                        .isInstanceOfSatisfying(GranaryException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
                            assertThat(e.getMessage()).contains("0 of 1 replica");
                        });
            } finally {
                redis.resumeReplica();
            }
            store.awaitReplicas(0, Duration.ofMillis(300));
            redis.pauseReplica();
            try {
                store.makeDirectory(GranaryPath.of("without-waiting"), Actor.SYSTEM, 3);
            } finally {
                redis.resumeReplica();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
