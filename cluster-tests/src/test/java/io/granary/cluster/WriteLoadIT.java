package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.common.ByteSize;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many concurrent uploads into a {@code local} cluster running in its own JVM with the bounded
 * options the README gives it ({@link io.granary.common.BoundedJvm#OPTIONS}: 64 MiB of direct memory for the gateway and
 * three chunkservers): every upload ends with a definite answer, 201 or 503 with {@code Retry-After};
 * every 201 reads back byte for byte, no 503 left a file; liveness answers throughout (each probe
 * within its 1 s deadline); no node ran out of memory; and each chunkserver's own metrics show its writes stayed within its configured budget.
 * Large uploads beyond what the chunkservers' write budgets take at once wait their turn: each is
 * stored, every chunk on three replicas. Small ones reserve only what they carry.
 */
class WriteLoadIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int UPLOADS = 40;
    static final long SIZE = ByteSize.MIB;
    /** More chunk writes at once than the bounded chunkservers admit (about five each). */
    static final int LARGE_UPLOADS = 8;
    /** Two chunks of {@code local}'s 64 MiB, the second short. */
    static final long LARGE_SIZE = 80 * ByteSize.MIB;
    /** More small uploads at once than the bounded chunkservers' budgets take 1 MiB pieces (about five each). */
    static final int SMALL_UPLOADS = 16;
    static final long SMALL_SIZE = 4 * ByteSize.KIB;
    /** Each liveness poll's deadline. */
    static final Duration LIVENESS_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void concurrentUploadsEachGetADefiniteAnswerWhileEveryChunkserverStaysWithinItsWriteBudget() throws Exception {
        try (LocalProcess local = LocalProcess.start(dir.resolve("data"), List.of(), List.of())) {
            uploadsGetDefiniteAnswersWithinTheWriteBudget(local);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void largeUploadsBeyondTheChunkserversWriteBudgetsTakeTurnsAndAreAllStoredOnThreeReplicas() throws Exception {
        try (LocalProcess local = LocalProcess.start(dir.resolve("data"), List.of(), List.of())) {
            Http http = local.http(Duration.ofMinutes(3));

            List<HttpResponse<String>> answers = uploadAtOnce(http, LARGE_UPLOADS, LARGE_SIZE, "large");

            for (int i = 0; i < LARGE_UPLOADS; i++) {
                HttpResponse<String> answer = answers.get(i);
                assertThat(answer.statusCode()).as("upload %d: %s", i, answer.body()).isEqualTo(201);
                JsonNode chunks = JSON.readTree(answer.body()).get("chunks");
                assertThat(chunks).as("upload %d's chunks", i).hasSize(2)
                        .allSatisfy(chunk -> assertThat(chunk.get("replicas")).as("committed replicas").hasSize(3));
                assertThat(http.get(path("large", i)).sha256()).as("upload %d", i)
                        .isEqualTo(TestBytes.sha256(i, LARGE_SIZE));
            }
            assertThat(local.output()).as("no node ran out of direct memory")
                    .noneMatch(line -> line.contains("OutOfMemoryError") || line.contains("Cannot reserve"));
        }
    }

    /**
     * A small file's chunk is one piece, whose size the client announces in the write's header: each
     * replica reserves that, not the 1 MiB a piece of unknown size gets, so small uploads at once are
     * never refused for want of a budget they would not use.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void smallUploadsAtOnceReserveOnlyTheBytesTheyCarryOnEveryReplica() throws Exception {
        try (LocalProcess local = LocalProcess.start(dir.resolve("data"), List.of(), List.of())) {
            Http http = local.http(Duration.ofMinutes(2));

            List<HttpResponse<String>> answers = uploadAtOnce(http, SMALL_UPLOADS, SMALL_SIZE, "small");

            for (int i = 0; i < SMALL_UPLOADS; i++) {
                assertThat(answers.get(i).statusCode()).as("upload %d: %s", i, answers.get(i).body()).isEqualTo(201);
                assertThat(http.get(path("small", i)).sha256()).as("upload %d", i)
                        .isEqualTo(TestBytes.sha256(i, SMALL_SIZE));
            }
            List<Integer> ports = local.metricsPorts();
            for (int port : ports.subList(1, ports.size())) {
                PrometheusText metrics = PrometheusText.scrapePort(port);
                assertThat(metrics.value("granary_chunkserver_writes_peak")).as("port %d", port).isPositive();
                // a piece held twice (received, and queued to the next replica) by each write at once
                assertThat(metrics.value("granary_chunkserver_write_buffered_peak_bytes")).as("port %d", port)
                        .isLessThanOrEqualTo(2 * SMALL_SIZE * metrics.value("granary_chunkserver_writes_peak"));
                assertThat(metrics.value("granary_chunkserver_writes_refused_total")).as("port %d", port).isZero();
            }
        }
    }

    private void uploadsGetDefiniteAnswersWithinTheWriteBudget(LocalProcess local) throws Exception {
        Http http = local.http(Duration.ofSeconds(60));
        List<Integer> ports = local.metricsPorts();

        Http probe = new Http(local.gatewayUrl(), null, LIVENESS_TIMEOUT);
        // the probe's client connects and loads its classes before the load, so its deadline measures the gateway
        await().atMost(Duration.ofSeconds(30)).until(() -> probeLiveness(probe) == 200);
        List<Integer> liveness = new CopyOnWriteArrayList<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        CompletableFuture<Void> probing = CompletableFuture.runAsync(() -> {
            while (loading.get()) {
                liveness.add(probeLiveness(probe));
            }
        });

        List<HttpResponse<String>> answers;
        try {
            answers = uploadAtOnce(http, UPLOADS, SIZE, "load");
        } finally {
            loading.set(false);
        }
        probing.get(30, TimeUnit.SECONDS);
        assertThat(liveness).as("liveness probes during the load").isNotEmpty().containsOnly(200);

        List<Integer> stored = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            HttpResponse<String> answer = answers.get(i);
            assertThat(answer.statusCode()).as("upload %d: %s", i, answer.body()).isIn(201, 503);
            if (answer.statusCode() == 201) {
                stored.add(i);
            } else {
                assertThat(answer.headers().firstValue("Retry-After")).as("upload %d", i).isPresent();
                assertThat(http.get(path("load", i)).status()).as("refused upload %d left no file", i).isEqualTo(404);
            }
        }
        for (int i : stored) {
            assertThat(http.get(path("load", i)).sha256()).as("upload %d", i).isEqualTo(TestBytes.sha256(i, SIZE));
        }
        for (int port : ports.subList(1, ports.size())) {
            PrometheusText metrics = PrometheusText.scrapePort(port);
            assertThat(metrics.value("granary_chunkserver_write_buffered_peak_bytes"))
                    .isLessThanOrEqualTo(metrics.value("granary_chunkserver_write_buffer_limit_bytes"));
            assertThat(metrics.value("granary_chunkserver_writes_peak"))
                    .isLessThanOrEqualTo(metrics.value("granary_chunkserver_writes_limit"));
            assertThat(metrics.value("granary_chunkserver_writes_active")).isZero();
            assertThat(metrics.value("granary_chunkserver_write_buffered_bytes")).isZero();
            System.out.printf("chunkserver on metrics port %d: peak %.0f of %.0f bytes, %.0f of %.0f writes, %.0f refused%n",
                    port, metrics.value("granary_chunkserver_write_buffered_peak_bytes"),
                    metrics.value("granary_chunkserver_write_buffer_limit_bytes"),
                    metrics.value("granary_chunkserver_writes_peak"), metrics.value("granary_chunkserver_writes_limit"),
                    metrics.value("granary_chunkserver_writes_refused_total"));
        }
        assertThat(local.process().isAlive()).as("the cluster survived").isTrue();
        assertThat(local.output()).noneMatch(line -> line.contains("OutOfMemoryError"));
        System.out.println("write load: " + stored.size() + " of " + UPLOADS + " uploads stored, the rest refused");
    }

    /** The status of {@code /health/live}, or -1 when it did not answer within the probe's deadline. */
    private static int probeLiveness(Http probe) {
        try {
            return probe.getText("/health/live").statusCode();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Puts {@code count} files of {@code size} in {@code dir} at once, from a thread each; each request has the client's deadline. */
    private static List<HttpResponse<String>> uploadAtOnce(Http http, int count, long size, String dir) throws Exception {
        ExecutorService uploaders = Executors.newFixedThreadPool(count);
        try {
            List<Future<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                pending.add(uploaders.submit(() -> http.put(path(dir, n), n, size)));
            }
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : pending) {
                answers.add(answer.get(4, TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            uploaders.shutdownNow();
        }
    }

    private static String path(String dir, int i) {
        return dir + "/file-" + i + ".bin";
    }
}
