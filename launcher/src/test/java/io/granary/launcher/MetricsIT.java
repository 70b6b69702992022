package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.common.ByteSize;
import io.granary.launcher.cli.ExitCodes;
import io.granary.master.testing.RedisFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics on a real cluster: after uploads and downloads, the gateway's {@code /metrics} and the
 * metrics ports of the master and every chunkserver show the documented series with values that
 * fit the traffic; a killed chunkserver shows up as under-replicated chunks on the master and the
 * gateway, and makes {@code granary fsck} exit with 6.
 */
class MetricsIT {
    static final long CHUNK = ByteSize.MIB;
    static final long SIZE = 2 * CHUNK + CHUNK / 2; // three chunks
    static final int FILES = 2;
    static final int REPLICATION = 3;

    @TempDir
    Path dir;
    RedisFixture redis;
    LocalCluster cluster;
    Http http;

    @BeforeEach
    void startCluster() {
        redis = RedisFixture.start(dir);
        cluster = LocalCluster.start(LocalSettings.builder(dir.resolve("cluster"), 0)
                .redisUri(redis.uri())
                .chunkSizeBytes(CHUNK)
                .replication(REPLICATION)
                .heartbeatInterval(Duration.ofMillis(200)).deadAfter(Duration.ofSeconds(1))
                .build());
        http = new Http(cluster);
    }

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void afterTrafficEveryNodeShowsItsSeriesWithPlausibleValues() {
        for (int i = 0; i < FILES; i++) {
            assertThat(http.put("metrics/file-" + i, i, SIZE).statusCode()).isEqualTo(201);
            assertThat(http.get("metrics/file-" + i).sha256()).isEqualTo(TestBytes.sha256(i, SIZE));
        }
        long chunks = FILES * 3L;

        PrometheusText gateway = PrometheusText.scrape(cluster.gatewayUrl() + "/metrics");
        assertThat(gateway.value("granary_http_requests_seconds_count", Map.of("method", "PUT", "status", "201")))
                .isGreaterThanOrEqualTo(FILES);
        assertThat(gateway.value("granary_http_requests_seconds_count", Map.of("method", "GET", "status", "200")))
                .isGreaterThanOrEqualTo(FILES);
        assertThat(gateway.value("granary_http_request_body_bytes_total")).isGreaterThanOrEqualTo(FILES * SIZE);
        assertThat(gateway.value("granary_http_response_body_bytes_total")).isGreaterThanOrEqualTo(FILES * SIZE);

        PrometheusText master = PrometheusText.scrapePort(cluster.masterMetricsPort());
        assertThat(master.value("granary_grpc_server_calls_seconds_count",
                Map.of("method", "granary.v1.MasterService/CommitUpload", "status", "OK"))).isEqualTo(FILES);
        assertThat(master.value("granary_redis_command_completion_seconds_count")).isPositive();
        assertThat(master.has("granary_cluster_chunks_missing")).isTrue();
        assertThat(master.value("granary_cluster_chunks_corrupt")).isZero();
        assertThat(master.has("granary_cluster_repair_queue")).isTrue();
        assertThat(master.has("granary_cluster_gc_pending_bytes")).isTrue();
        assertThat(master.value("granary_cluster_chunkservers_live")).isEqualTo(3);
        // a chunkserver's age series appears with the first heartbeat answer, which may come after its registration
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PrometheusText ages = PrometheusText.scrapePort(cluster.masterMetricsPort());
            for (int i = 1; i <= 3; i++) {
                Double age = ages.sum("granary_chunkserver_heartbeat_age_seconds",
                        Map.of("chunkserver", "chunkserver-" + i));
                assertThat(age).as("heartbeat age of chunkserver-%d", i).isNotNull().isBetween(0.0, 60.0);
            }
        });
        assertThat(master.has("jvm_memory_used_bytes")).isTrue();

        double writes = 0;
        double writtenBytes = 0;
        double reads = 0;
        double readBytes = 0;
        for (int i = 0; i < 3; i++) {
            PrometheusText chunkserver = PrometheusText.scrapePort(cluster.chunkServerMetricsPort(i));
            writes += chunkserver.value("granary_chunk_writes_total");
            writtenBytes += chunkserver.value("granary_chunk_write_bytes_total");
            reads += chunkserver.value("granary_chunk_reads_total");
            readBytes += chunkserver.value("granary_chunk_read_bytes_total");
            assertThat(chunkserver.sum("granary_chunk_checksum_failures_total", Map.of("source", "read"))).isZero();
            assertThat(chunkserver.sum("granary_chunk_checksum_failures_total", Map.of("source", "scrub"))).isZero();
            assertThat(chunkserver.has("granary_grpc_server_calls_seconds_count")).isTrue();
            assertThat(chunkserver.value("granary_chunkserver_chunks")).isPositive();
            assertThat(chunkserver.has("jvm_threads_live_threads")).isTrue();
        }
        assertThat(writes).isGreaterThanOrEqualTo(chunks * REPLICATION);
        assertThat(writtenBytes).isGreaterThanOrEqualTo(FILES * SIZE * REPLICATION);
        assertThat(reads).isGreaterThanOrEqualTo(chunks);
        assertThat(readBytes).isGreaterThanOrEqualTo(FILES * SIZE);
    }

    @Test
    void killingAChunkServerRaisesTheUnderReplicatedGaugeAndFailsFsck() {
        assertThat(http.put("metrics/kept", 7, SIZE).statusCode()).isEqualTo(201);
        assertThat(PrometheusText.scrapePort(cluster.masterMetricsPort())
                .value("granary_cluster_chunks_under_replicated")).isZero();
        assertThat(CliIT.granaryAs(cluster.gatewayUrl(), cluster.adminToken(), "fsck").exitCode())
                .isEqualTo(ExitCodes.OK);

        cluster.killChunkServer(2); // three chunkservers, replication 3: no room to repair onto

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(PrometheusText
                .scrapePort(cluster.masterMetricsPort()).value("granary_cluster_chunks_under_replicated"))
                .isGreaterThan(0));
        // the gateway caches the master's counts for a few seconds
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(PrometheusText
                .scrape(cluster.gatewayUrl() + "/metrics").value("granary_cluster_chunks_under_replicated"))
                .isGreaterThan(0));
        CliIT.Run fsck = CliIT.granaryAs(cluster.gatewayUrl(), cluster.adminToken(), "fsck");
        assertThat(fsck.exitCode()).as(fsck.stderr()).isEqualTo(ExitCodes.UNHEALTHY);
        assertThat(fsck.out()).contains("under-replicated", "metrics/kept (0)");
    }
}
