package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.client.UploadOptions;
import io.granary.common.ByteSize;
import io.granary.common.meta.FileMeta;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A master restart while files exist and a client is reading: the read in flight finishes
 * byte-exact (chunk data never passes through the master), the restarted master holds back in safe
 * mode until the chunkservers have reported, every file is readable afterwards, and no chunk file
 * is deleted by a master that has not yet heard from everybody. The same after Redis restarts from
 * its append-only file and the master after it.
 */
class SafeModeIT {
    static final long CHUNK = 256 * ByteSize.KIB;
    static final long[] SIZES = {6 * CHUNK + 1, CHUNK, 17};

    @RegisterExtension
    final MiniGranary cluster = MiniGranary.builder()
            .chunkSize(CHUNK)
            .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(2))
            .build();
    final Http http = new Http(cluster);

    @BeforeEach
    void writeFiles() {
        for (int i = 0; i < SIZES.length; i++) {
            assertThat(http.put(path(i), i, SIZES[i]).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void aMasterRestartDuringAReadLosesNothingAndDeletesNothing() throws Exception {
        Map<String, List<Integer>> before = DiskReplicas.everywhere(cluster);
        CountDownLatch firstBytes = new CountDownLatch(1);
        CountDownLatch restarted = new CountDownLatch(1);
        TestBytes.Sha256Sink sink = new TestBytes.Sha256Sink();
        CompletableFuture<Long> reading = CompletableFuture.supplyAsync(() -> cluster.client().download(path(0), 0, -1,
                pausedAfterFirstWrite(sink, firstBytes, restarted)));
        assertThat(firstBytes.await(30, TimeUnit.SECONDS)).isTrue();

        cluster.restartMaster();
        restarted.countDown();

        assertThat(reading.get(60, TimeUnit.SECONDS)).isEqualTo(SIZES[0]);
        assertThat(sink.hex()).isEqualTo(TestBytes.sha256(0, SIZES[0]));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int i = 0; i < SIZES.length; i++) {
                Http.Download got = http.get(path(i));
                assertThat(got.status()).as(path(i)).isEqualTo(200);
                assertThat(got.sha256()).as(path(i)).isEqualTo(TestBytes.sha256(i, SIZES[i]));
            }
        });
        assertThat(cluster.client().cluster().repair().safeMode()).isFalse();
        assertThat(DiskReplicas.everywhere(cluster)).isEqualTo(before);
    }

    @Test
    void aRedisRestartFromItsAppendOnlyFileThenAMasterRestartLoseNothing() {
        Map<String, List<Integer>> before = DiskReplicas.everywhere(cluster);

        cluster.redis().kill();
        cluster.redis().startAgain();
        cluster.restartMaster();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int i = 0; i < SIZES.length; i++) {
                Http.Download got = http.get(path(i));
                assertThat(got.status()).as(path(i)).isEqualTo(200);
                assertThat(got.sha256()).as(path(i)).isEqualTo(TestBytes.sha256(i, SIZES[i]));
            }
        });
        assertThat(DiskReplicas.everywhere(cluster)).isEqualTo(before);
    }

    @Test
    void anUploadInFlightAcrossAMasterRestartCompletesOrFailsCleanlyAndLeaksNothing() throws Exception {
        CountDownLatch halfSent = new CountDownLatch(1);
        CountDownLatch restarted = new CountDownLatch(1);
        long size = 4 * CHUNK;
        CompletableFuture<FileMeta> upload = CompletableFuture.supplyAsync(() -> cluster.client().upload(
                "restart/in-flight.bin", pausedHalfWay(TestBytes.stream(42, size), 2 * CHUNK, halfSent, restarted),
                UploadOptions.defaults()));
        assertThat(halfSent.await(30, TimeUnit.SECONDS)).isTrue();

        cluster.restartMaster();
        restarted.countDown();

        boolean committed;
        try {
            upload.get(60, TimeUnit.SECONDS);
            committed = true;
        } catch (ExecutionException e) {
            committed = false; // a clean failure: the upload was refused and abandoned
        }
        List<FileMeta> live = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            String path = path(i);
            live.add(await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> cluster.client().stat(path), file -> true));
        }
        if (committed) {
            assertThat(http.get("restart/in-flight.bin").sha256()).isEqualTo(TestBytes.sha256(42, size));
            live.add(cluster.client().stat("restart/in-flight.bin"));
        } else {
            assertThat(http.getText("/api/v1/stat/restart/in-flight.bin").statusCode()).isEqualTo(404);
        }
        Set<String> wanted = DiskReplicas.handlesOf(live);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(DiskReplicas.everywhere(cluster).keySet()).isEqualTo(wanted));
    }

    /** Passes {@code first} bytes of {@code body}, then waits for {@code resume} before the rest. */
    private static InputStream pausedHalfWay(InputStream body, long first, CountDownLatch reached,
                                             CountDownLatch resume) {
        return new BulkInputStream() {
            long sent;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (sent >= first) {
                    reached.countDown();
                    awaitRestart(resume);
                }
                int n = body.read(b, off, (int) Math.min(len, sent < first ? first - sent : len));
                sent += Math.max(n, 0);
                return n;
            }
        };
    }

    /** Passes bytes on to {@code sink}, but holds the first write until {@code resume} opens. */
    private static OutputStream pausedAfterFirstWrite(OutputStream sink, CountDownLatch started,
                                                      CountDownLatch resume) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                started.countDown();
                awaitRestart(resume);
                sink.write(b, off, len);
            }
        };
    }

    /** Waits up to 60 s for the test to have restarted the master. */
    private static void awaitRestart(CountDownLatch restarted) throws IOException {
        try {
            if (!restarted.await(60, TimeUnit.SECONDS)) {
                throw new IOException("the master was not restarted within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String path(int i) {
        return "restart/" + i + ".bin";
    }
}
