package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.common.ByteSize;
import io.granary.common.metrics.LatencyHistograms;
import io.granary.launcher.cli.ExitCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Metrics on a real cluster: after uploads and downloads, the gateway's {@code /metrics} and the
 * metrics ports of the master and every chunkserver show the documented series with values that
 * fit the traffic, and every latency timer is a histogram with the fixed buckets; a killed chunkserver shows up as under-replicated chunks on the master and the
 * gateway, and makes {@code granary fsck} exit with 6.
 */
class MetricsIT {
    static final long CHUNK = ByteSize.MIB;
    static final long SIZE = 2 * CHUNK + CHUNK / 2; // three chunks
    static final int FILES = 2;
    static final int REPLICATION = 3;

    @RegisterExtension
    final MiniGranary cluster = MiniGranary.builder()
            .chunkSize(CHUNK)
            .replication(REPLICATION)
            .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(1))
            .build();
    final Http http = new Http(cluster);

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
        assertHistogram(gateway, "granary_http_requests_seconds");

        PrometheusText master = PrometheusText.scrapePort(cluster.masterMetricsPort());
        assertThat(master.value("granary_grpc_server_calls_seconds_count",
                Map.of("method", "granary.v1.MasterService/CommitUpload", "status", "OK"))).isEqualTo(FILES);
        assertThat(master.value("granary_redis_command_completion_seconds_count")).isPositive();
        assertHistogram(master, "granary_grpc_server_calls_seconds");
        assertHistogram(master, "granary_redis_command_completion_seconds");
        assertHistogram(master, "granary_redis_command_firstresponse_seconds");
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
            assertHistogram(chunkserver, "granary_grpc_server_calls_seconds");
            assertThat(chunkserver.value("granary_chunkserver_chunks")).isPositive();
            assertThat(chunkserver.has("jvm_threads_live_threads")).isTrue();
        }
        assertThat(writes).isGreaterThanOrEqualTo(chunks * REPLICATION);
        assertThat(writtenBytes).isGreaterThanOrEqualTo(FILES * SIZE * REPLICATION);
        assertThat(reads).isGreaterThanOrEqualTo(chunks);
        assertThat(readBytes).isGreaterThanOrEqualTo(FILES * SIZE);
    }

    /**
     * Every series of the timer {@code base} (there is at least one) has a bucket per bound of
     * {@link LatencyHistograms#BOUNDS} and {@code +Inf}, cumulative, the {@code +Inf} one equal to its {@code _count}.
     */
    static void assertHistogram(PrometheusText scrape, String base) {
        List<PrometheusText.Sample> counts = scrape.samples(base + "_count");
        assertThat(counts).as("series of %s_count", base).isNotEmpty();
        List<Double> bounds = new ArrayList<>(LatencyHistograms.BOUNDS.stream()
                .map(bound -> bound.toNanos() / 1e9).toList());
        bounds.add(Double.POSITIVE_INFINITY);
        for (PrometheusText.Sample count : counts) {
            List<PrometheusText.Sample> buckets = scrape.samples(base + "_bucket").stream()
                    .filter(bucket -> withoutLe(bucket).equals(count.labels()))
                    .sorted(Comparator.comparingDouble(MetricsIT::le))
                    .toList();
            assertThat(buckets).as("buckets of %s%s", base, count.labels())
                    .extracting(MetricsIT::le).containsExactlyElementsOf(bounds);
            assertThat(buckets).extracting(PrometheusText.Sample::value).isSorted();
            assertThat(buckets.get(buckets.size() - 1).value()).as("+Inf bucket of %s%s", base, count.labels())
                    .isEqualTo(count.value());
        }
    }

    private static Map<String, String> withoutLe(PrometheusText.Sample bucket) {
        Map<String, String> labels = new HashMap<>(bucket.labels());
        labels.remove("le");
        return labels;
    }

    private static double le(PrometheusText.Sample bucket) {
        String le = bucket.labels().get("le");
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
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
